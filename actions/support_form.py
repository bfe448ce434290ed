"""The support-routes form: asks only what it does not know (who for, what help, where), accepts
buttons or free text, and lets people skip a question."""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import prompts
from actions.content_access import get_content
from actions.context import entity_values
from actions.dialogue_map import INTENT_AUDIENCE
from actions.form_answers import ANY, RELATIONSHIP_AUDIENCE, audience_from_text, is_skip, need_from_text
from bot.content.schema import NEEDS

# Messages with these intents may be answers to the form's question; others are interruptions.
ANSWER_INTENTS = {"inform", "affirm", "deny", "nlu_fallback", "request_support", "out_of_scope", *INTENT_AUDIENCE}


def _answering(tracker: Tracker, slot: str) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return tracker.get_slot("requested_slot") == slot and intent in ANSWER_INTENTS


def _text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


class ValidateSupportForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_support_form"

    def _not_understood(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> Dict[Text, Any]:
        """Re-ask kindly, unless the message answered something else (a correction of another slot)."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in INTENT_AUDIENCE or tracker.latest_message.get("entities"):
            return {}
        if _answering(tracker, slot):
            prompts.send(dispatcher, f"not_understood_{slot}")
            return {slot: None}
        return {}

    def _free_text_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, read: Callable[[str], Optional[str]]
    ) -> Dict[Text, Any]:
        """The typed answer to this slot's question: a skip, a value `read` recognises, or a kind re-ask."""
        if not _answering(tracker, slot):
            return {}
        text = _text(tracker)
        value = ANY if is_skip(text) else read(text)
        return {slot: value} if value else self._not_understood(dispatcher, tracker, slot)

    async def extract_support_audience(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in INTENT_AUDIENCE:
            return {"support_audience": INTENT_AUDIENCE[intent]}
        if tracker.get_slot("support_audience") and tracker.get_slot("requested_slot") != "support_audience":
            return {}
        for relationship in entity_values(tracker, "relationship"):
            audience = RELATIONSHIP_AUDIENCE.get(relationship) or audience_from_text(relationship)
            if audience == "family":
                return {"support_audience": audience}
        return self._free_text_answer(dispatcher, tracker, "support_audience", audience_from_text)

    async def extract_support_need(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        for need in entity_values(tracker, "need_type"):
            if need in NEEDS:
                return {"support_need": need}
        return self._free_text_answer(dispatcher, tracker, "support_need", need_from_text)

    async def extract_support_area(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        content = get_content()
        for place in entity_values(tracker, "place"):
            area = content.find_council_area(place)
            if area:
                return {"support_area": area.id}
        answering = _answering(tracker, "support_area")
        if not answering:
            remembered = tracker.get_slot("council_area")
            if remembered and not tracker.get_slot("support_area"):
                return {"support_area": remembered}
            return {}
        text = _text(tracker)
        area = content.find_council_area(text) or _area_in_sentence(text)
        if area:
            return {"support_area": area.id}
        if is_skip(text):
            return {"support_area": ANY}
        return self._not_understood(dispatcher, tracker, "support_area")


def _area_in_sentence(text: str) -> Optional[Any]:
    """'I stay in Irvine' -> Irvine's area: try each run of one to four words."""
    content = get_content()
    words = text.replace(",", " ").replace(".", " ").split()
    for size in (4, 3, 2, 1):
        for start in range(len(words) - size + 1):
            area = content.find_council_area(" ".join(words[start : start + size]))
            if area:
                return area
    return None
