"""One turn of a conversation as the reply planner sees it, and what the conversation remembers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Dict, List, Optional, Tuple

from bot.understanding.signals import Signals


@dataclass(frozen=True)
class Memory:
    """Slots of the conversation (domain.yml), all optional."""

    partnership: Optional[str] = None  # named by the person (a place or the partnership)
    council_area: Optional[str] = None  # named by the person
    town: Optional[str] = None  # the town last named, as content spells it ("im back in stranraer")
    audience: Optional[str] = None  # who the last support answer was for
    need: Optional[str] = None
    about_release: bool = False  # the last support answer was about someone getting out
    prison: Optional[str] = None  # the prison last named
    service: Optional[str] = None  # the service named first in the last answer
    topic: Optional[str] = None  # the last content answer given
    more: Optional[str] = None  # the answer "tell me more" gives next (how a route works)
    pending: Optional[str] = None  # the one question just asked: audience | area | need

    @classmethod
    def from_slots(cls, slots: Dict[str, Any]) -> Memory:
        values: Dict[str, Any] = {f.name: slots.get(SLOT_NAMES[f.name]) for f in fields(cls)}
        values["about_release"] = bool(values["about_release"])
        return cls(**values)

    def changes_from(self, before: Memory) -> Dict[str, Any]:
        """Slot name -> new value, for the slots that changed."""
        now, then = asdict(self), asdict(before)
        return {SLOT_NAMES[k]: v for k, v in now.items() if v != then[k]}

    def but(self, **changes: Any) -> Memory:
        return replace(self, **changes)


# Memory field -> slot name in domain.yml
SLOT_NAMES: Dict[str, str] = {
    "partnership": "partnership",
    "council_area": "council_area",
    "town": "town",
    "audience": "last_audience",
    "need": "last_need",
    "about_release": "about_release",
    "prison": "last_prison",
    "service": "last_service",
    "topic": "last_topic",
    "more": "more_answer",
    "pending": "pending_question",
}


@dataclass
class Turn:
    text: str
    intent: Optional[str]
    confidence: float
    ranking: List[Tuple[str, float]]
    signals: Signals
    memory: Memory
    places: List[str] = field(default_factory=list)  # council area ids named in this message
    partnerships: List[str] = field(default_factory=list)  # partnership ids named in this message
    page_partnership: Optional[str] = None  # the partnership of the website the widget is on
    crisis_kinds: List[str] = field(default_factory=list)  # as the NLU read them
