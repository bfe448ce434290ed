"""Custom actions against trackers built here: what the user would see for each action,
including missing or unknown slot values and the crisis path."""
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerTopic,
    ActionContactDetails,
    ActionCrisisContacts,
    ActionFallback,
    ActionAskSupportAudience,
    ActionAskSupportArea,
    ActionAskSupportNeed,
    ActionListPartners,
    ActionSuggestTopics,
    ActionSupportRoutes,
    ActionTellMore,
)
from actions.dialogue_map import TOPIC_INTENTS
from actions.support_form import ValidateSupportForm
from bot.content import load_content
from tests.coroutines import complete

CONTENT = load_content()


def tracker(
    intent: str = "greet",
    text: str = "",
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    message = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "text": text,
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
    }
    return Tracker("test-user", slots or {}, message, [], False, None, {}, "action_listen")


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = complete(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def texts(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def responses(messages) -> List[str]:
    return [m.get("response") for m in messages if m.get("response")]


@pytest.mark.parametrize("intent", sorted(TOPIC_INTENTS))
def test_every_topic_intent_is_answered_from_content(intent):
    messages, events = run(ActionAnswerTopic(), tracker(intent))
    answers = {a.answer for a in [*CONTENT.topics, *CONTENT.stages, *(a for p in CONTENT.partnerships for a in p.answers)]}
    assert any(answer in texts(messages) for answer in answers)
    assert any(e["event"] == "slot" and e["name"] == "last_topic" for e in events)


def test_partnership_questions_default_to_ayrshire_and_follow_a_named_partnership():
    messages, _ = run(ActionAnswerTopic(), tracker("ask_governance"))
    assert CONTENT.partnership_answer("ayrshire", "governance").answer in texts(messages)
    named = tracker("ask_governance", entities=[{"entity": "partnership", "value": "dumfries_galloway"}])
    messages, events = run(ActionAnswerTopic(), named)
    assert CONTENT.partnership_answer("dumfries_galloway", "governance").answer in texts(messages)
    assert SlotSet("partnership", "dumfries_galloway") in events


def test_a_place_scopes_answers_to_its_partnership():
    said_stranraer = tracker("ask_contact", entities=[{"entity": "place", "value": "Stranraer"}])
    messages, events = run(ActionContactDetails(), said_stranraer)
    assert CONTENT.partnership("dumfries_galloway").contact.web in texts(messages)
    assert SlotSet("council_area", "dumfries_and_galloway") in events


def test_an_unknown_place_or_partnership_falls_back_to_the_default():
    messages, _ = run(ActionContactDetails(), tracker("ask_contact", entities=[{"entity": "place", "value": "Narnia"}],
                                                     slots={"partnership": "atlantis"}))
    assert CONTENT.partnership("ayrshire").contact.web in texts(messages)


def test_tell_more_gives_the_detail_of_the_last_topic_and_copes_without_one():
    with_detail = next(a for a in CONTENT.stages if a.detail)
    messages, _ = run(ActionTellMore(), tracker("ask_more", slots={"last_topic": with_detail.id}))
    assert with_detail.detail in texts(messages)
    messages, _ = run(ActionTellMore(), tracker("ask_more", slots={"last_topic": None}))
    assert responses(messages) == ["utter_what_can_you_do"]


def test_partners_lists_statutory_and_local_partners():
    messages, _ = run(ActionListPartners(), tracker("ask_partners"))
    text = texts(messages)
    assert all(p.name in text for p in CONTENT.statutory_partners)
    assert all(p.name in text for p in CONTENT.local_partners_for("ayrshire"))


def test_asking_for_a_person_is_honest_and_gives_contact_routes_and_crisis_numbers():
    messages, _ = run(ActionContactDetails(), tracker("ask_for_human"))
    assert CONTENT.partnership("ayrshire").contact.web in texts(messages)
    assert "999" in texts(messages) and "116 123" in texts(messages)


@pytest.mark.parametrize("intent,number", [("crisis_danger", "999"), ("crisis_suicidal", "116 123"),
                                           ("crisis_domestic_abuse", "0800 027 1234")])
def test_crisis_messages_get_the_right_numbers_at_once(intent, number):
    messages, events = run(ActionCrisisContacts(), tracker(intent))
    assert number in texts(messages) and "999" in texts(messages)
    assert events == []


def test_crisis_contacts_without_a_crisis_intent_still_give_999():
    messages, _ = run(ActionCrisisContacts(), tracker("nlu_fallback"))
    assert "999" in texts(messages)


def test_support_routes_are_specific_to_audience_need_and_area():
    t = tracker("inform", slots={"support_audience": "family", "support_need": "visiting", "support_area": "east_ayrshire"})
    messages, events = run(ActionSupportRoutes(), t)
    text = texts(messages)
    expected = CONTENT.services_for("family", "visiting", "east_ayrshire")
    assert expected and all(s.name in text for s in expected)
    assert "in East Ayrshire" in text and "116 123" in text
    assert SlotSet("support_audience", None) in events and SlotSet("council_area", "east_ayrshire") in events


def test_support_routes_with_skipped_or_unknown_answers_still_give_numbers():
    for slots in ({"support_audience": "any", "support_need": "any", "support_area": "any"},
                  {"support_audience": None, "support_need": "astrology", "support_area": "narnia"}):
        messages, _ = run(ActionSupportRoutes(), tracker("inform", slots=slots))
        text = texts(messages)
        assert "Phone:" in text and "999" in text


def test_fallback_offers_the_two_likeliest_topics_in_plain_words():
    ranking = [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "ask_dtto", "confidence": 0.3},
               {"name": "inform", "confidence": 0.2}, {"name": "ask_disclosure", "confidence": 0.1}]
    messages, _ = run(ActionSuggestTopics(), tracker("nlu_fallback", ranking=ranking))
    buttons = messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/ask_dtto", "/ask_disclosure", "/what_can_you_do"]
    assert buttons[0]["title"] == CONTENT.answer("dtto").title
    messages, _ = run(ActionSuggestTopics(), tracker("nlu_fallback", ranking=[{"name": "nlu_fallback", "confidence": 1}]))
    assert "didn't understand" in texts(messages) and messages[0]["buttons"]


def test_policy_fallback_apologises_and_forgets_the_turn():
    messages, events = run(ActionFallback(), tracker("affirm"))
    assert "didn't understand" in texts(messages)
    assert events == [{"event": "rewind", "timestamp": None}]


@pytest.mark.parametrize("action,question", [(ActionAskSupportAudience(), "Who is the support for"),
                                             (ActionAskSupportNeed(), "What kind of help"),
                                             (ActionAskSupportArea(), "Which town or area")])
def test_form_questions_offer_buttons_including_skip(action, question):
    messages, _ = run(action, tracker("request_support"))
    assert question in texts(messages)
    assert "skip" in [b["payload"] for b in messages[0]["buttons"]]


# ---- the support form ------------------------------------------------------

def extract(slot: str, t: Tracker):
    dispatcher = CollectingDispatcher()
    result = complete(getattr(ValidateSupportForm(), f"extract_{slot}")(dispatcher, t, {}))
    return result, dispatcher.messages


def test_form_knows_the_audience_from_the_request_and_the_area_from_a_place():
    t = tracker("request_support_family", text="ma boy's in the jail and I stay in Kilmarnock",
                entities=[{"entity": "place", "value": "Kilmarnock"}])
    assert extract("support_audience", t)[0] == {"support_audience": "family"}
    assert extract("support_area", t)[0] == {"support_area": "east_ayrshire"}


def test_form_reads_free_text_answers_and_skips():
    asked = lambda slot, text: tracker("inform", text=text, slots={"requested_slot": slot})  # noqa: E731
    assert extract("support_audience", asked("support_audience", "its for my daughter"))[0] == {"support_audience": "family"}
    assert extract("support_audience", asked("support_audience", "I was a witness"))[0] == {"support_audience": "victim_witness"}
    assert extract("support_need", asked("support_need", "we're skint, bills piling up"))[0] == {"support_need": "money"}
    assert extract("support_need", asked("support_need", "skip"))[0] == {"support_need": "any"}
    assert extract("support_area", asked("support_area", "we live in kilwinning"))[0] == {"support_area": "north_ayrshire"}
    assert extract("support_area", asked("support_area", "dunno"))[0] == {"support_area": "any"}


def test_form_says_when_it_did_not_understand_and_asks_again():
    result, messages = extract("support_area", tracker("inform", text="Narnia", slots={"requested_slot": "support_area"}))
    assert result == {"support_area": None}
    assert "don't know that place" in texts(messages)


def test_form_ignores_interruptions_so_rules_can_answer_them():
    crisis = tracker("crisis_suicidal", text="i want to end it", slots={"requested_slot": "support_need"})
    assert extract("support_need", crisis) == ({}, [])
    question = tracker("ask_dtto", text="what's a dtto", slots={"requested_slot": "support_area"})
    assert extract("support_area", question) == ({}, [])


def test_form_uses_a_place_remembered_from_earlier():
    t = tracker("request_support", text="I need help", slots={"council_area": "south_ayrshire"})
    assert extract("support_area", t)[0] == {"support_area": "south_ayrshire"}
