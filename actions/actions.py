"""Custom actions: read the turn from the tracker, ask the planner (bot/conversation) for the reply,
send it. No facts and no decisions live here."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_access import default_partnership_id, get_content
from bot.content.opening import UK, uk_now
from bot.conversation.planner import Planner, Reply
from bot.conversation.turn import Memory, Turn
from bot.conversation.wording import Wording
from bot.settings import get_settings
from bot.understanding.signals import read

Events = List[Dict[str, Any]]
SIGNAL_EXTRACTOR = "SupportSignals"


def entity_values(tracker: Tracker, entity: str, payload_only: bool = False) -> List[str]:
    values = []
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == entity and found.get("value") is not None:
            if payload_only and found.get("extractor"):
                continue
            values.append(str(found["value"]))
    return values


def turn_from(tracker: Tracker) -> Turn:
    content = get_content()
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    signals = read(text, content)
    # A button's payload says the need or audience outright: it comes first.
    signals.needs = [*dict.fromkeys([*entity_values(tracker, "need", payload_only=True), *signals.needs])]
    places = list(signals.council_areas)
    for value in entity_values(tracker, "place"):
        area_id = content.area_id_named(value)
        if area_id and area_id not in places:
            places.append(area_id)
    partnerships = list(signals.partnerships)
    for value in entity_values(tracker, "partnership"):
        named = content.partnership_id_named(value)
        if named and named not in partnerships:
            partnerships.append(named)
    intent = message.get("intent") or {}
    metadata = message.get("metadata") or {}
    page = metadata.get("partnership") if isinstance(metadata, dict) else None
    return Turn(
        text=text,
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        ranking=[
            (r.get("name"), float(r.get("confidence") or 0.0)) for r in message.get("intent_ranking") or []
        ],
        signals=signals,
        memory=Memory.from_slots(tracker.current_slot_values()),
        places=places,
        partnerships=partnerships,
        page_partnership=page if isinstance(page, str) else None,
        crisis_kinds=list((message.get("cj_reading") or {}).get("crisis") or signals.crisis),
    )


def planner_for(domain: Dict[str, Any]) -> Planner:
    return Planner(get_content(), Wording(domain.get("responses") or {}), default_partnership_id())


def send(dispatcher: CollectingDispatcher, reply: Reply, before: Memory) -> Events:
    for index, message in enumerate(reply.messages):
        extra: Dict[str, Any] = {"json_message": {"links": message.links}} if message.links else {}
        if index == 0 and reply.entry_ids:
            # Which content entries the reply was built from: kept in the stored bot event's metadata
            # (staff mode, feedback and insights read it), never sent to the visitor.
            extra["content_entries"] = list(reply.entry_ids)
        dispatcher.utter_message(text=message.text, buttons=message.buttons or [], **extra)
    return [SlotSet(name, value) for name, value in reply.memory.changes_from(before).items()]


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> Events:
        turn = turn_from(tracker)
        return send(dispatcher, planner_for(domain).reply(turn, now()), turn.memory)


class ActionCrisis(Action):
    """Crisis numbers first, from any point in a conversation."""

    def name(self) -> str:
        return "action_crisis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> Events:
        turn = turn_from(tracker)
        return send(dispatcher, planner_for(domain).crisis(turn, now()), turn.memory)


def now() -> Optional[dt.datetime]:
    """The time for 'open now': CJ_CLOCK when set (checking answers for another hour), else UK time."""
    clock = get_settings().clock
    if clock:
        fixed = dt.datetime.fromisoformat(clock)
        return fixed if fixed.tzinfo else fixed.replace(tzinfo=UK)
    return uk_now()
