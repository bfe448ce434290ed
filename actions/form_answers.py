"""Read free-text answers to the support form's questions (buttons send the same words)."""
from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

ANY = "any"

SKIP_PATTERN = re.compile(
    r"^\W*(skip|any|anything|all|none|no idea|not sure|unsure|dunno|don'?t know|dont mind|don'?t mind|pass|"
    r"rather not say|prefer not to say|no|naw|nah|whatever|either|doesn'?t matter|skip this( question)?|"
    r"anything (really|at all)|everything|a bit of everything|somewhere else|elsewhere|outside)\W*$",
    re.I,
)

# Ordered: the first pattern that matches wins.
AUDIENCE_PATTERNS: Tuple[Tuple[str, re.Pattern], ...] = (
    ("victim_witness", re.compile(r"victim|witness|assault|attack|burgl|rob|abus|harass|stalk|give evidence|crime against", re.I)),
    ("leaving_prison", re.compile(r"releas|get(ting)? out|leav(e|ing) (the )?(prison|jail)|just out|liberat|come out|coming out", re.I)),
    ("family", re.compile(
        r"\b(son|daughter|boy|lassie|girl|wean|kid|child|brother|sister|bro|sis|dad|father|da|mum|mam|maw|mother|"
        r"husband|wife|partner|boyfriend|girlfriend|fiance|uncle|auntie|aunt|cousin|nephew|niece|gran|granny|grandad|"
        r"grandson|granddaughter|family|friend|pal|mate|relative|someone else|somebody else|loved one)s?\b", re.I)),
    ("convicted", re.compile(r"conviction|record|order|cpo|community payback|probation|sentence|court", re.I)),
)

NEED_PATTERNS: Tuple[Tuple[str, re.Pattern], ...] = (
    ("housing", re.compile(r"hous|home(less)?|somewhere to (stay|live)|a place to (stay|live)|accommodation|flat|tenan|rent|evict|roof", re.I)),
    ("money", re.compile(r"money|debt|benefit|skint|bills?\b|cash|financ|fine\b|fines\b|universal credit|food", re.I)),
    ("mental_health", re.compile(r"mental|depress|anxi|stress|low mood|nerves|panic|not coping|struggling", re.I)),
    ("drugs_alcohol", re.compile(r"drug|alcohol|drink|addict|substance|heroin|cocaine|valium|methadone|recovery|bevvy", re.I)),
    ("employment", re.compile(r"job|work|employ|training|career|college|cv\b|skills", re.I)),
    ("visiting", re.compile(r"visit|keep(ing)? in touch|contact|call|phone (him|her|them)|letter|email a prisoner|see (him|her|them)", re.I)),
    ("legal_disclosure", re.compile(r"legal|lawyer|solicitor|disclos|criminal record|spent|pvg|court|rights", re.I)),
    ("emotional_support", re.compile(r"emotion|talk|someone to talk|listen|support|upset|worried|lonely|cope|feel", re.I)),
)


def is_skip(text: str) -> bool:
    return bool(SKIP_PATTERN.match(text or ""))


def _first_match(text: str, patterns: Tuple[Tuple[str, re.Pattern], ...]) -> Optional[str]:
    return next((value for value, pattern in patterns if pattern.search(text or "")), None)


def audience_from_text(text: str) -> Optional[str]:
    return _first_match(text, AUDIENCE_PATTERNS)


def need_from_text(text: str) -> Optional[str]:
    return _first_match(text, NEED_PATTERNS)


RELATIONSHIP_AUDIENCE: Dict[str, str] = {"family_member": "family", "friend": "family"}
