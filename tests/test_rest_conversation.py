"""End to end over the REST channel against the running assistant: what a visitor sees."""

import json
import urllib.request
import uuid
from typing import Any, Dict, List

import pytest

from bot.content import load_content

CONTENT = load_content()


def say(assistant, sender, message):
    request = urllib.request.Request(
        f"{assistant.url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 200
        return json.loads(reply.read())


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def links_of(replies: List[Dict[str, Any]]) -> List[str]:
    return [link["url"] for r in replies for link in (r.get("custom") or {}).get("links", [])]


def phone(service_id: str) -> str:
    service = CONTENT.service(service_id)
    assert service is not None and service.phone
    return service.phone


def test_what_is_community_justice_is_answered_from_the_content_file(running_assistant):
    expected = CONTENT.answer("what_is_community_justice")
    assert expected is not None
    replies = say(running_assistant, str(uuid.uuid4()), "what is community justice?")
    assert " ".join(expected.answer.split()) in " ".join(text_of(replies).split())


def test_greeting_has_buttons_and_asks_for_no_personal_details(running_assistant):
    replies = say(running_assistant, str(uuid.uuid4()), "hello")
    assert replies[0]["buttons"]
    assert "name, address or phone number" in text_of(replies)


def test_a_family_member_gets_the_helpline_at_once_then_visits_without_being_asked_anything(
    running_assistant,
):
    sender = str(uuid.uuid4())
    first = text_of(
        say(running_assistant, sender, "my brother's in HMP Kilmarnock and I don't know how to cope")
    )
    assert phone("families_outside") in first
    assert "?" not in first  # no question stands between a person and a number
    visits = text_of(say(running_assistant, sender, "how do I visit him"))
    assert "Kilmarnock" in visits and any(ch.isdigit() for ch in visits)
    assert "Who is it for" not in visits and "Which town" not in visits


def test_a_crisis_mid_conversation_gets_crisis_numbers_and_the_conversation_carries_on(
    running_assistant,
):
    sender = str(uuid.uuid4())
    unsure = text_of(say(running_assistant, sender, "I need help"))
    assert "116 123" in unsure and "999" in unsure  # even the one question carries the numbers
    crisis = text_of(say(running_assistant, sender, "I want to kill myself"))
    assert "116 123" in crisis and "999" in crisis
    release = text_of(say(running_assistant, sender, "its for me, I'm getting out of jail on friday"))
    teams = [s.phone for s in CONTENT.services if "ayrshire" in " ".join(s.areas) and s.phone]
    assert any(number in release for number in teams), release


def test_the_other_partnership_can_be_asked_about(running_assistant):
    partnership = CONTENT.partnership("dumfries_galloway")
    assert partnership is not None
    replies = say(
        running_assistant, str(uuid.uuid4()), "how do I contact the Dumfries and Galloway partnership"
    )
    assert partnership.contact.web in links_of(replies)
    assert "Dumfries and Galloway" in text_of(replies)


@pytest.mark.parametrize("message", ["asdfghjkl qwerty", "???", "🙂"])
def test_nonsense_gets_a_friendly_reply_not_silence(running_assistant, message):
    replies = say(running_assistant, str(uuid.uuid4()), message)
    assert replies and text_of(replies).strip()
