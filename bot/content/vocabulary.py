"""The one definition of who the assistant helps (audiences), what with (needs) and the kinds of
crisis it signposts. Content files, the understanding rules, the actions and the buttons all use
these ids; the words a person sees for each live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple


@dataclass(frozen=True)
class Term:
    id: str
    button: str  # what a button offering it says
    heading: str  # completes "Help ..." in a reply heading


AUDIENCES: Dict[str, Term] = {
    t.id: t
    for t in (
        Term("family", "A family member or friend", "for families and friends"),
        Term("victim_witness", "A victim or witness of crime", "for victims and witnesses"),
        Term("convicted", "Someone with a conviction or on an order", "for people with a conviction"),
        Term("leaving_prison", "Someone leaving prison", "for people leaving prison"),
    )
}
# Services for people in crisis whoever they are (content only: nobody is asked "are you in crisis?").
CRISIS_AUDIENCE = "crisis"
SERVICE_AUDIENCES: Tuple[str, ...] = (*AUDIENCES, CRISIS_AUDIENCE)

NEEDS: Dict[str, Term] = {
    t.id: t
    for t in (
        Term("emotional_support", "Someone to talk to", "with someone to talk to"),
        Term("visiting", "Visits and keeping in touch", "with visits and keeping in touch"),
        Term("find_prison", "Finding out where someone is held", "finding out where someone is held"),
        Term("children", "Children and young people", "for children and young people"),
        Term("housing", "Housing", "with housing"),
        Term("money", "Money and benefits", "with money and benefits"),
        Term("mental_health", "Mental health", "with mental health"),
        Term("drugs_alcohol", "Drugs or alcohol", "with drugs or alcohol"),
        Term("employment", "Work and training", "with work and training"),
        Term("legal_disclosure", "Criminal records", "with criminal records and disclosure"),
        Term("legal_advice", "Legal advice and court", "with legal advice and court"),
        Term("court_witness", "Going to court as a witness", "for going to court as a witness"),
        Term("release_info", "Being told about a release", "with being told about a prisoner's release"),
        Term("compensation", "Compensation", "with compensation for a crime"),
        Term("reporting", "Reporting a crime", "with reporting a crime"),
    )
}

# Crisis kinds, in the order a reply deals with them when a message has more than one.
CRISIS_KINDS: Tuple[str, ...] = ("danger", "suicidal", "domestic_abuse", "sexual_violence")
CRISIS_INTENT_PREFIX = "crisis_"

ANY = "any"  # "any audience / any need" in routes and answers


def crisis_intent(kind: str) -> str:
    return f"{CRISIS_INTENT_PREFIX}{kind}"


def crisis_kind_of_intent(intent: str) -> str | None:
    if intent.startswith(CRISIS_INTENT_PREFIX) and intent[len(CRISIS_INTENT_PREFIX) :] in CRISIS_KINDS:
        return intent[len(CRISIS_INTENT_PREFIX) :]
    return None
