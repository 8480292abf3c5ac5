"""The typed, immutable configuration: one frozen section per part of ``rules/``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anonymiser.config.persons import PersonForms
from anonymiser.config.spoken import SpokenRules
from anonymiser.errors import ConfigError
from anonymiser.i18n import N_, ScreenLabel
from anonymiser.model import LABELS
from anonymiser.text.fold import fold
from anonymiser.text.places import Commune, CommuneRule, PlaceParts

if TYPE_CHECKING:
    from anonymiser.documents.archive import OfficeLimits

STRATEGIES = ("realistic", "tag", "generalise", "redact", "keep")



@dataclass(frozen=True)
class PatternRule:
    id: str
    regex: str
    score: float


@dataclass(frozen=True)
class PseudonymRules:
    """``rules/pseudonyms.yaml``: strategies per label and the data each strategy needs."""

    strategies: dict[str, str]
    allowed: dict[str, tuple[str, ...]]
    redaction: str
    person_max_rank: int
    person_min_candidates: int
    civility_gender: dict[str, str]
    places: PlaceParts
    org_names: tuple[str, ...]
    org_kinds: dict[str, str]
    org_suffix_kinds: dict[str, str]
    org_kind_default: str
    org_territorial: tuple[str, ...]
    commune_rules: tuple[CommuneRule, ...]
    place_default: str
    role_fallback: str
    municipal_heads: tuple[str, ...]
    h_aspire: frozenset[str]
    neutral_rules: dict[str, frozenset[str]] = field(default_factory=dict)  # label -> weak rule ids
    neutral_phrases: dict[str, str] = field(default_factory=dict)  # label -> "une personne"
    neutral_not_after: tuple[str, ...] = ()  # more nouns a name completes ("côté X")

    def check_strategies(self, strategies: dict[str, str], where: str) -> dict[str, str]:
        """Validate label -> strategy choices; errors name ``where`` and the label."""
        for label, strategy in strategies.items():
            if label not in LABELS:
                raise ConfigError(where, N_("unknown label '%(label)s' in strategies"), label=label)
            if strategy not in self.allowed.get(label, ()):
                allowed = ", ".join(self.allowed.get(label, ())) or "none"
                raise ConfigError(where,
                                  N_("strategy '%(strategy)s' is not allowed for %(label)s (allowed: %(allowed)s)"),
                                  strategy=strategy, label=ScreenLabel(label), allowed=allowed)
        return dict(strategies)


@dataclass(frozen=True)
class CandidateRule:
    """A pattern of ``rules/review.yaml`` that points at a mention left unmasked: the
    ``name`` group (or the whole match) is listed, with ``id`` as its reason."""

    id: str
    pattern: re.Pattern[str]
    label: str
    unknown_word: bool = False  # listed only when a word of it is not an ordinary word
    spread: bool = False  # its other occurrences in the document are listed too


@dataclass(frozen=True)
class ReviewRules:
    """``rules/review.yaml``: what the review report lists under "Needs attention"."""

    low_score: float
    min_miss_length: int
    min_typo_length: int
    quasi_identifiers: tuple[PatternRule, ...]
    candidates: tuple[CandidateRule, ...] = ()
    not_names: tuple[str, ...] = ()
    occupation_endings: tuple[str, ...] = ()
    start_first_name_rank: int = 0
    start_surname_rank: int = 0
    start_commune_population: int = 0


def _patterns(patterns: tuple[str, ...], key: str, path: Path) -> tuple[str, ...]:
    """``patterns``, each checked to compile; an error names the file and the entry."""
    for index, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(str(path), N_("'%(key)s' does not compile (%(reason)s)"),
                              key=f"{key}[{index}]", reason=exc.msg) from exc
    return patterns


WEIGHTS = ("rule", "weak_rule", "context", "weak_context", "civility", "first_name", "head", "gazetteer")


@dataclass(frozen=True)
class LabelRules:
    """``rules/labels.yaml``: how much each kind of evidence weighs for a form's label, and
    the words that are evidence (see ``anonymiser/detect/labels.py``)."""

    weights: tuple[tuple[str, int], ...] = tuple((w, 1) for w in WEIGHTS)
    weak_rules: tuple[str, ...] = ()
    person_rules: tuple[str, ...] = ()
    civilities_in_names: tuple[str, ...] = ()
    institutions_before: tuple[str, ...] = ()
    institution_adjectives: tuple[str, ...] = ()
    place_before: tuple[str, ...] = ()
    weak_place_before: tuple[str, ...] = ()
    weak_organization_before: tuple[str, ...] = ()
    person_before: tuple[str, ...] = ()
    organization_before: tuple[str, ...] = ()
    organization_heads: tuple[str, ...] = ()
    organization_suffixes: tuple[str, ...] = ()
    place_heads: tuple[str, ...] = ()
    municipal_kinds: tuple[str, ...] = ()
    indefinite: tuple[str, ...] = ()
    person_fillers: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    def weight(self, kind: str) -> int:
        return dict(self.weights)[kind]

    @classmethod
    def of(cls, data: dict[str, Any], path: Path) -> LabelRules:
        """Validate the mapping read from ``path``; errors name the file and the key."""
        def strings(key: str) -> tuple[str, ...]:
            items = data.get(key, [])
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ConfigError(str(path), N_("'%(key)s' must be a list of strings (quote them)"), key=key)
            return tuple(items)

        weights = data.get("weights")
        if not isinstance(weights, dict) or set(weights) != set(WEIGHTS) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in weights.values()):
            raise ConfigError(str(path), N_("'%(key)s' must give a whole number to each of: %(names)s"),
                              key="weights", names=", ".join(WEIGHTS))
        lists = ("weak_rules", "person_rules", "civilities_in_names", "institutions_before", "institution_adjectives",
                 "place_before",
                 "weak_place_before", "weak_organization_before", "person_before", "organization_before",
                 "organization_heads", "organization_suffixes",
                 "place_heads", "municipal_kinds", "indefinite", "person_fillers")
        return cls(weights=tuple((w, weights[w]) for w in WEIGHTS), codes=_patterns(strings("codes"), "codes", path),
                   **{key: strings(key) for key in lists})


@dataclass(frozen=True)
class PropagationRules:
    """``rules/propagation.yaml``: which detected forms may be searched in every document.

    ``strong_rules`` are rule ids (``fr.person.*`` ends in a wildcard) whose one detection
    is enough; any other form needs ``min_places`` detections. A form with fewer than
    ``min_letters`` letters, a civility or title, or a corpus marker is never spread."""

    strong_rules: tuple[str, ...] = ()
    min_places: int = 2
    min_letters: int = 4
    markers: frozenset[str] = frozenset()
    marker_patterns: tuple[str, ...] = ()
    # strong rules whose lower-case group name is spread without its kind word and article
    # ("l'association les amis du lavoir" -> "amis du lavoir")
    name_rules: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: dict[str, Any], path: Path) -> PropagationRules:
        """Validate the mapping read from ``path``; errors name the file and the key."""
        def strings(key: str) -> tuple[str, ...]:
            items = data.get(key)
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ConfigError(str(path), N_("'%(key)s' must be a list of strings (quote them)"), key=key)
            return tuple(items)

        def count(key: str, default: int) -> int:
            value = data.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(str(path), N_("'%(key)s' must be a whole number of at least 1"), key=key)
            return value

        patterns = _patterns(strings("marker_patterns"), "marker_patterns", path)
        return cls(strings("strong_rules"), count("min_places", 2), count("min_letters", 4),
                   frozenset(fold(m) for m in strings("markers")), patterns,
                   strings("name_rules") if "name_rules" in data else ())


@dataclass(frozen=True)
class Config:
    rules_dir: Path
    model: str
    language: str
    batch_size: int
    office_limits: OfficeLimits
    exclude_components: tuple[str, ...]
    on_demand_components: tuple[str, ...]
    ner_id: str
    ner_score: float
    ner_mapping: dict[str, str]
    ner_stoplist: frozenset[str]
    grid_lines: tuple[str, ...]
    grid_file: Path  # where grid_lines come from (shown by --verbose)
    contact_patterns: dict[str, tuple[PatternRule, ...]]
    civilities: tuple[str, ...]
    particles: tuple[str, ...]
    interviewer_labels: frozenset[str]
    function_words: tuple[str, ...]
    person_scores: dict[str, float]
    role_heads: tuple[str, ...]
    role_links: tuple[str, ...]
    role_max_domain_words: int
    role_scores: dict[str, float]
    role_trades: tuple[str, ...]
    role_domain_heads: tuple[str, ...]
    role_domain_stop: tuple[str, ...]
    role_generic_before: tuple[str, ...]
    role_possessives: tuple[str, ...]
    role_local_units: tuple[str, ...]
    role_own_post: tuple[str, ...]
    org_heads: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    org_prefixes: tuple[str, ...]
    org_names: tuple[str, ...]
    org_score: float
    org_demonym_endings: tuple[str, ...]
    org_department_heads: tuple[str, ...]
    org_kind_heads: tuple[str, ...]
    org_trade_heads: tuple[str, ...]
    org_run_score: float
    org_acronym_score: float
    generic_acronyms: frozenset[str]
    location_nouns: tuple[str, ...]
    location_links: tuple[str, ...]
    location_names: tuple[str, ...]
    location_evidence: tuple[str, ...]
    location_score: float
    location_streets: tuple[str, ...]
    location_generic: frozenset[str]  # names that follow a place noun generically: "place de la Mairie"
    communes: tuple[tuple[str, str, int | None], ...]  # (name, INSEE code, population)
    ambiguous_communes: frozenset[str]
    common_words: frozenset[str]
    place_evidence: tuple[str, ...]
    municipality_score: float
    municipality_ambiguous_score: float
    label_priority: tuple[str, ...]
    first_names: dict[str, str]  # name -> F/M/X
    surnames: tuple[str, ...]
    tags: dict[str, str]
    first_name_info: dict[str, tuple[str, int]]  # name -> (decade of popularity or "", rank)
    gazetteer: tuple[Commune, ...]
    pseudonym_rules: PseudonymRules
    review: ReviewRules
    spoken: SpokenRules
    propagation: PropagationRules = PropagationRules()
    person_forms: PersonForms = PersonForms()  # persons.yaml "forms": speech's own forms of names
    location_adjectives: tuple[str, ...] = ()  # "le marché couvert Beaux-Arts"
    org_activity_suffixes: tuple[str, ...] = ()  # "Clin d'œil animation": a name and its activity
    org_head_adjectives: tuple[str, ...] = ()  # "le lycée professionnel Jean-Moulin": a kind's adjective
    org_named_after: tuple[str, ...] = ()  # "l'association les amis du lavoir": kinds named after them
    org_named_after_stop: tuple[str, ...] = ()  # words that end such a name
    org_letterhead_kinds: tuple[str, ...] = ()  # "Association loi 1901" under a line in capitals: its name
    org_chains: tuple[str, ...] = ()  # shop chains and banks: a known name, and a head before a place (detection only)
    org_company_acquired: tuple[str, ...] = ()  # "racheté par X": X is a company
    org_company_words: tuple[str, ...] = ()  # "le pain de chez X, le boulanger": X is a company
    dateline_months: tuple[str, ...] = ()  # "Tours, salle des fêtes, 3 mai 2022": a dateline
    residence_verbs: tuple[str, ...] = ()  # "j'habite à X": X is a commune, known or not
    residence_verbs_bare: tuple[str, ...] = ()  # "elle habite X": no "à" needed
    role_title_stop: tuple[str, ...] = ()  # "le trésorier rappelle que…": no title goes on past these
    role_self_intro: tuple[str, ...] = ()  # "j'ai été", "je suis devenue": the speaker's own title follows
    role_self_adverbs: tuple[str, ...] = ()  # "je suis aussi présidente du club"
    role_own_mandates: tuple[str, ...] = ()  # "depuis que je suis maire": a mandate bare, said of oneself
    role_article_units: tuple[str, ...] = ()  # "la directrice de l'école": one body with its article
    role_introducers: tuple[str, ...] = ()  # "on a un délégué du préfet pour ...": one person introduced
    role_hedges: tuple[str, ...] = ()  # "c'est un peu le maire du quartier": a figure of speech
    role_areas: tuple[str, ...] = ()  # "technicien de l'ONF pour le secteur de X": the area a post covers
    role_verb_before: tuple[str, ...] = ()  # "on a élu un bureau": a participle after these, no title
    # a project file's (config/project.py): folded forms never masked, forms always masked
    # with their label, and whether the lines that recur across a run's documents are grid
    never_mask: frozenset[str] = frozenset()
    always_mask: tuple[tuple[str, str], ...] = ()
    infer_grid: bool = False

    @cached_property
    def _conventions(self) -> tuple[frozenset[str], re.Pattern[str] | None]:
        words = frozenset(fold(w).rstrip(".") for w in (*self.interviewer_labels, *self.propagation.markers))
        patterns = self.propagation.marker_patterns
        return words, re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def is_convention(self, surface: str) -> bool:
        """Whether ``surface`` is, whole, a transcript convention: a speaker or interviewer tag
        ("ENQ", "Q", "E1", "417PERS"), a timestamp, an inaudible or overlap mark ("XXX", "[...]",
        "(inaudible)"), a non-verbal note ("[rires]"). Never a mention, never a review item."""
        surface = surface.strip()
        if not surface or self.spoken.is_marker(surface):
            return True
        words, pattern = self._conventions
        if fold(surface).rstrip(".") in words:
            return True
        # a speaker code is written in capitals ("E1", "417PERS"; not "7e", an arrondissement)
        return pattern is not None and surface.upper() == surface and pattern.match(surface) is not None
    labels: LabelRules = LabelRules()


