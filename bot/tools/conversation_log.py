"""Reading stored conversations: the events of a conversation (as Rasa stores them: one JSON object
each, `{"event": "user", ...}`) split into turns, and what kind of reply each turn got. Used by staff
mode (bot/tools/staff_view.py) and `make insights` (bot/tools/insights.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional

import yaml

from bot.settings import PROJECT_ROOT

FALLBACK_INTENT = "nlu_fallback"
CRISIS_ACTION = "action_crisis"
FEEDBACK_EVENT = "cj_feedback"  # bot/rasa_ext/channels/feedback.py
WIDGET_OPENING = "/greet"  # sent by the widget when it opens, not typed by anyone


@lru_cache(maxsize=1)
def did_you_mean_texts() -> frozenset:
    """The texts of the "did you mean" reply (domain.yml: utter_did_you_mean)."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}
    variants = (domain.get("responses") or {}).get("utter_did_you_mean") or []
    return frozenset(
        " ".join(str(v.get("text", "")).split()) for v in variants if isinstance(v, dict) and v.get("text")
    )


@dataclass
class Turn:
    """A visitor's message and everything the assistant did about it."""

    user: Dict[str, Any]
    actions: List[str] = field(default_factory=list)
    bots: List[Dict[str, Any]] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)  # slots set in this turn
    feedback: List[Dict[str, Any]] = field(default_factory=list)  # given later on this turn's answer

    @property
    def text(self) -> str:
        return str(self.user.get("text") or "")

    @property
    def parse(self) -> Dict[str, Any]:
        return self.user.get("parse_data") or {}

    @property
    def intent(self) -> Optional[str]:
        return (self.parse.get("intent") or {}).get("name")

    @property
    def confidence(self) -> float:
        return float((self.parse.get("intent") or {}).get("confidence") or 0.0)

    @property
    def timestamp(self) -> float:
        return float(self.user.get("timestamp") or 0.0)

    @property
    def typed(self) -> bool:
        """A message from the visitor, not the widget's automatic opening."""
        return self.text.strip() != WIDGET_OPENING

    @property
    def entries(self) -> List[str]:
        """The content entries the reply was built from (bot event metadata, actions/actions.py)."""
        found: List[str] = []
        for bot in self.bots:
            for entry in (bot.get("metadata") or {}).get("content_entries") or []:
                if entry not in found:
                    found.append(str(entry))
        return found

    @property
    def answer_refs(self) -> List[str]:
        """The references the widget's feedback names this turn's answers by (feedback.answer_ref)."""
        return [
            repr(float(b["timestamp"]))
            for b in self.bots
            if (b.get("metadata") or {}).get("content_entries") and b.get("timestamp") is not None
        ]

    @property
    def did_you_mean(self) -> bool:
        texts = did_you_mean_texts()
        return any(" ".join(str(b.get("text") or "").split()) in texts for b in self.bots)

    @property
    def fallback(self) -> bool:
        """Not understood: the classifier's fallback, or the "did you mean" reply."""
        return self.intent == FALLBACK_INTENT or self.did_you_mean

    @property
    def crisis(self) -> bool:
        return CRISIS_ACTION in self.actions

    @property
    def reply_action(self) -> Optional[str]:
        replies = [a for a in self.actions if a not in ("action_listen", "action_session_start")]
        return replies[0] if replies else None


def turns_of(events: Iterable[Dict[str, Any]]) -> List[Turn]:
    """The turns of one conversation, in order; feedback events are put on the turn they rate."""
    turns: List[Turn] = []
    by_ref: Dict[str, Turn] = {}
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turns.append(Turn(event))
        elif not turns:
            continue
        elif kind == "action" and event.get("name"):
            turns[-1].actions.append(str(event["name"]))
        elif kind == "bot":
            turns[-1].bots.append(event)
            for ref in Turn(event, bots=[event]).answer_refs:
                by_ref[ref] = turns[-1]
        elif kind == "slot" and event.get("name"):
            turns[-1].slots[str(event["name"])] = event.get("value")
        elif kind == FEEDBACK_EVENT:
            rated = by_ref.get(str(event.get("answer")))
            if rated is not None:
                rated.feedback.append(event)
    return turns
