"""Presidio recognizers for French interviews. Each can be added to any ``AnalyzerEngine``;
``french_recognizers()`` builds them all from the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from presidio_analyzer import EntityRecognizer

from anonymiser.recognizers.arrondissements import ArrondissementRecognizer
from anonymiser.recognizers.contacts import (
    FrAddressRecognizer,
    FrEmailRecognizer,
    FrPhoneRecognizer,
    FrUrlRecognizer,
)
from anonymiser.recognizers.known import KnownEntityRecognizer, ProjectWordsRecognizer
from anonymiser.recognizers.locations import FrenchLocationRecognizer
from anonymiser.recognizers.municipalities import (
    MunicipalityRecognizer,
    commune_variants,
)
from anonymiser.recognizers.naming import NamingRecognizer
from anonymiser.recognizers.ner import FrenchNerRecognizer, PlaceHeads
from anonymiser.recognizers.organizations import FrenchOrganizationRecognizer
from anonymiser.recognizers.person_forms import PersonFormsRecognizer
from anonymiser.recognizers.persons import FrenchPersonRecognizer
from anonymiser.recognizers.roles import FrenchRoleRecognizer
from anonymiser.recognizers.transcripts import TranscriptNameRecognizer
from anonymiser.text.fold import fold
from anonymiser.text.matching import PhraseIndex

if TYPE_CHECKING:
    from anonymiser.config.rules import Config

__all__ = [
    "ArrondissementRecognizer",
    "FrAddressRecognizer",
    "FrEmailRecognizer",
    "FrPhoneRecognizer",
    "FrUrlRecognizer",
    "FrenchLocationRecognizer",
    "FrenchNerRecognizer",
    "FrenchOrganizationRecognizer",
    "FrenchPersonRecognizer",
    "FrenchRoleRecognizer",
    "PersonFormsRecognizer",
    "KnownEntityRecognizer",
    "ProjectWordsRecognizer",
    "TranscriptNameRecognizer",
    "MunicipalityRecognizer",
    "NamingRecognizer",
    "french_recognizers",
]


def french_recognizers(config: Config | None = None) -> list[EntityRecognizer]:
    """Our French recognizers, configured from ``rules/`` (default: the bundled rules), ready
    to add to any Presidio ``AnalyzerEngine`` whose NLP engine runs ``fr_core_news_md``::

        analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["fr"])
        for recognizer in french_recognizers():
            analyzer.registry.add_recognizer(recognizer)
    """
    if config is None:
        from anonymiser.config.load import load_config

        config = load_config()
    communes = PhraseIndex(
        (variant, code) for name, code, _ in config.communes for variant, _kind in commune_variants(name)
    )
    contacts = config.contact_patterns
    markers = config.interviewer_labels | config.propagation.markers  # never a mention on their own
    blocked = config.ner_stoplist | frozenset(config.role_heads) | frozenset(config.org_heads) | markers
    project = [ProjectWordsRecognizer(config.always_mask, supported_language=config.language)] \
        if config.always_mask else []
    return [*project,
        FrPhoneRecognizer(contacts["PHONE_NUMBER"], supported_language=config.language),
        FrEmailRecognizer(contacts["EMAIL_ADDRESS"][0], supported_language=config.language),
        FrUrlRecognizer(contacts["URL"], supported_language=config.language),
        FrAddressRecognizer(contacts["ADDRESS"], supported_language=config.language),
        FrenchPersonRecognizer(
            first_names=config.first_names, civilities=config.civilities, particles=config.particles,
            interviewer_labels=config.interviewer_labels, scores=config.person_scores,
            common_words=config.person_forms.ordinary_words(config.common_words), blocked_words=blocked,
            function_words=config.function_words, events=frozenset(config.spoken.events),
            generic_acronyms=config.generic_acronyms, supported_language=config.language,
            business_words=frozenset((*config.org_trade_heads, *config.org_kind_heads)),
            surnames=frozenset(config.surnames),
            titles=frozenset((*config.role_heads, *config.role_trades)),
            forms=config.person_forms,
        ),
        PersonFormsRecognizer(
            forms=config.person_forms, first_names=_first_name_ranks(config), surnames=_surname_ranks(config),
            common_words=config.person_forms.ordinary_words(config.common_words), scores=config.person_scores,
            blocked_words=blocked | frozenset(config.spoken.events) | config.spoken.nationality_forms()
            | frozenset(config.civilities) | frozenset(config.function_words),
            not_after=(*config.spoken.naming.organization_heads, *config.spoken.naming.place_heads),
            supported_language=config.language,
        ),
        FrenchRoleRecognizer(heads=config.role_heads, links=config.role_links,
                             max_domain_words=config.role_max_domain_words, scores=config.role_scores,
                             trades=config.role_trades, domain_heads=config.role_domain_heads,
                             domain_stop=config.role_domain_stop, title_stop=config.role_title_stop,
                             generic_before=config.role_generic_before,
                             possessives=config.role_possessives, local_units=config.role_local_units,
                             own_post=config.role_own_post, not_places=frozenset(config.org_heads),
                             self_intro=config.role_self_intro, self_adverbs=config.role_self_adverbs,
                             own_mandates=config.role_own_mandates,
                             verb_before=config.role_verb_before, article_units=config.role_article_units,
                             introducers=config.role_introducers, hedges=config.role_hedges, areas=config.role_areas,
                             ordinals=config.spoken.arrondissements.ordinals, markers=config.spoken.markers,
                             civilities=config.civilities, interviewer_labels=config.interviewer_labels,
                             common_words=config.common_words, first_names=frozenset(config.first_names),
                             streets=config.location_streets,
                             kinds=(*config.org_kind_heads, *config.org_trade_heads, *config.location_nouns,
                                    *config.location_streets, *config.labels.institutions_before),
                             supported_language=config.language),
        # a chain is a head before its local shop's place ("le Super U de Plouay"), for detection only:
        # a pseudonym keeps a kind word of its body, never a chain's name
        FrenchOrganizationRecognizer(heads=(*config.org_heads, *config.org_chains), suffixes=config.org_suffixes,
                                     prefixes=config.org_prefixes, names=config.org_names,
                                     score=config.org_score, demonym_endings=config.org_demonym_endings,
                                     department_heads=config.org_department_heads,
                                     kind_heads=config.org_kind_heads, trade_heads=config.org_trade_heads,
                                     letterhead_kinds=config.org_letterhead_kinds,
                                     activity_suffixes=config.org_activity_suffixes,
                                     head_adjectives=config.org_head_adjectives,
                                     named_after=config.org_named_after,
                                     named_after_stop=config.org_named_after_stop,
                                     company_acquired=config.org_company_acquired,
                                     company_words=(*config.org_company_words, *config.org_trade_heads),
                                     given_names=_given_names(config),
                                     run_score=config.org_run_score, acronym_score=config.org_acronym_score,
                                     generic_acronyms=config.generic_acronyms,
                                     common_words=config.common_words,
                                     blocked_words=config.ner_stoplist | markers,
                                     peoples=config.spoken.nationality_forms(), civilities=config.civilities,
                                     first_names=frozenset(config.first_names),
                                     not_first=frozenset(h for h in config.role_heads if " " not in h)
                                     | frozenset(config.spoken.events) | frozenset(config.spoken.rejects.salutations),
                                     supported_language=config.language),
        FrenchLocationRecognizer(place_nouns=config.location_nouns, links=config.location_links,
                                 names=config.location_names, evidence_before=config.location_evidence,
                                 score=config.location_score, blocked_words=blocked,
                                 not_places=config.spoken.nationality_forms() | frozenset(config.spoken.events),
                                 streets=config.location_streets, generic=config.location_generic,
                                 adjectives=config.location_adjectives,
                                 civilities=config.civilities, common_words=config.common_words,
                                 first_names=frozenset(config.first_names),
                                 supported_language=config.language),
        MunicipalityRecognizer(communes=config.communes, ambiguous=config.ambiguous_communes,
                               common_words=config.common_words, evidence_before=config.place_evidence,
                               score=config.municipality_score,
                               ambiguous_score=config.municipality_ambiguous_score,
                               dateline_months=config.dateline_months,
                               residence_verbs=config.residence_verbs,
                               residence_verbs_bare=config.residence_verbs_bare,
                               first_names=frozenset(config.first_names),
                               blocked_words=blocked | config.spoken.nationality_forms()
                               | frozenset(config.spoken.events),
                               supported_language=config.language),
        ArrondissementRecognizer(**vars(config.spoken.arrondissements), supported_language=config.language),
        NamingRecognizer(**vars(config.spoken.naming), common_words=config.common_words,
                         kind_names=frozenset(" ".join(fold(h).split()) for h in (*config.org_heads,
                                                                                  *config.org_kind_heads)),
                         first_names=frozenset(config.first_names), supported_language=config.language),
        TranscriptNameRecognizer(**vars(config.spoken.transcript_names), function_words=config.function_words,
                                 interviewer_labels=config.interviewer_labels | config.spoken.nationality_forms()
                                 | config.location_generic | frozenset(config.spoken.events),
                                 generic_acronyms=config.generic_acronyms, supported_language=config.language),
        FrenchNerRecognizer(labels=tuple(config.ner_mapping.values()), score=config.ner_score,
                            rule_id=config.ner_id,
                            stoplist=config.ner_stoplist | markers | frozenset(config.role_heads),  # a title alone
                            civilities=config.civilities, communes=communes,
                            common_words=config.common_words, generic_acronyms=config.generic_acronyms,
                            demonym_endings=config.org_demonym_endings,
                            places=PlaceHeads(nouns=config.location_nouns, streets=config.location_streets,
                                              links=config.location_links, generic=config.location_generic),
                            supported_language=config.language),
    ]



def _first_name_ranks(config: Config) -> dict[str, int]:
    """Folded first name -> its best rank in the lexicon (1 = the most given)."""
    ranks: dict[str, int] = {}
    for name in config.first_names:
        rank = config.first_name_info.get(name, ("", 1 << 30))[1]
        key = fold(name)
        ranks[key] = min(rank, ranks.get(key, rank))
    return ranks


def _surname_ranks(config: Config) -> dict[str, int]:
    """Folded surname -> its rank in the lexicon (the lexicon is in rank order)."""
    ranks: dict[str, int] = {}
    for index, name in enumerate(config.surnames, start=1):
        ranks.setdefault(fold(name), index)
    return ranks


# a first name this common, or one that is no surname, after "chez" is someone's home ("chez Mathilde")
_COMMON_FIRST_NAME_RANK = 2000


def _given_names(config: Config) -> frozenset[str]:
    """Folded first names that name a person rather than a family business."""
    surnames = {fold(n) for n in config.surnames}
    return frozenset(fold(name) for name in config.first_names
                     if fold(name) not in surnames
                     or config.first_name_info.get(name, ("", _COMMON_FIRST_NAME_RANK + 1))[1]
                     <= _COMMON_FIRST_NAME_RANK)
