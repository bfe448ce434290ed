"""Custom actions: each asks the content store a question and sends the answer. No facts live here."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import context, prompts
from actions.content_access import get_content
from actions.dialogue_map import CRISIS_INTENTS, INTENT_TITLES, NOT_SUGGESTED, TOPIC_INTENTS
from actions.form_answers import ANY
from bot.content import rendering
from bot.content.schema import Answer

Events = List[Dict[Text, Any]]
AUDIENCE_WORDS = {
    "family": "for families and friends",
    "victim_witness": "for victims and witnesses",
    "convicted": "for people with a conviction",
    "leaving_prison": "for people leaving prison",
}
NEED_WORDS = {
    "housing": "with housing",
    "money": "with money",
    "mental_health": "with mental health",
    "drugs_alcohol": "with drugs or alcohol",
    "employment": "with work and training",
    "visiting": "with visits and keeping in touch",
    "emotional_support": "with emotional support",
    "legal_disclosure": "with legal questions and criminal records",
}


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def topic_answer(intent: Optional[str], partnership_id: str) -> Optional[Answer]:
    if intent not in TOPIC_INTENTS:
        return None
    partnership_topic, general_id = TOPIC_INTENTS[intent]
    content = get_content()
    if partnership_topic:
        answer = content.partnership_answer(partnership_id, partnership_topic)
        if answer:
            return answer
    return content.answer(general_id)


def crisis_footer() -> str:
    """One line with 999 and Samaritans, added to every support answer."""
    contacts = {c.id: c for c in get_content().crisis_contacts}
    emergency, samaritans = contacts.get("emergency_999"), contacts.get("samaritans")
    parts = []
    if emergency:
        parts.append(f"If anyone is in danger right now, call {emergency.phone}.")
    if samaritans:
        parts.append(f"Samaritans are there day or night on {samaritans.phone}.")
    return " ".join(parts)


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        where = context.resolve(tracker)
        answer = topic_answer(latest_intent(tracker), where.partnership_id)
        if answer is None:
            prompts.send(dispatcher, "default")
            return where.events
        buttons = [{"title": "Tell me more", "payload": "/ask_more"}] if answer.detail else []
        dispatcher.utter_message(text=rendering.answer_text(answer), buttons=buttons)
        return [*where.events, SlotSet("last_topic", answer.id)]


class ActionTellMore(Action):
    def name(self) -> Text:
        return "action_tell_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        answer = get_content().answer(tracker.get_slot("last_topic") or "")
        if answer is None:
            dispatcher.utter_message(response="utter_what_can_you_do")
        elif answer.detail:
            dispatcher.utter_message(text=answer.detail)
        else:
            dispatcher.utter_message(text=rendering.answer_text(answer))
        return []


class ActionListPartners(Action):
    def name(self) -> Text:
        return "action_list_partners"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        where = context.resolve(tracker)
        content = get_content()
        partnership = content.partnership(where.partnership_id)
        text = rendering.partners_text(content.statutory_partners, content.local_partners_for(partnership.id), partnership)
        dispatcher.utter_message(text=text)
        return where.events


class ActionContactDetails(Action):
    """Contact routes for the partnership; also the answer to 'can I talk to a person'."""

    def name(self) -> Text:
        return "action_contact_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        where = context.resolve(tracker)
        partnership = get_content().partnership(where.partnership_id)
        dispatcher.utter_message(text=rendering.contact_text(partnership))
        dispatcher.utter_message(text=crisis_footer())
        return where.events


class ActionCrisisContacts(Action):
    """Emergency and crisis numbers for the kind of crisis in the message (999 first)."""

    def name(self) -> Text:
        return "action_crisis_contacts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        kind = CRISIS_INTENTS.get(latest_intent(tracker) or "", "danger")
        contacts = get_content().crisis_contacts_for(kind)
        dispatcher.utter_message(text="\n".join(rendering.crisis_contact_text(c) for c in contacts))
        return []


class ActionSupportRoutes(Action):
    """The end of the support form: a short list of routes for the audience, need and area given."""

    def name(self) -> Text:
        return "action_support_routes"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        content = get_content()
        audience = _known(tracker.get_slot("support_audience"))
        need = _known(tracker.get_slot("support_need"))
        area_id = _known(tracker.get_slot("support_area"))
        services = content.services_for(audience, need, area_id)
        area = content.council_area(area_id)
        heading = " ".join(
            part
            for part in (
                "Here are some places that can help",
                AUDIENCE_WORDS.get(audience or ""),
                NEED_WORDS.get(need or ""),
                f"in {area.name}" if area else None,
            )
            if part
        )
        if services:
            dispatcher.utter_message(text=heading + ":\n\n" + "\n\n".join(rendering.service_text(s) for s in services))
        partnership = content.partnership(area.partnership if area else context.resolve(tracker).partnership_id)
        dispatcher.utter_message(
            text=f"You can also find local services through {partnership.name}: {partnership.contact.web}\n\n{crisis_footer()}"
        )
        events: Events = [SlotSet("support_audience", None), SlotSet("support_need", None), SlotSet("support_area", None)]
        if area:
            events += [SlotSet("council_area", area.id), SlotSet("partnership", area.partnership)]
        return events


def _known(value: Optional[str]) -> Optional[str]:
    return None if value in (None, ANY) else value


class ActionSuggestTopics(Action):
    """When the assistant is unsure: offer the two most likely topics in plain words, plus 'something else'."""

    def name(self) -> Text:
        return "action_suggest_topics"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        ranking = tracker.latest_message.get("intent_ranking") or []
        partnership_id = context.resolve(tracker).partnership_id
        buttons = []
        for ranked in ranking:
            intent = ranked.get("name")
            title = intent_title(intent, partnership_id)
            if title and intent not in NOT_SUGGESTED:
                buttons.append({"title": title, "payload": f"/{intent}"})
            if len(buttons) == 2:
                break
        if not buttons:
            prompts.send(dispatcher, "default")
            return []
        buttons.append({"title": "Something else", "payload": "/what_can_you_do"})
        prompts.send(dispatcher, "did_you_mean", buttons=buttons)
        return []


class ActionFallback(Action):
    """When the dialogue policies are unsure what to do next: say so kindly and forget the turn."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        prompts.send(dispatcher, "default")
        return [UserUtteranceReverted()]


class ActionAskSupportAudience(Action):
    def name(self) -> Text:
        return "action_ask_support_audience"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        prompts.send(dispatcher, "ask_support_audience")
        return []


class ActionAskSupportNeed(Action):
    def name(self) -> Text:
        return "action_ask_support_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        prompts.send(dispatcher, "ask_support_need")
        return []


class ActionAskSupportArea(Action):
    def name(self) -> Text:
        return "action_ask_support_area"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> Events:
        prompts.send(dispatcher, "ask_support_area")
        return []


def intent_title(intent: Optional[str], partnership_id: str) -> Optional[str]:
    if intent in INTENT_TITLES:
        return INTENT_TITLES[intent]
    answer = topic_answer(intent, partnership_id)
    return answer.title if answer else None
