"""What each intent asks for: which content answer a question intent gets, which audience a support
intent names, and plain names for intents on "did you mean" buttons."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

# intent -> (partnership topic or None, general answer id)
TOPIC_INTENTS: Dict[str, Tuple[Optional[str], str]] = {
    "ask_what_is_community_justice": (None, "what_is_community_justice"),
    "ask_why_partnership_exists": ("why_exists", "why_partnerships_exist"),
    "ask_about_partnership": ("about", "what_is_community_justice"),
    "ask_governance": ("governance", "why_partnerships_exist"),
    "ask_aims": ("aims", "national_picture"),
    "ask_remit": ("remit", "why_partnerships_exist"),
    "ask_progress": ("progress", "how_progress_is_measured"),
    "ask_outcomes_plan": ("outcomes_plan", "outcomes_plans"),
    "ask_history": ("history", "history_of_community_justice"),
    "ask_areas_covered": ("areas", "why_partnerships_exist"),
    "ask_national_picture": (None, "national_picture"),
    "ask_statistics": ("statistics", "statistics_scotland"),
    "ask_arrest_custody": (None, "arrest_and_custody"),
    "ask_police_direct_measures": (None, "police_direct_measures"),
    "ask_fiscal_diversion": (None, "fiscal_and_diversion"),
    "ask_bail_supervision": (None, "bail_supervision"),
    "ask_structured_deferred_sentence": (None, "structured_deferred_sentence"),
    "ask_community_payback_order": (None, "community_payback_order"),
    "ask_dtto": (None, "dtto"),
    "ask_electronic_monitoring": (None, "electronic_monitoring"),
    "ask_prison_sentence": (None, "prison_sentence"),
    "ask_release_throughcare": (None, "release_and_throughcare"),
    "ask_home_detention_curfew": (None, "home_detention_curfew"),
    "ask_disclosure": (None, "disclosure"),
}

# Support requests that name who the help is for.
INTENT_AUDIENCE: Dict[str, str] = {
    "request_support_family": "family",
    "request_support_victim": "victim_witness",
    "request_support_convicted": "convicted",
    "request_support_release": "leaving_prison",
}
SUPPORT_INTENTS = {"request_support", *INTENT_AUDIENCE}

# Messages that say nothing about what the person wants on their own ("yes", "hello", a town...).
UNSPECIFIC_INTENTS = {
    "nlu_fallback",
    "out_of_scope",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "what_can_you_do",
    "bot_challenge",
    "inform",
    "ask_more",
}

# Plain names for intents that are not topics, for "did you mean" buttons.
INTENT_TITLES: Dict[str, str] = {
    "ask_partners": "Who the partners are",
    "ask_contact": "Contact details",
    "ask_for_human": "Talk to a person",
    "request_support": "Find support",
    "request_support_family": "Support for families",
    "request_support_victim": "Support for victims and witnesses",
    "request_support_convicted": "Support for people with a conviction",
    "request_support_release": "Support when leaving prison",
    "crisis_danger": "I am in danger now",
    "crisis_suicidal": "I am thinking about suicide",
    "crisis_domestic_abuse": "Domestic abuse",
    "crisis_sexual_violence": "Rape or sexual assault",
    "what_can_you_do": "What you can help with",
    "bot_challenge": "Am I talking to a person?",
    "ask_meaning": "What a word means",
}

# Intents never offered as "did you mean" suggestions.
NOT_SUGGESTED = {
    "nlu_fallback",
    "inform",
    "affirm",
    "deny",
    "greet",
    "goodbye",
    "thank",
    "out_of_scope",
    "ask_more",
    "ask_service_detail",
    "correct_audience",
    "ask_local",
    "ask_other_help",
}
