"""Feedback from the public (issue 15, part 3), at the channels: answers built from content are marked,
`POST /webhooks/rest/feedback` stores "helpful / not helpful / report" as an event on the
conversation with the answer's content entry ids, bad requests get a clear 4xx, and the dialogue
carries on as before. The channels run on Rasa's own app with a stand-in agent (tests/channel_app.py)
that answers like the real assistant: a bot event with `content_entries` in its metadata.
The widget's side (controls, keyboard, screen readers, axe) is in tests/browser/test_feedback_and_links.py.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.channels.feedback import FEEDBACK_EVENT, FeedbackGiven, answer_in, parse_feedback
from bot.rasa_ext.guards import BadRequest
from tests.channel_app import channel_server
from tests.coroutines import complete
from tests.test_channels import Visitor, request

pytestmark = pytest.mark.server  # a Sanic server in this process (seconds, no model)

ENTRIES = ["what_is_community_justice", "community_justice_scotland"]
ANSWER_TEXT = "Community justice means organisations working together."
LINKS = {"links": [{"label": "Community Justice Scotland", "url": "https://communityjustice.scot/"}]}


async def answer_from_content(message):
    """As Rasa does: the user event and a bot event built from content are stored, then sent."""
    agent = answer_from_content.agent
    tracker = await agent.tracker_store.get_or_create_tracker(message.sender_id)
    tracker.update(UserUttered(message.text, {"name": "ask_what_is_community_justice", "confidence": 0.9}))
    if message.text == "hello":  # not an answer from content: no marker
        bot = BotUttered(
            "Hello! How can I help?", data={"buttons": [{"title": "Support", "payload": "/request_support"}]}
        )
    else:
        bot = BotUttered(ANSWER_TEXT, data={"custom": LINKS}, metadata={"content_entries": ENTRIES})
    tracker.update(bot)
    await agent.tracker_store.save(tracker)
    await message.output_channel.send_response(message.sender_id, bot.message())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with channel_server(
        tmp_path_factory.mktemp("feedback"), {"CJ_RATE_LIMIT_IP": "100000", "CJ_RATE_LIMIT": "1000"}
    ) as running:
        answer_from_content.agent = running.agent
        running.agent.behaviour = answer_from_content
        yield running


def ask(server, sender: str, text: str):
    status, body, _ = request(
        server, "/webhooks/rest/webhook", json.dumps({"sender": sender, "message": text}).encode()
    )
    assert status == 200, body
    return json.loads(body)


def give(server, body, content_type="application/json"):
    status, reply, _ = request(server, "/webhooks/rest/feedback", json.dumps(body).encode(), content_type)
    return status, json.loads(reply)


def stored_feedback(server, sender):
    found = complete(server.agent.tracker_store.retrieve_full_tracker(sender))
    return [e for e in found.events if isinstance(e, FeedbackGiven)] if found else []


def test_an_answer_from_content_is_followed_by_a_feedback_marker_and_nothing_else_is(server):
    sender = str(uuid.uuid4())
    replies = ask(server, sender, "what is community justice?")
    assert [r.get("text") for r in replies if r.get("text")] == [ANSWER_TEXT]
    assert {"recipient_id": sender, "custom": LINKS} in replies
    markers = [r["custom"]["feedback"] for r in replies if "feedback" in (r.get("custom") or {})]
    assert len(markers) == 1 and float(markers[0]["answer"]) > 0
    assert replies[-1]["custom"] == {"feedback": markers[0]}  # after the answer and its links
    assert not any(
        "content_entries" in json.dumps(r) or ENTRIES[0] in json.dumps(r) for r in replies
    )  # ids stay on the server
    greeting = ask(server, sender, "hello")
    assert not any("feedback" in (r.get("custom") or {}) for r in greeting)


def test_feedback_is_stored_on_the_conversation_with_the_answers_content_entries(server):
    sender = str(uuid.uuid4())
    ref = [
        r for r in ask(server, sender, "what is community justice?") if "feedback" in (r.get("custom") or {})
    ][0]["custom"]["feedback"]["answer"]
    assert give(server, {"sender": sender, "answer": ref, "rating": "helpful"}) == (200, {"stored": True})
    assert give(server, {"sender": sender, "answer": ref, "rating": "report"}) == (200, {"stored": True})
    stored = stored_feedback(server, sender)
    assert [(e.rating, e.answer, e.content_entries) for e in stored] == [
        ("helpful", ref, ENTRIES),
        ("report", ref, ENTRIES),
    ]
    # As Rasa stores it: its own type in the events table, and it reads back.
    as_dict = stored[0].as_dict()
    assert as_dict["event"] == FEEDBACK_EVENT and "text" not in as_dict
    assert Event.from_parameters(as_dict) == stored[0]
    # The conversation carries on as before.
    replies = ask(server, sender, "what is community justice?")
    assert replies[0]["text"] == ANSWER_TEXT


def test_feedback_over_socketio_conversations_uses_the_same_route(server):
    visitor, session = Visitor(server), str(uuid.uuid4())
    try:
        visitor.open(session)
        visitor.say(session, "what is community justice?")
        time.sleep(0.3)
        replies = [data for name, data in visitor.events if name == "bot_uttered"]
        assert {"text": ANSWER_TEXT} in replies and {"custom": LINKS} in replies
        markers = [r["custom"]["feedback"] for r in replies if "feedback" in (r.get("custom") or {})]
        assert len(markers) == 1
        assert (
            give(server, {"sender": session, "answer": markers[0]["answer"], "rating": "not_helpful"})[0]
            == 200
        )
        assert [e.rating for e in stored_feedback(server, session)] == ["not_helpful"]
    finally:
        visitor.close()


@pytest.mark.parametrize(
    "body, reason",
    [
        ({"sender": "me", "answer": "1.5", "rating": "helpful"}, "random UUID"),
        ({"sender": "{uuid}", "answer": "1.5", "rating": "brilliant"}, "'rating' must be one of"),
        ({"sender": "{uuid}", "answer": "<script>", "rating": "helpful"}, "'answer'"),
        ({"sender": "{uuid}", "answer": 1.5, "rating": "helpful"}, "'answer'"),
        (
            {"sender": "{uuid}", "answer": "1.5", "rating": "report", "comment": "my name is Jo Bloggs"},
            "Unknown field",
        ),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_bad_feedback_gets_a_400_that_says_why(server, body, reason):
    if isinstance(body, dict) and body.get("sender") == "{uuid}":
        body = {**body, "sender": str(uuid.uuid4())}
    status, reply = give(server, body)
    assert status == 400 and reason in reply["reason"], reply


def test_feedback_on_an_answer_the_conversation_does_not_have_is_a_404(server):
    sender, other = str(uuid.uuid4()), str(uuid.uuid4())
    ref = [
        r for r in ask(server, sender, "what is community justice?") if "feedback" in (r.get("custom") or {})
    ][0]["custom"]["feedback"]["answer"]
    assert (
        give(server, {"sender": other, "answer": ref, "rating": "helpful"})[0] == 404
    )  # someone else's answer
    assert give(server, {"sender": sender, "answer": "12.5", "rating": "helpful"})[0] == 404
    ask(server, sender, "hello")
    greeting_ref = max(
        e.timestamp
        for e in complete(server.agent.tracker_store.retrieve(sender)).events
        if isinstance(e, BotUttered)
    )
    assert (
        give(server, {"sender": sender, "answer": repr(greeting_ref), "rating": "helpful"})[0] == 404
    )  # not an answer
    assert stored_feedback(server, sender) == []


def test_feedback_must_be_json(server):
    sender = str(uuid.uuid4())
    status, _, _ = request(
        server, "/webhooks/rest/feedback", b"sender=x&rating=helpful", "application/x-www-form-urlencoded"
    )
    assert status == 415
    status, body, _ = request(server, "/webhooks/rest/feedback", b"{not json")
    assert status == 400 and json.loads(body)["reason"]
    assert give(server, {"sender": sender, "answer": "1.5", "rating": "helpful"})[0] == 404


def test_feedback_counts_against_the_rate_limits(tmp_path):
    with channel_server(tmp_path, {"CJ_RATE_LIMIT_IP": "100000", "CJ_RATE_LIMIT": "2"}) as limited:
        sender = str(uuid.uuid4())
        statuses = [
            give(limited, {"sender": sender, "answer": "1.5", "rating": "helpful"})[0] for _ in range(3)
        ]
        assert statuses == [404, 404, 429]


def test_the_feedback_event_changes_nothing_in_the_dialogue():
    tracker = DialogueStateTracker.from_events("x", [UserUttered("hi", {"name": "greet", "confidence": 1.0})])
    before = (tracker.latest_message.intent, tracker.latest_action_name, tracker.current_slot_values())
    tracker.update(FeedbackGiven("helpful", "1.5", ENTRIES))
    assert (
        tracker.latest_message.intent,
        tracker.latest_action_name,
        tracker.current_slot_values(),
    ) == before
    assert FeedbackGiven("helpful", "1.5", ENTRIES).as_story_string() is None


def test_parse_feedback_and_answer_lookup():
    sender = str(uuid.uuid4())
    assert parse_feedback({"sender": sender, "answer": "1764600000.123456", "rating": "report"}) == (
        sender,
        "1764600000.123456",
        "report",
    )
    with pytest.raises(BadRequest):
        parse_feedback({"sender": sender, "answer": "1" * 40, "rating": "report"})
    answer = BotUttered("x", metadata={"content_entries": ["a"]}, timestamp=1764600000.123456)
    tracker = DialogueStateTracker.from_events("x", [answer, BotUttered("y", timestamp=1764600001.0)])
    assert answer_in(tracker, "1764600000.123456") is answer
    assert answer_in(tracker, "1764600001.0") is None
