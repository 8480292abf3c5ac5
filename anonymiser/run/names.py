"""Output file names: the names of people, places and organisations in a file or folder name are
replaced by their pseudonyms, as in the text; a name detected there that the corpus does not know
gives a neutral id. No output, audit record or message of a run holds the original name.

    entretiens/Entretien_Ophélie_Quéméneur.docx -> entretiens/Entretien_Léa_Martin.docx

The known forms are found by keyed hash (``KeyFile.find_forms``: the entities of the key file,
this run's included) in the path without its suffix, ``_`` and ``.`` read as spaces; the
capital and ordinary-word flags of the index are not applied (a file name is often written
in lower case, and a name replaced there by mistake costs nothing). The names detected in the
path by the engine (``Detected.name_spans``, found with the document; with the first names
of the lexicon in it, in any case) that no known form covers make that part
``document-<keyed hash>`` (``folder-...`` for a folder): the same input and key file always
give the same name, and the hash cannot be reversed without the key file.
Two inputs whose names coincide get `` (2)``, `` (3)``... in corpus order, as does an input
whose name is that of a file another input wrote into the folder in an earlier run.

The original path of each renamed file is sealed in the key file (``file_names``, by keyed
hash of the input's path, which the audit records as ``input_name``): re-identification
gives the restored file its original name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from anonymiser.keys import crypto
from anonymiser.keys.store import KeyFile
from anonymiser.model import Span
from anonymiser.render.strategies import Renderer
from anonymiser.text.fold import fold

EXTRAS_KEY = "file_names"
_SEPARATORS = str.maketrans({"_": " ", ".": " "})
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_WORD = re.compile(r"[^\W\d_]+")


def _lookup_text(stem_path: str) -> str:
    """``stem_path`` as text to look names up in (same length: offsets are kept)."""
    return stem_path.translate(_SEPARATORS)


def _split(path: str) -> tuple[str, str]:
    """``entretiens/a_b.docx`` -> (``entretiens/a_b``, ``.docx``)."""
    pure = PurePosixPath(path)
    return str(pure.with_suffix("")) if pure.suffix else path, pure.suffix


def name_text(path: str) -> str:
    """What the engine looks for names in, for the file at relative ``path``."""
    return _lookup_text(_split(path)[0])


def first_name_spans(text: str, first_names: Collection[str], ordinary: Callable[[str], bool]
                     ) -> list[tuple[int, int, str]]:
    """The first names of the lexicon in a name text, written with a capital or not, that are
    not ordinary words: a file name in lower case ("entretien_bernard_lestrade") escapes the
    engine, not this."""
    return [(m.start(), m.end(), "PERSON") for m in _WORD.finditer(text)
            if fold(m.group()) in first_names and not ordinary(m.group())]


def _rendered(original: str, pseudonym: str) -> str:
    """A pseudonym as a piece of a file name: words joined as the original joined them, no
    character a file system refuses."""
    if " " not in original and "_" in original:
        pseudonym = pseudonym.replace(" ", "_")
    if original.islower():
        pseudonym = pseudonym.lower()
    return _UNSAFE.sub("_", pseudonym)


def _neutral(keyfile: KeyFile, kind: str, original_part_path: str) -> str:
    digest = keyfile.keyed_hash("neutral-name\x1f" + original_part_path)
    return f"{kind}-{digest[:8]}"


def _resolved(text: str, span: tuple[int, int, str], covered: Sequence[tuple[int, int]],
              ordinary: Callable[[str], bool]) -> bool:
    """Whether a span detected in a name is taken care of: its words outside the known forms
    in it are ordinary words, and it holds a known form or is not a person ("Entretien" in
    "Entretien Ophélie Quéméneur"; "Compte Rendu Réunion" is no one's name)."""
    start, end, label = span
    inside = [(a, b) for a, b in covered if a < end and b > start]
    if not inside and label == "PERSON":
        return False
    rest = "".join(" " if any(a <= i < b for a, b in inside) else text[i] for i in range(start, end))
    return all(ordinary(word) for word in _WORD.findall(rest))


def pseudonymised_path(path: str, keyfile: KeyFile, renderer: Renderer,
                       detected: Sequence[tuple[int, int, str]] = (), *,
                       ordinary: Callable[[str], bool] = lambda _word: False) -> str:
    """The output path of the input at relative ``path`` (``/``-separated): every known form
    replaced by the rendering of its entity (left as it is for strategy ``keep``); a part in
    which a ``detected`` span (start, end, label in ``name_text(path)``) is not taken care of by the
    known forms in it (see ``_resolved``; ``ordinary(word)``: a word of the language) becomes
    a neutral id."""
    stem_path, suffix = _split(path)
    text = _lookup_text(stem_path)
    covered: list[tuple[int, int]] = []
    edits: list[tuple[int, int, str]] = []
    for start, end, label, entity_id, _flags in keyfile.find_forms(text):
        entity = keyfile.entities.get(entity_id)
        if entity is None:
            continue
        covered.append((start, end))
        if not renderer.kept(entity):
            edits.append((start, end, _rendered(stem_path[start:end], renderer.render(
                Span.of(text, start, end, label), entity))))
    unknown = [(span[0], span[1]) for span in detected if not _resolved(text, span, covered, ordinary)]
    parts, at, position = [], 0, 0
    for index, part in enumerate(stem_path.split("/")):
        end = position + len(part)
        if any(s < end and e > position for s, e in unknown):
            kind = "document" if index == stem_path.count("/") else "folder"
            parts.append(_neutral(keyfile, kind, stem_path[:end]))
        else:
            pieces = []
            at = position
            for start, stop, new in edits:
                if position <= start and stop <= end:
                    pieces += [stem_path[at:start], new]
                    at = stop
            pieces.append(stem_path[at:end])
            new_part = "".join(pieces)
            empty = part and not new_part.strip(" .")
            parts.append(_neutral(keyfile, "document", stem_path[:end]) if empty else new_part)
        position = end + 1
    return "/".join(parts) + suffix


def _numbered(path: str, number: int) -> str:
    stem, suffix = _split(path)
    return f"{stem} ({number}){suffix}"


def unique_paths(proposed: Sequence[tuple[str, str]], earlier: Mapping[str, str]) -> list[str]:
    """The output paths of ``proposed`` (``(input name hash, output path)`` in corpus order),
    a number added where two inputs would get one name (compared case-insensitively), or where
    an earlier run wrote that name for another input (``earlier``: output path -> input name
    hash, from the folder's audit log)."""
    taken: dict[str, str] = {path.casefold(): owner for path, owner in earlier.items()}
    mine: set[str] = set()
    out = []
    for owner, path in proposed:
        candidate, number = path, 1
        while (key := candidate.casefold()) in mine or taken.get(key, owner) != owner:
            number += 1
            candidate = _numbered(path, number)
        mine.add(key)
        taken[key] = owner
        out.append(candidate)
    return out


def input_name(keyfile: KeyFile, path: str) -> str:
    """The keyed hash an audit log records for an input's relative path (``input_name``)."""
    return keyfile.keyed_hash("file-name\x1f" + path)


def earlier_names(records: Iterable[Mapping[str, Any]], keyfile: KeyFile) -> dict[str, str]:
    """Output path -> input name hash of the documents of earlier runs (a record without
    ``input_name``, from before file names were pseudonymised, kept its input's name)."""
    return {str(r["path"]): str(r.get("input_name") or input_name(keyfile, str(r["path"])))
            for r in records if r.get("record") == "document" and r.get("path")}


def seal_names(keyfile: KeyFile, renamed: Iterable[tuple[str, str]]) -> None:
    """Seal the original path of each renamed input (``(input path, output path)``) in the
    key file, once per input: only the re-identification role opens them."""
    names = dict(keyfile.extras.get(EXTRAS_KEY) or {})
    new = {input_name(keyfile, original): keyfile.seal(original)
           for original, output in renamed if original != output and input_name(keyfile, original) not in names}
    if new:
        keyfile.set_extra(EXTRAS_KEY, dict(sorted({**names, **new}.items())))


def original_name(keyfile: KeyFile, record: Mapping[str, Any]) -> str | None:
    """The original relative path of the output a ``document`` audit record describes, when
    it was renamed and this key file can re-identify (else ``None``: it kept its name)."""
    sealed = (keyfile.extras.get(EXTRAS_KEY) or {}).get(str(record.get("input_name", "")))
    if sealed is None or keyfile.private_key is None:
        return None
    original = crypto.unseal(keyfile.private_key, sealed)
    pure = PurePosixPath(original)
    return None if pure.is_absolute() or ".." in pure.parts else original
