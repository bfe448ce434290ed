"""The Socket.IO channel against the real assistant: replies arrive with session persistence, the
widget's metadata reaches the stored conversation, other origins and other people's conversations
are refused, and bad input gets a clear answer while the server keeps working."""

import json
import sqlite3
import threading
import time
import uuid

import pytest
import socketio

from bot.settings import PROJECT_ROOT


class Visitor:
    def __init__(self, assistant, origin=None, session_id=None):
        self.replies, self.errors, self.arrived = [], [], threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self._reply)
        self.client.on("error_message", lambda data: (self.errors.append(data), self.arrived.set()))
        if origin:  # over long-polling, so the Origin header is exactly the one given
            self.client.connect(
                assistant.url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10
            )
        else:  # the websocket client sends the page's own origin
            self.client.connect(assistant.url, transports=["websocket"], wait_timeout=10)
        self.session_id = session_id or str(uuid.uuid4())
        self.confirmed = threading.Event()
        self.client.on("session_confirm", lambda _: self.confirmed.set())
        self.client.emit("session_request", {"session_id": self.session_id})

    def _reply(self, data):
        self.replies.append(data)
        self.arrived.set()

    def say(self, payload, wait=10.0):
        self.replies.clear()
        self.errors.clear()
        self.arrived.clear()
        self.client.emit("user_uttered", payload)
        assert self.arrived.wait(wait), f"no reply to {payload!r}"
        self.arrived.wait(0.5)
        return " ".join(r.get("text", "") for r in self.replies)

    def close(self):
        self.client.disconnect()


def stored_user_events(assistant, sender):
    database = PROJECT_ROOT / "storage" / f"conversations-{assistant.ports.rasa}.db"
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
        )
        return [json.loads(row[0]) for row in rows]


def test_replies_arrive_and_the_widgets_metadata_is_stored(running_assistant):
    visitor = Visitor(running_assistant)
    try:
        assert visitor.confirmed.wait(10)
        reply = visitor.say(
            {
                "message": "what is community justice?",
                "session_id": visitor.session_id,
                "customData": {"partnership": "dumfries_galloway"},
            }
        )
        assert reply.strip()
    finally:
        visitor.close()
    deadline = time.monotonic() + 15  # the turn is stored when it ends, a moment after the reply
    while not stored_user_events(running_assistant, visitor.session_id) and time.monotonic() < deadline:
        time.sleep(0.3)
    events = stored_user_events(running_assistant, visitor.session_id)
    assert events[-1]["text"] == "what is community justice?"
    assert events[-1]["metadata"]["partnership"] == "dumfries_galloway"


def test_connections_from_other_origins_are_refused(running_assistant):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Visitor(running_assistant, origin="https://evil.example")


def test_someone_elses_conversation_id_gets_nothing(running_assistant):
    owner = Visitor(running_assistant)
    assert owner.confirmed.wait(10)
    intruder = Visitor(running_assistant, session_id=owner.session_id)
    try:
        assert not intruder.confirmed.wait(2)
        assert intruder.errors and "already open" in intruder.errors[0]["reason"]
        intruder.say({"message": "what did I ask?", "session_id": owner.session_id})
        assert intruder.errors and intruder.replies == []
        intruder.replies.clear()
        assert owner.say({"message": "what is community justice?", "session_id": owner.session_id}).strip()
        assert intruder.replies == []  # the owner's replies reach the owner only
    finally:
        owner.close()
        intruder.close()


def test_ids_that_are_not_uuids_are_refused_and_never_stored(running_assistant):
    visitor = Visitor(running_assistant, session_id="me")
    try:
        assert not visitor.confirmed.wait(2)
        assert "random UUID" in visitor.errors[0]["reason"]
        huge = "x" * 60_000  # issue 13: a 200,000-character id was stored as the sender
        visitor.client.emit("user_uttered", {"message": "hello", "session_id": huge})
        visitor.arrived.wait(2)
    finally:
        visitor.close()
    database = PROJECT_ROOT / "storage" / f"conversations-{running_assistant.ports.rasa}.db"
    with sqlite3.connect(database) as connection:
        assert (
            connection.execute("SELECT count(*) FROM events WHERE length(sender_id) > 36").fetchone()[0] == 0
        )


def test_bad_socket_input_gets_a_clear_answer_and_the_server_keeps_answering(running_assistant):
    visitor = Visitor(running_assistant)
    try:
        assert visitor.confirmed.wait(10)
        assert "long message" in visitor.say({"message": "x" * 5_000, "session_id": visitor.session_id})
        for bad in (
            "just text",
            ["a", "list"],
            {"message": {"nested": 1}, "session_id": visitor.session_id},
            {"message": "hi"},
        ):
            visitor.say(bad)
            assert visitor.errors and visitor.errors[0]["reason"]
        assert visitor.say({"message": "hello", "session_id": visitor.session_id})
    finally:
        visitor.close()
