"""The key file's keyed-hash index: forms to find in any text, linking keys, known words."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from typing import Any

from anonymiser.keys.crypto import keyed_digest, keyed_digests
from anonymiser.keys.stream import Items, Pairs
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.near import deletions, words_of

_WORD = re.compile(r"\w+")
FLAG_CAPITAL = "c"   # the form is written with a capital: match capitalised text only
FLAG_WORD = "w"      # the form is an ordinary word: not at a sentence start

Entry = tuple[str, str, str]  # (entity id, label, flags)
Found = tuple[int, int, str, str, str]  # (start, end, label, entity id, flags)
_OPENS_HELD = 1 << 16  # distinct words ``find_forms`` remembers at most (a long text's vocabulary)


class FormIndex:
    """Keyed hashes only (16 raw bytes each in memory, hex in the key file's payload): no
    form is kept in the clear. ``forms``: hash of a folded form ->
    entries; ``keys``: hash of a linking key ("last:marchal") -> entity ids; ``words``: hashes
    of the words of known surfaces; ``near``: hashes of the deletion neighbourhoods of the words
    of known persons (``text.near``: a pseudonym is never two edits from a real name);
    ``first_words`` and ``max_words``: the matcher's pre-filter."""

    def __init__(self, secret: bytes, *, forms: dict[bytes, list[Entry]] | None = None,
                 keys: dict[bytes, list[str]] | None = None, words: set[bytes] | None = None,
                 first_words: set[bytes] | None = None, max_words: int = 0, near: set[bytes] | None = None) -> None:
        self.secret = secret
        self.near: set[bytes] = near if near is not None else set()
        self.forms: dict[bytes, list[Entry]] = forms if forms is not None else {}
        self.keys: dict[bytes, list[str]] = keys if keys is not None else {}
        self.words: set[bytes] = words if words is not None else set()
        self.first_words: set[bytes] = first_words if first_words is not None else set()
        self.max_words = max_words

    def hash(self, kind: str, text: str) -> bytes:
        return keyed_digest(self.secret, f"{kind}\x1f{text}")

    def form_hash(self, form: str) -> bytes:
        return self.hash("form", fold_key(form))

    # -- additions ---------------------------------------------------------------------
    def add_words(self, surface: str, *, near: bool = False) -> None:
        """The words of ``surface`` (and, with ``near``, their deletion neighbourhoods)."""
        folded = fold_key(surface)
        self.words.add(self.hash("word", folded))
        for word in folded.split():
            self.words.add(self.hash("word", word))
        if near:
            self.add_near(surface)

    def add_near(self, surface: str) -> None:
        """The deletion neighbourhood of each word of a person's surface (see ``text.near``)."""
        for word in words_of(surface):
            self.near.update(keyed_digests(self.secret, "near\x1f", deletions(word)))

    def add(self, entity_id: str, label: str, forms: Iterable[tuple[str, str]] = (), keys: Iterable[str] = (),
            *, below: FormIndex | None = None) -> None:
        """Index ``forms`` (``(surface, flags)``) and linking ``keys`` of an entity. An entry
        ``below`` (the index this one adds to) is not repeated."""
        for surface, flags in forms:
            words = _WORD.findall(fold(surface))
            if not words:
                continue
            digest = self.hash("form", fold_key(surface))
            entry = (entity_id, label, flags)
            if below is None or entry not in below.forms.get(digest, ()):
                entries = self.forms.setdefault(digest, [])
                if entry not in entries:
                    entries.append(entry)
            self.first_words.add(self.hash("first", words[0]))
            self.max_words = max(self.max_words, len(words))
        for key in keys:
            digest = self.hash("key", key)
            if below is None or entity_id not in below.keys.get(digest, ()):
                ids = self.keys.setdefault(digest, [])
                if entity_id not in ids:
                    ids.append(entity_id)

    # -- removals ----------------------------------------------------------------------
    def drop_entity(self, entity_id: str) -> None:
        """Every form entry and linking key of an entity (words are rebuilt by the caller)."""
        for digest, entries in list(self.forms.items()):
            self._set_entries(digest, [entry for entry in entries if entry[0] != entity_id])
        for digest, ids in list(self.keys.items()):
            self._set_ids(digest, [i for i in ids if i != entity_id])

    def release(self, entity_id: str, form: str, keys: Iterable[str]) -> None:
        """Stop finding ``form`` for ``entity_id``, and linking it through ``keys``."""
        digest = self.form_hash(form)
        self._set_entries(digest, [e for e in self.forms.get(digest, []) if e[0] != entity_id])
        for key in keys:
            hashed = self.hash("key", key)
            self._set_ids(hashed, [i for i in self.keys.get(hashed, []) if i != entity_id])

    def unindex(self, form: str, label: str) -> int:
        """Stop finding ``form`` as ``label``; returns how many entries went."""
        digest = self.form_hash(form)
        entries = self.forms.get(digest, [])
        kept = [e for e in entries if e[1] != label]
        self._set_entries(digest, kept)
        return len(entries) - len(kept)

    def _set_entries(self, digest: bytes, entries: list[Entry]) -> None:
        if entries:
            self.forms[digest] = entries
        else:
            self.forms.pop(digest, None)

    def _set_ids(self, digest: bytes, ids: list[str]) -> None:
        if ids:
            self.keys[digest] = ids
        else:
            self.keys.pop(digest, None)

    # -- questions ---------------------------------------------------------------------
    def entities_for_key(self, key: str) -> list[str]:
        return list(self.keys.get(self.hash("key", key), []))

    def is_real_word(self, text: str) -> bool:
        return self.hash("word", fold_key(text)) in self.words

    def is_near(self, name: str) -> bool:
        """True when a word of ``name`` may be within two edits of a known person's word."""
        return bool(self.near) and any(self.hash("near", deleted) in self.near
                                       for word in words_of(name) for deleted in deletions(word))

    def find_forms(self, text: str) -> list[Found]:
        return find_forms(text, self)

    # -- serialisation -----------------------------------------------------------------
    def for_workers(self) -> FormIndex:
        """The matcher's part only (forms and pre-filter): no linking key, no word."""
        return FormIndex(self.secret, forms=self.forms, first_words=self.first_words, max_words=self.max_words)

    def to_payload(self, *, lazy: bool = False) -> dict[str, Any]:
        """The index as JSON values; ``lazy``: its forms, keys and hashes as ``stream.Pairs``
        and ``stream.Items``, made as they are written (the hashes are all 16 bytes: their
        order is their hex's)."""
        if not lazy:
            made = self.to_payload(lazy=True).items()
            return {name: (dict(value.pairs) if isinstance(value, Pairs) else list(value.items))
                    if isinstance(value, Pairs | Items) else value for name, value in made}
        forms, keys = self.forms, self.keys
        return {
            "forms": Pairs((k.hex(), [list(entry) for entry in forms[k]]) for k in sorted(forms)),
            "keys": Pairs((k.hex(), keys[k]) for k in sorted(keys)),
            "words": Items(w.hex() for w in sorted(self.words)),
            "first_words": Items(w.hex() for w in sorted(self.first_words)),
            "max_words": self.max_words,
            "near": Items(w.hex() for w in sorted(self.near)),
        }

    @classmethod
    def from_payload(cls, secret: bytes, payload: dict[str, Any]) -> FormIndex:
        return cls(secret, forms={bytes.fromhex(k): [(str(a), str(b), str(c)) for a, b, c in v]
                                  for k, v in payload["forms"].items()},
                   keys={bytes.fromhex(k): list(v) for k, v in payload["keys"].items()},
                   words=set(map(bytes.fromhex, payload["words"])),
                   first_words=set(map(bytes.fromhex, payload["first_words"])), max_words=int(payload["max_words"]),
                   # key files older than the near hashes have none
                   near=set(map(bytes.fromhex, payload.get("near", ()))))


def find_forms(text: str, index: FormIndex) -> list[Found]:
    """Every form of ``index`` in ``text``: ``(start, end, label, entity_id, flags)``, whole
    words, leftmost-longest, found by keyed hash of every run of up to ``max_words`` words.
    The words are read as the search goes, ``max_words`` ahead: a long text's words are never
    all held at once (they took 180 bytes a word, more than the text itself). Whether a word
    may open a form is asked once per distinct word of the text (``opens``), not once per word:
    on the bench corpus that was two keyed hashes in three."""
    forms, first_words, max_words, hash_ = index.forms, index.first_words, index.max_words, index.hash
    if not forms:
        return []
    opens: dict[str, bool] = {}
    words = _WORD.finditer(text)
    ahead: deque[tuple[int, int, str]] = deque()  # (start, end, folded) of the next words

    def read_ahead() -> None:
        while len(ahead) < max_words and (match := next(words, None)) is not None:
            ahead.append((match.start(), match.end(), fold(match.group())))

    found: list[Found] = []
    read_ahead()
    while ahead:
        start, _end, first = ahead[0]
        taken = 1
        may_open = opens.get(first)
        if may_open is None:
            if len(opens) >= _OPENS_HELD:
                opens.clear()
            may_open = opens[first] = hash_("first", first) in first_words
        if may_open:
            for last in range(len(ahead) - 1, -1, -1):
                end = ahead[last][1]
                surface = text[start:end]
                if "\n" in surface:
                    continue
                entries = forms.get(hash_("form", fold_key(surface)))
                if entries and not _glued(text, start, end):
                    entity_id, label, flags = entries[0]
                    found.append((start, end, label, entity_id, flags))
                    taken = last + 1
                    break
        for _ in range(taken):
            ahead.popleft()
        read_ahead()
    return found


def _glued(text: str, start: int, end: int) -> bool:
    """A match glued to a neighbouring word by a hyphen or apostrophe is not whole."""
    after = end + 1 < len(text) and text[end] in "-‐‑'’" and text[end + 1].isalnum()
    before = start >= 2 and text[start - 1] in "-‐‑" and text[start - 2].isalnum()
    return after or before or (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())
