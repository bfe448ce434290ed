"""The Socket.IO channel: replies arrive with session persistence, other origins are refused,
and bad input gets a clear answer while the server keeps working."""
import threading
import uuid

import pytest
import socketio


class Visitor:
    def __init__(self, assistant, origin=None):
        self.replies, self.errors, self.arrived = [], [], threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self._reply)
        self.client.on("error_message", lambda data: (self.errors.append(data), self.arrived.set()))
        if origin:  # over long-polling, so the Origin header is exactly the one given
            self.client.connect(assistant.url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10)
        else:  # the websocket client sends the page's own origin
            self.client.connect(assistant.url, transports=["websocket"], wait_timeout=10)
        self.session_id = str(uuid.uuid4())
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda _: confirmed.set())
        self.client.emit("session_request", {"session_id": self.session_id})
        assert confirmed.wait(10)

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


def test_replies_arrive_over_socketio(running_assistant):
    visitor = Visitor(running_assistant)
    try:
        assert "community justice" in visitor.say({"message": "what is community justice", "session_id": visitor.session_id}).lower()
    finally:
        visitor.close()


def test_connections_from_other_origins_are_refused(running_assistant):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Visitor(running_assistant, origin="https://evil.example")


def test_bad_socket_input_gets_a_clear_answer_and_the_server_keeps_answering(running_assistant):
    visitor = Visitor(running_assistant)
    try:
        assert "long message" in visitor.say({"message": "x" * 100_000, "session_id": visitor.session_id})
        for bad in ("just text", ["a", "list"], {"message": {"nested": 1}, "session_id": visitor.session_id}, {"message": "hi"}):
            visitor.say(bad)
            assert visitor.errors and visitor.errors[0]["reason"]
        assert visitor.say({"message": "hello", "session_id": visitor.session_id})
    finally:
        visitor.close()
