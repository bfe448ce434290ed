"""The two custom actions against trackers built here: they read the turn (text, intent, entities,
metadata, slots), send what the planner decides, and remember it in slots."""

from typing import Any, Dict, List, Optional

import yaml
from coroutines import complete
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer, ActionCrisis
from bot.content import load_content
from bot.settings import PROJECT_ROOT

CONTENT = load_content()
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def tracker(
    text: str,
    intent: str,
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    metadata: Optional[Dict[str, Any]] = None,
    reading: Optional[Dict[str, Any]] = None,
) -> Tracker:
    message = {
        "cj_reading": reading or {},
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "text": text,
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
        "metadata": metadata or {},
    }
    return Tracker(
        "a4b1c2d3-0000-4000-8000-000000000000", slots or {}, message, [], False, None, {}, "action_listen"
    )


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = complete(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def text_of(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def phone(service_id: str) -> str:
    return CONTENT.service(service_id).phone


def test_a_family_request_gets_families_outside_and_is_remembered():
    messages, slots = run(
        ActionAnswer(), tracker("my son's been remanded, who can help us", "request_support_family")
    )
    assert phone("families_outside") in text_of(messages)
    assert slots["last_audience"] == "family" and slots["last_service"] == "families_outside"


def test_the_next_turn_uses_the_memory_for_how_do_i_phone_them():
    slots = {"last_service": "victim_support_scotland", "last_audience": "victim_witness"}
    messages, _ = run(ActionAnswer(), tracker("how do I phone them", "ask_service_detail", slots=slots))
    assert phone("victim_support_scotland") in text_of(messages)


def test_the_page_partnership_from_metadata_sets_the_answer_but_a_named_place_wins():
    from bot.content.rendering import link_label

    dg = link_label(CONTENT.partnership("dumfries_galloway").contact.web)
    ayrshire = link_label(CONTENT.partnership("ayrshire").contact.web)
    messages, _ = run(
        ActionAnswer(),
        tracker("how do I contact you", "ask_contact", metadata={"partnership": "dumfries_galloway"}),
    )
    assert dg in text_of(messages) and ayrshire not in text_of(messages)
    messages, slots = run(
        ActionAnswer(),
        tracker(
            "how do I contact the partnership in Irvine",
            "ask_contact",
            metadata={"partnership": "dumfries_galloway"},
        ),
    )
    assert slots["partnership"] == "ayrshire" and ayrshire in text_of(messages)


def test_a_button_payload_need_comes_first():
    entities = [{"entity": "need", "value": "housing"}]
    messages, slots = run(
        ActionAnswer(),
        tracker(
            "/request_support",
            "request_support",
            entities=entities,
            slots={"last_audience": "leaving_prison"},
        ),
    )
    assert slots.get("last_need") == "housing"
    assert phone("shelter_scotland_helpline") in text_of(messages)


def test_crisis_gives_the_numbers_for_each_kind_read():
    reading = {"crisis": ["danger", "domestic_abuse"]}
    messages, _ = run(ActionCrisis(), tracker("he's outside, he hits me", "crisis_danger", reading=reading))
    text = text_of(messages)
    for contact in ("emergency_999", "domestic_abuse_helpline"):
        assert CONTENT.crisis_contact(contact).phone in text


def test_links_are_sent_for_the_widget():
    messages, _ = run(ActionAnswer(), tracker("my dad is in prison", "request_support_family"))
    links = [link for m in messages for link in ((m.get("custom") or {}).get("links") or [])]
    assert any(link["url"].startswith("https://") for link in links)
