"""Read what a message says about the person: crisis, who needs help, with what, where, and
whether it follows up or corrects what came before. One function, used by the NLU component
(before the dialogue policy) and by the actions (which also know the content: places, prisons,
glossary terms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Protocol, Tuple

from bot.understanding import patterns as p
from bot.understanding.normalise import normalise

MAX_PLACE_WORDS = 6


@dataclass
class Signals:
    text: str  # the normalised message
    crisis: List[str] = field(default_factory=list)  # kinds, most urgent first
    audience: Optional[str] = None
    about_someone_else: bool = False
    needs: List[str] = field(default_factory=list)  # most specific first
    follow_up: Optional[str] = None  # phone | textphone | where | hours | web | more
    correction: bool = False
    self_reference: bool = False
    help_seeking: bool = False
    council_areas: List[str] = field(default_factory=list)  # ids of council areas named (towns map to areas)
    towns: List[str] = field(default_factory=list)  # the place names as they appear in the message
    partnerships: List[str] = field(default_factory=list)  # ids of partnerships named (or of a named area's)
    prisons: List[str] = field(default_factory=list)  # ids of prisons named
    terms: List[str] = field(default_factory=list)  # ids of glossary terms named
    asks_meaning: bool = False  # "what does ... mean?", "what is a ...?"
    release_context: bool = False  # getting out, released, liberated...
    asks_how: bool = False  # asks how something works or what to do, not only who can help
    topics: List[str] = field(default_factory=list)  # topic intents the message also asks about

    @property
    def need(self) -> Optional[str]:
        return self.needs[0] if self.needs else None

    @property
    def says_who_or_what(self) -> bool:
        return bool(self.audience or self.needs or self.prisons)


def _audience(text: str, correction: bool) -> Tuple[Optional[str], bool]:
    """Who the help is for, and whether the message is about someone else."""
    prison_context = bool(re.search(rf"\b{p.PRISON_WORDS}\b", text))
    if p.SELF_HARMED.search(text):
        return "victim_witness", False
    if p.SELF_LEAVING.search(text):
        return "leaving_prison", False
    other_harmed = bool(p.OTHER_HARMED.search(text))
    if p.HARMER_NAMED.search(text) and not (p.SELF_IN_JUSTICE.search(text) or p.ACCUSED_OF.search(text)):
        return "victim_witness", other_harmed  # the one in prison did the harm: this is the victim's side
    if other_harmed and (correction or not prison_context):
        return "victim_witness", True
    if p.OTHER_IN_JUSTICE.search(text) or p.OTHER_LEAVING.search(text):
        return "family", True
    if p.SELF_IN_JUSTICE.search(text):
        return "convicted", False
    if other_harmed:
        return "family", True
    return None, False


def _needs(text: str) -> List[str]:
    found = [need for need, pattern in p.NEED_PATTERNS if pattern.search(text)]
    if len(found) > 1 and "emotional_support" in found:
        found.remove("emotional_support")  # only the need when nothing more specific is said
    return found


class NameLookup(Protocol):
    """What `read` needs from content: the id of the council area, prison or glossary term a name
    (as a person typed it) stands for. bot.content.store.Content provides these."""

    def area_id_named(self, name: str) -> Optional[str]: ...

    def town_named(self, name: str) -> Optional[str]: ...

    def prison_id_named(self, name: str) -> Optional[str]: ...

    def term_id_named(self, name: str) -> Optional[str]: ...

    def partnership_id_named(self, name: str) -> Optional[str]: ...


def read(message: str, content: Optional[NameLookup] = None) -> Signals:
    """Everything the rules can tell from one message. Content (places, prisons, glossary terms) is
    looked up only when `content` is given."""
    text = normalise(message or "")
    if text.startswith("/"):
        return Signals(text)  # a button payload, not words
    correction = bool(p.CORRECTION.search(text))
    audience, about_other = _audience(text, correction)
    signals = Signals(
        text=text,
        crisis=p.crisis_kinds(text),
        audience=audience,
        about_someone_else=about_other,
        needs=_needs(text),
        follow_up=next((kind for kind, pattern in p.FOLLOW_UP_PATTERNS if pattern.search(text)), None),
        correction=correction,
        self_reference=bool(p.SELF_REFERENCE.search(text)),
        help_seeking=bool(p.HELP_SEEKING.search(text)),
        release_context=bool(re.search(rf"\b{p.RELEASE_WORDS}\b", text)),
        asks_how=bool(p.ASKS_HOW.search(text)),
        topics=p.topics_asked(text),
    )
    if content is not None:
        raw = re.sub(r"\s+", " ", (message or "").lower().replace("’", "'")).strip()
        signals.prisons = _found(content.prison_id_named, [raw, text])
        signals.council_areas = _found(content.area_id_named, [_without_prisons(raw), _without_prisons(text)])
        signals.towns = _found(content.town_named, [_without_prisons(text)])
        signals.terms = _found(content.term_id_named, [raw, text])
        signals.partnerships = _found(
            content.partnership_id_named, [_without_prisons(raw), _without_prisons(text)]
        )
        # "What are the SHORE standards? Our team keeps being asked.": each sentence on its own too
        sentences = [text, *(part.strip() for part in re.split(r"(?<=[?.!])\s+", text))]
        signals.asks_meaning = any(p.ASKS_MEANING.search(sentence) for sentence in sentences if sentence)
    return signals


def _without_prisons(text: str) -> str:
    """'HMP Kilmarnock' (or 'getting out of Kilmarnock') names a prison, not where the person lives;
    'no Kilmarnock' is not a place meant."""
    text = re.sub(r"\b(?:hmp|hmp yoi|yoi)\s+\w+|\b\w+\s+(?:prison|jail)\b", " ", text)
    # "getting out of Dumfries on Thursday ... back to Stranraer": the prison's town is not the home
    text = re.sub(
        r"\b(?:getting|get|gets|got|coming|comes|came|let|released|liberated|gettin|comin)\s+"
        r"(?:out of|oot o|oot of|out|oot)\s+(?:the\s+)?(?!the\b|jail\b|prison\b|nick\b)\w+",
        " ",
        text,
    )
    return re.sub(r"\b(?:no|not|nae)\s+(?=[a-z])(?!(?:where|one|body|thing)\b)\w+", " ", text)


def _found(lookup: Callable[[str], Optional[str]], texts: List[str]) -> List[str]:
    """Ids of entries whose name appears in any of the texts, longest names first, each once."""
    ids: List[str] = []
    for text in texts:
        words = re.findall(r"[a-z0-9&']+", text)
        taken = [False] * len(words)
        for size in range(MAX_PLACE_WORDS, 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                entry_id = lookup(" ".join(words[start : start + size]))
                if entry_id and entry_id not in ids:
                    ids.append(entry_id)
                if entry_id:
                    taken[start : start + size] = [True] * size
    return ids
