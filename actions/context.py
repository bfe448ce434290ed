"""Work out which partnership and council area a message is about, from entities, slots and the default."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.content_access import default_partnership_id, get_content
from bot.content.store import normalise_place

PARTNERSHIP_WORDS = {
    "ayrshire": ("ayrshire", "cja", "community justice ayrshire"),
    "dumfries_galloway": ("dumfries", "galloway", "d&g", "d and g", "dg", "dumgal"),
}


@dataclass
class Context:
    partnership_id: str
    council_area_id: Optional[str]
    unknown_place: Optional[str] = None
    events: List[Dict[str, Any]] = field(default_factory=list)


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity and e.get("value")]


def partnership_from_text(value: str) -> Optional[str]:
    content = get_content()
    if content.partnership(value):
        return value
    area = content.find_council_area(value)
    if area:
        return area.partnership
    key = normalise_place(value)
    for partnership_id, words in PARTNERSHIP_WORDS.items():
        if any(word in key for word in words):
            return partnership_id
    return None


def resolve(tracker: Tracker) -> Context:
    """The partnership and area for this turn; named ones win over remembered ones, then the default."""
    content = get_content()
    events: List[Dict[str, Any]] = []
    area_id = tracker.get_slot("council_area")
    partnership_id = tracker.get_slot("partnership")
    unknown_place = None

    for place in entity_values(tracker, "place"):
        area = content.find_council_area(place)
        if area:
            area_id, partnership_id = area.id, area.partnership
            events += [SlotSet("council_area", area_id), SlotSet("partnership", partnership_id)]
            break
        unknown_place = place
    for value in entity_values(tracker, "partnership"):
        named = partnership_from_text(value)
        if named:
            if named != partnership_id:
                events.append(SlotSet("partnership", named))
                area = content.council_area(area_id)
                if area and area.partnership != named:
                    area_id = None
                    events.append(SlotSet("council_area", None))
            partnership_id = named
            break
    if not content.partnership(partnership_id):
        partnership_id = default_partnership_id()
    return Context(partnership_id, area_id, unknown_place, events)
