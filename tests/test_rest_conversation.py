"""End to end over the REST channel against the running assistant: what a visitor sees."""

import json
import urllib.request
import uuid

import yaml

from bot.settings import PROJECT_ROOT


def say(assistant, sender, message):
    request = urllib.request.Request(
        f"{assistant.url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 200
        return json.loads(reply.read())


def text_of(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_what_is_community_justice_is_answered_from_the_content_file(running_assistant):
    topics = yaml.safe_load((PROJECT_ROOT / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    expected = next(t for t in topics if t["id"] == "what_is_community_justice")["answer"]
    replies = say(running_assistant, str(uuid.uuid4()), "what is community justice?")
    assert " ".join(expected.split()) in " ".join(text_of(replies).split())


def test_greeting_has_buttons_and_a_privacy_line(running_assistant):
    replies = say(running_assistant, str(uuid.uuid4()), "hello")
    assert replies[0]["buttons"]
    assert "personal details" in text_of(replies)


def test_a_whole_support_conversation_ends_with_specific_routes(running_assistant):
    sender = str(uuid.uuid4())
    first = text_of(
        say(running_assistant, sender, "my brother's in HMP Kilmarnock and I don't know how to cope")
    )
    assert "kind of help" in first
    second = text_of(say(running_assistant, sender, "how do I visit him"))
    assert "town or area" in second
    routes = text_of(say(running_assistant, sender, "I stay in Kilmarnock"))
    assert "East Ayrshire" in routes and "Phone:" in routes and "https://" in routes and "116 123" in routes


def test_crisis_interrupts_the_form_and_the_form_carries_on(running_assistant):
    sender = str(uuid.uuid4())
    assert "Who is the support for" in text_of(say(running_assistant, sender, "I need help"))
    crisis = text_of(say(running_assistant, sender, "I want to kill myself"))
    assert "116 123" in crisis and "999" in crisis
    assert "Who is the support for" in crisis
    assert "kind of help" in text_of(
        say(running_assistant, sender, "its for me, I'm getting out of jail on friday")
    )


def test_the_other_partnership_can_be_asked_about(running_assistant):
    content = yaml.safe_load((PROJECT_ROOT / "content" / "partnerships.yml").read_text(encoding="utf-8"))[
        "partnerships"
    ]
    dg_web = next(p for p in content if p["id"] == "dumfries_galloway")["contact"]["web"]
    replies = say(
        running_assistant, str(uuid.uuid4()), "how do I contact the Dumfries and Galloway partnership"
    )
    assert dg_web in text_of(replies)


def test_nonsense_gets_a_friendly_reply_not_silence(running_assistant):
    for message in ("asdfghjkl qwerty", "???", "🙂"):
        replies = say(running_assistant, str(uuid.uuid4()), message)
        assert replies and text_of(replies).strip()
