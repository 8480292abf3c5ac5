"""Read and validate ``rules/`` once into a :class:`~anonymiser.config.rules.Config`.

Errors name the file and the key. Nothing here imports code from a string.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from anonymiser.config.files import get as _get
from anonymiser.config.files import positive_int as _positive_int
from anonymiser.config.files import read_grid as _read_grid
from anonymiser.config.files import read_lines as _read_lines
from anonymiser.config.files import read_tsv as _read_tsv
from anonymiser.config.files import read_yaml as _read_yaml
from anonymiser.config.files import str_list as _str_list
from anonymiser.config.files import str_map as _str_map
from anonymiser.config.persons import PersonForms
from anonymiser.config.rules import (
    STRATEGIES,
    CandidateRule,
    Config,
    LabelRules,
    PatternRule,
    PropagationRules,
    PseudonymRules,
    ReviewRules,
)
from anonymiser.config.spoken import SpokenRules
from anonymiser.documents.archive import MB, OfficeLimits
from anonymiser.errors import ConfigError
from anonymiser.i18n import N_
from anonymiser.model import LABELS
from anonymiser.text.fold import fold
from anonymiser.text.places import Commune, CommuneRule, PlaceParts


def bundled_rules() -> Path:
    """The rules that ship with the package: the top-level ``rules/`` of the source tree this package runs
    from (a checkout, installed editable or on ``sys.path``), else the installed package ``anonymiser.rules``
    (found with importlib.resources, as in a wheel)."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "rules" / "anonymiser.yaml").is_file():
        return checkout / "rules"
    try:
        return Path(str(resources.files("anonymiser.rules")))
    except ModuleNotFoundError:  # neither: load_config names the missing file
        return checkout / "rules"


DEFAULT_RULES = bundled_rules()

def _patterns(data: dict[str, Any], path: Path) -> dict[str, tuple[PatternRule, ...]]:
    import re

    result: dict[str, tuple[PatternRule, ...]] = {}
    for label, items in data.items():
        if label not in LABELS:
            raise ConfigError(str(path), N_("unknown label '%(label)s'"), label=label)
        rules = []
        for index, item in enumerate(items):
            where = f"{label}[{index}]"
            if not isinstance(item, dict) or "id" not in item or "score" not in item:
                raise ConfigError(str(path), N_("'%(key)s' needs 'id' and 'score'"), key=where)
            regex = item.get("regex", "")
            if regex:
                try:
                    re.compile(regex)
                except re.error as exc:
                    raise ConfigError(str(path), N_("'%(key)s' does not compile (%(reason)s)"),
                                      key=f"{where}.regex", reason=exc.msg) from exc
            rules.append(PatternRule(str(item["id"]), regex, float(item["score"])))
        result[label] = tuple(rules)
    return result


def load_config(rules_dir: str | os.PathLike[str] | None = None) -> Config:
    """Load ``rules/anonymiser.yaml`` and every file it names."""
    root = Path(rules_dir or os.environ.get("ANONYMISER_RULES") or DEFAULT_RULES)
    return _load_cached(root.resolve())


@lru_cache(maxsize=4)
def _load_cached(root: Path) -> Config:
    main_path = root / "anonymiser.yaml"
    main = _read_yaml(main_path)
    ner = _get(main, "ner", dict, main_path)
    pseudo = _get(main, "pseudonyms", dict, main_path)

    contacts_path = root / _get(main, "contacts", str, main_path)
    persons_path = root / _get(main, "persons", str, main_path)
    persons = _read_yaml(persons_path)
    roles_path = root / _get(main, "roles", str, main_path)
    roles = _read_yaml(roles_path)
    orgs_path = root / _get(main, "organizations", str, main_path)
    orgs = _read_yaml(orgs_path)
    # a title with its rank: "deuxième adjointe", "3e vice-président"
    ranked = tuple(f"{rank} {title}" for rank in _optional(roles, "ranks", roles_path)
                   for title in _optional(roles, "ranked_titles", roles_path))
    chains = _optional(orgs, "chains", orgs_path)
    mun_path = root / _get(main, "municipalities", str, main_path)
    mun = _read_yaml(mun_path)
    loc_path = root / _get(main, "locations", str, main_path)
    spoken_path = root / _get(main, "spoken", str, main_path)
    loc = _read_yaml(loc_path)
    location_names = list(_str_list(loc, "names", loc_path))
    for table in _get(loc, "gazetteers", list, loc_path):
        for row in _read_tsv(root / table):
            location_names.append(row["nom"])

    priority = _str_list(main, "label_priority", main_path)
    for label in priority:
        if label not in LABELS:
            raise ConfigError(str(main_path), N_("unknown label '%(label)s' in '%(key)s'"), label=label,
                              key="label_priority")

    communes_path = root / _get(mun, "gazetteer", str, mun_path)
    communes: list[tuple[str, str, int | None]] = []
    gazetteer: list[Commune] = []
    epci_types: dict[str, str] = {}
    epci_path = communes_path.parent / "epci.tsv"
    if epci_path.exists():
        epci_types = {row["code"]: row.get("type") or "" for row in _read_tsv(epci_path)}
    if communes_path.exists():
        for row in _read_tsv(communes_path):
            population = row.get("population") or ""
            communes.append((row["nom"], row["code"], int(population) if population.isdigit() else None))
            gazetteer.append(Commune(row["nom"], row.get("type") or "", int(population) if population.isdigit() else 0,
                                     epci_types.get(row.get("epci") or "", "")))
    common_words: frozenset[str] = frozenset()
    words_path = root / str(mun.get("common_words", ""))
    if mun.get("common_words") and words_path.exists():
        common_words = frozenset(_read_lines(words_path))

    first_names: dict[str, str] = {}
    first_info: dict[str, tuple[str, int]] = {}
    first_path = root / _get(pseudo, "first_names", str, main_path)
    if first_path.exists():
        for row in _read_tsv(first_path):
            first_names[row["prenom"]] = row.get("genre", "X") or "X"
            rank = row.get("rang") or ""
            first_info[row["prenom"]] = (row.get("decennie") or "", int(rank) if rank.isdigit() else 10**9)
    surnames: tuple[str, ...] = ()
    surnames_path = root / _get(pseudo, "surnames", str, main_path)
    if surnames_path.exists():
        surnames = tuple(row["nom"] for row in _read_tsv(surnames_path))

    tags = dict(_get(pseudo, "tags", dict, main_path))
    for label in tags:
        if label not in LABELS:
            raise ConfigError(str(main_path), N_("unknown label '%(label)s' in '%(key)s'"), label=label,
                              key="pseudonyms.tags")

    rules_path = root / _get(pseudo, "rules", str, main_path)
    pseudonym_rules = _pseudonym_rules(_read_yaml(rules_path), rules_path)

    return Config(
        rules_dir=root,
        model=_get(main, "model", str, main_path),
        language=_get(main, "language", str, main_path),
        batch_size=_positive_int(main, "batch_size", main_path, default=32),
        office_limits=_office_limits(main.get("office", {}), main_path),
        exclude_components=_optional(main, "exclude_components", main_path),
        on_demand_components=_optional(main, "on_demand_components", main_path),
        ner_id=_get(ner, "id", str, main_path),
        ner_score=float(_get(ner, "score", (int, float), main_path)),
        ner_mapping=dict(_get(ner, "mapping", dict, main_path)),
        ner_stoplist=frozenset(_read_lines(root / _get(ner, "stoplist", str, main_path))),
        never_mask=frozenset(fold(w) for w in _read_lines(root / _get(main, "never_mask", str, main_path)))
        if "never_mask" in main else frozenset(),
        grid_lines=_read_grid(root / _get(main, "grid", str, main_path)),
        infer_grid=_get(main, "infer_grid", bool, main_path) if "infer_grid" in main else False,
        grid_file=root / _get(main, "grid", str, main_path),
        contact_patterns=_patterns(_read_yaml(contacts_path), contacts_path),
        civilities=_str_list(persons, "civilities", persons_path),
        particles=_str_list(persons, "particles", persons_path),
        interviewer_labels=frozenset(_str_list(persons, "interviewer_labels", persons_path)),
        function_words=_str_list(persons, "function_words", persons_path),
        person_scores={k: float(v) for k, v in _get(persons, "scores", dict, persons_path).items()},
        person_forms=PersonForms.of(persons.get("forms"), str(persons_path)),
        role_heads=(*_str_list(roles, "heads", roles_path), *ranked),
        role_links=_str_list(roles, "links", roles_path),
        role_max_domain_words=int(_get(roles, "max_domain_words", int, roles_path)),
        role_scores={k: float(v) for k, v in _get(roles, "scores", dict, roles_path).items()},
        role_trades=_str_list(roles, "trades", roles_path),
        role_domain_heads=(*_str_list(roles, "domain_heads", roles_path), *ranked),
        role_domain_stop=_str_list(roles, "domain_stop", roles_path),
        role_title_stop=_optional(roles, "title_stop", roles_path),
        role_generic_before=_str_list(roles, "generic_before", roles_path),
        role_possessives=_str_list(roles, "possessives", roles_path),
        role_local_units=_str_list(roles, "local_units", roles_path),
        role_own_post=_str_list(roles, "own_post", roles_path),
        role_self_intro=_optional(roles, "self_intro", roles_path),
        role_self_adverbs=_optional(roles, "self_adverbs", roles_path),
        role_own_mandates=_optional(roles, "own_mandates", roles_path),
        role_article_units=_optional(roles, "article_units", roles_path),
        role_introducers=_optional(roles, "introducers", roles_path),
        role_hedges=_optional(roles, "hedges", roles_path),
        role_areas=_optional(roles, "areas", roles_path),
        role_verb_before=_optional(roles, "verb_before", roles_path),
        org_heads=_with_trades(_str_list(orgs, "heads", orgs_path), _str_list(orgs, "trade_heads", orgs_path)),
        org_suffixes=_str_list(orgs, "suffixes", orgs_path),
        org_prefixes=_str_list(orgs, "prefixes", orgs_path),
        org_names=(*_str_list(orgs, "names", orgs_path), *chains), org_chains=chains,
        org_score=float(_get(orgs, "score", (int, float), orgs_path)),
        org_demonym_endings=_str_list(orgs, "demonym_endings", orgs_path),
        org_department_heads=_str_list(orgs, "department_heads", orgs_path),
        org_kind_heads=_str_list(orgs, "kind_heads", orgs_path),
        org_letterhead_kinds=_optional(orgs, "letterhead_kinds", orgs_path),
        org_trade_heads=_str_list(orgs, "trade_heads", orgs_path),
        org_activity_suffixes=_optional(orgs, "activity_suffixes", orgs_path),
        org_head_adjectives=_optional(orgs, "head_adjectives", orgs_path),
        org_named_after=_optional(orgs, "named_after", orgs_path),
        org_named_after_stop=_optional(orgs, "named_after_stop", orgs_path),
        org_company_acquired=_optional(orgs, "company_acquired", orgs_path),
        org_company_words=_optional(orgs, "company_words", orgs_path),
        org_run_score=float(_get(orgs, "capitalised_run_score", (int, float), orgs_path)),
        org_acronym_score=float(_get(orgs, "acronym_score", (int, float), orgs_path)),
        generic_acronyms=frozenset(_read_lines(root / _get(orgs, "generic_acronyms", str, orgs_path))),
        location_nouns=_str_list(loc, "place_nouns", loc_path),
        location_links=_str_list(loc, "links", loc_path),
        location_names=tuple(dict.fromkeys(location_names)),
        location_evidence=_str_list(loc, "evidence_before", loc_path),
        location_score=float(_get(loc, "score", (int, float), loc_path)),
        location_streets=_str_list(loc, "street_nouns", loc_path),
        location_generic=frozenset(_str_list(loc, "generic_names", loc_path)),
        location_adjectives=_optional(loc, "place_adjectives", loc_path),
        communes=tuple(communes),
        ambiguous_communes=frozenset(_str_list(mun, "ambiguous", mun_path)),
        common_words=common_words,
        place_evidence=_str_list(mun, "evidence_before", mun_path),
        dateline_months=_optional(mun, "dateline_months", mun_path),
        residence_verbs=_optional(mun, "residence_verbs", mun_path),
        residence_verbs_bare=_optional(mun, "residence_verbs_bare", mun_path),
        municipality_score=float(_get(mun, "score", (int, float), mun_path)),
        municipality_ambiguous_score=float(_get(mun, "ambiguous_score", (int, float), mun_path)),
        label_priority=priority, first_names=first_names, surnames=surnames, tags=tags,
        first_name_info=first_info,
        gazetteer=tuple(gazetteer),
        pseudonym_rules=pseudonym_rules,
        review=_review_rules(root / _get(main, "review", str, main_path)),
        spoken=SpokenRules.from_data(_read_yaml(spoken_path), str(spoken_path)),
        propagation=(PropagationRules.of(_read_yaml(root / main["propagation"]), root / main["propagation"])
                     if "propagation" in main else PropagationRules()),
        labels=(LabelRules.of(_read_yaml(root / main["labels"]), root / main["labels"])
                if "labels" in main else LabelRules()),
    )


def _optional(data: Any, key: str, path: Path) -> tuple[str, ...]:
    return _str_list(data, key, path) if key in data else ()


def _with_trades(heads: tuple[str, ...], trades: tuple[str, ...]) -> tuple[str, ...]:
    """The heads of organizations.yaml with its trades: a trade is a head too ("Droguerie X")."""
    return (*heads, *(t for t in trades if t not in heads))


def _office_limits(data: Any, path: Path) -> OfficeLimits:
    """The ``office`` caps of the main file (sizes in MB); each is optional."""
    if not isinstance(data, dict):
        raise ConfigError(str(path), N_("'%(key)s' must be a mapping"), key="office")
    default = OfficeLimits()
    for key in data:
        if key not in ("max_expanded_mb", "max_parts", "max_ratio"):
            raise ConfigError(str(path), N_("unknown key '%(key)s'"), key=f"office.{key}")
    values = {}
    for key, fallback in (("max_expanded_mb", default.max_expanded // MB), ("max_parts", default.max_parts),
                          ("max_ratio", default.max_ratio)):
        value = data.get(key, fallback)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(str(path), f"key 'office.{key}' must be a whole number of at least 1")
        values[key] = value
    return OfficeLimits(max_expanded=values["max_expanded_mb"] * MB, max_parts=values["max_parts"],
                        max_ratio=values["max_ratio"])


def _review_rules(path: Path) -> ReviewRules:
    """Load and validate ``rules/review.yaml``."""
    import re

    data = _read_yaml(path)
    low = _get(data, "low_score", (int, float), path)
    if not 0 <= low <= 1:
        raise ConfigError(str(path), N_("'%(key)s' must be between 0 and 1"), key="low_score")
    patterns = []
    for index, item in enumerate(_get(data, "quasi_identifiers", list, path)):
        where = f"quasi_identifiers[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("regex"), str):
            raise ConfigError(str(path), N_("'%(key)s' needs an 'id' and a 'regex' (strings)"), key=where)
        try:
            re.compile(item["regex"], re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(str(path), N_("'%(key)s' does not compile (%(reason)s)"),
                              key=f"{where}.regex", reason=exc.msg) from exc
        patterns.append(PatternRule(item["id"], item["regex"], 1.0))
    candidates = []
    for index, item in enumerate(data.get("candidates", []) or []):
        where = f"candidates[{index}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "regex", "label")):
            raise ConfigError(str(path), N_("'%(key)s' needs an 'id', a 'regex' and a 'label' (strings)"), key=where)
        if item["label"] not in LABELS:
            raise ConfigError(str(path), N_("unknown label '%(label)s' in '%(key)s'"), label=item["label"], key=where)
        try:
            pattern = re.compile(item["regex"], re.IGNORECASE | re.MULTILINE)
        except re.error as exc:
            raise ConfigError(str(path), N_("'%(key)s' does not compile (%(reason)s)"),
                              key=f"{where}.regex", reason=exc.msg) from exc
        candidates.append(CandidateRule(item["id"], pattern, item["label"], bool(item.get("unknown_word", False)),
                                        bool(item.get("spread", False))))
    return ReviewRules(
        low_score=float(low),
        min_miss_length=int(_get(data, "min_miss_length", int, path)),
        min_typo_length=int(_get(data, "min_typo_length", int, path)),
        quasi_identifiers=tuple(patterns),
        candidates=tuple(candidates),
        not_names=tuple(str(w) for w in data.get("not_names", []) or []),
        occupation_endings=tuple(str(w) for w in data.get("occupation_endings", []) or []),
        start_first_name_rank=int(data.get("start_first_name_rank", 0)),
        start_surname_rank=int(data.get("start_surname_rank", 0)),
        start_commune_population=int(data.get("start_commune_population", 0)),
    )


def _neutral(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``neutral`` of ``rules/pseudonyms.yaml``: weak rules and neutral phrases per label."""
    weak = _get(data, "weak_rules", dict, path)
    phrases = _str_map(data, "phrases", path)
    for key, labels in (("neutral.weak_rules", weak), ("neutral.phrases", phrases)):
        for label in labels:
            if label not in LABELS:
                raise ConfigError(str(path), N_("unknown label '%(label)s' in '%(key)s'"), label=label, key=key)
    for label in weak:
        if label not in phrases and label != "ORGANIZATION":  # an organisation's phrase is its kind
            raise ConfigError(str(path), N_("'%(key)s' has no entry for %(labels)s"), key="neutral.phrases",
                              labels=label)
    return {"neutral_rules": {label: frozenset(_str_list(weak, label, path)) for label in weak},
            "neutral_phrases": phrases, "neutral_not_after": _str_list(data, "not_after", path)}


def _pseudonym_rules(data: dict[str, Any], path: Path) -> PseudonymRules:
    """Load and validate ``rules/pseudonyms.yaml``."""
    allowed: dict[str, tuple[str, ...]] = {}
    for label, items in _get(data, "allowed", dict, path).items():
        if label not in LABELS:
            raise ConfigError(str(path), N_("unknown label '%(label)s' in '%(key)s'"), label=label, key="allowed")
        if not isinstance(items, list) or not items:
            raise ConfigError(str(path), N_("'%(key)s' must be a non-empty list"), key=f"allowed.{label}")
        for item in items:
            if item not in STRATEGIES:
                raise ConfigError(str(path), N_("unknown strategy '%(strategy)s' in '%(key)s'"), strategy=item,
                                  key=f"allowed.{label}")
        allowed[label] = tuple(items)
    missing = [label for label in LABELS if label not in allowed]
    if missing:
        raise ConfigError(str(path), N_("'%(key)s' has no entry for %(labels)s"), key="allowed",
                          labels=", ".join(missing))
    persons = _get(data, "persons", dict, path)
    places = _get(data, "places", dict, path)
    orgs = _get(data, "organizations", dict, path)
    communes = _get(data, "municipalities", dict, path)
    roles = _get(data, "roles", dict, path)
    gender = _str_map(persons, "civility_gender", path)
    for civility, value in gender.items():
        if value not in {"F", "M"}:
            raise ConfigError(str(path), N_("'%(key)s' must be F or M"),
                              key=f"persons.civility_gender.{civility}")
    rules = []
    for index, item in enumerate(_get(communes, "rules", list, path)):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ConfigError(str(path), N_("'%(key)s' needs a 'text'"), key=f"municipalities.rules[{index}]")
        epci = item.get("epci", [])
        if not isinstance(epci, list) or not isinstance(item.get("min_population", 0), int):
            raise ConfigError(str(path), N_("'%(key)s' has a value of the wrong type"),
                              key=f"municipalities.rules[{index}]")
        rules.append(CommuneRule(item["text"], str(item.get("type", "")), int(item.get("min_population", 0)),
                                 tuple(str(e) for e in epci)))
    parts = PlaceParts(
        stems=_str_list(places, "stems", path),
        endings=_str_list(places, "endings", path),
        articles=_str_map(places, "articles", path),
        complements=_str_list(places, "complements", path),
        complement_every=int(_get(places, "complement_every", int, path)),
        compose_links=_str_list(places, "compose_links", path),
        keep_head_from=int(_get(places, "keep_head_from", int, path)),
    )
    if not parts.stems or not parts.endings:
        raise ConfigError(str(path), N_("'places.stems' and 'places.endings' must not be empty"))
    result = PseudonymRules(
        strategies={},
        allowed=allowed,
        redaction=_get(data, "redaction", str, path),
        person_max_rank=int(_get(persons, "max_rank", int, path)),
        person_min_candidates=int(_get(persons, "min_candidates", int, path)),
        civility_gender=gender,
        places=parts,
        org_names=_str_list(orgs, "names", path),
        org_kinds=_str_map(orgs, "kinds", path),
        org_suffix_kinds=_str_map(orgs, "suffix_kinds", path),
        org_kind_default=_get(orgs, "kind_default", str, path),
        org_territorial=_str_list(orgs, "territorial", path),
        commune_rules=tuple(rules),
        place_default=_get(communes, "place_default", str, path),
        role_fallback=_get(roles, "fallback", str, path),
        municipal_heads=_str_list(roles, "municipal_heads", path),
        h_aspire=frozenset(fold(w) for w in _str_list(data, "h_aspire", path)),
        **_neutral(_get(data, "neutral", dict, path), path),
    )
    strategies = _str_map(data, "strategies", path)
    missing = [label for label in LABELS if label not in strategies]
    if missing:
        raise ConfigError(str(path), N_("'%(key)s' has no entry for %(labels)s"), key="strategies",
                          labels=", ".join(missing))
    from dataclasses import replace

    return replace(result, strategies=result.check_strategies(strategies, str(path)))
