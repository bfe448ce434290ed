"""Our channels wrap Rasa's own (bot/rasa_ext/channels/guarded.py): every guard holds, and what Rasa's
channels do works again (REST metadata and streaming, the Socket.IO jwt_key check and metadata_key).

The channels run on Rasa's own app (rasa.core.run.configure_app) with a stand-in agent
(tests/channel_app.py): seconds to start, and every message that reached "Rasa" is recorded.
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, List, Optional, Tuple

import jwt
import pytest
import socketio

from tests.channel_app import ChannelServer, channel_server

pytestmark = pytest.mark.server  # a Sanic server in this process (seconds, no model): not in `make test-fast`

JSON = "application/json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with channel_server(
        tmp_path_factory.mktemp("channels"), {"CJ_RATE_LIMIT_IP": "100000", "CJ_RATE_LIMIT": "1000"}
    ) as running:
        yield running


def request(
    server: ChannelServer,
    path: str,
    body: bytes = b"",
    content_type: Optional[str] = JSON,
    method: str = "POST",
    headers: Optional[Dict[str, str]] = None,
) -> Tuple[int, bytes, Any]:
    sent_headers = {**({"Content-Type": content_type} if content_type else {}), **(headers or {})}
    req = urllib.request.Request(
        server.url + path, data=body if method == "POST" else None, headers=sent_headers, method=method
    )
    try:
        with urllib.request.urlopen(req, timeout=15) as reply:
            return reply.status, reply.read(), reply.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def message(sender: str, text: str, **extra: Any) -> bytes:
    return json.dumps({"sender": sender, "message": text, **extra}).encode()


# --------------------------------------------------------------------------- REST: input checks
def test_rest_requires_json_so_other_sites_cannot_post_without_a_preflight(server):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None):
        status, body, _ = request(
            server, "/webhooks/rest/webhook", message(str(uuid.uuid4()), "hi"), content_type
        )
        assert status == 415, content_type
        assert "application/json" in json.loads(body)["reason"]
    assert (
        request(
            server,
            "/webhooks/rest/webhook",
            message(str(uuid.uuid4()), "hi"),
            "application/json; charset=utf-8",
        )[0]
        == 200
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe\xfa",
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"[1, 2]",
        message("me", "hi"),
        message("", "hi"),
        message("x" * 20_000, "hi"),
        json.dumps({"sender": str(uuid.uuid4()), "message": {"nested": ["json"]}}).encode(),
    ],
)
def test_parse_failures_and_wrong_shapes_get_a_400_that_says_why(server, raw):
    received = len(server.agent.received)
    status, body, _ = request(server, "/webhooks/rest/webhook", raw)
    assert status == 400, body[:200]
    assert json.loads(body)["reason"]
    assert len(server.agent.received) == received  # nothing reached Rasa


def test_me_is_refused_with_a_clear_400(server):
    status, body, _ = request(server, "/webhooks/rest/webhook", message("me", "what is community justice?"))
    assert status == 400
    assert "random UUID" in json.loads(body)["reason"]


def test_requests_over_64_kb_are_refused_by_sanic(server):
    status, _, _ = request(server, "/webhooks/rest/webhook", message(str(uuid.uuid4()), "x" * 70_000))
    assert status == 413
    assert (
        request(server, "/webhooks/rest/webhook", message(str(uuid.uuid4()), "x" * 60_000))[0] == 200
    )  # kind reply


def test_a_long_message_gets_a_kind_reply_and_never_reaches_rasa(server):
    received = len(server.agent.received)
    status, body, _ = request(server, "/webhooks/rest/webhook", message(str(uuid.uuid4()), "help " * 2000))
    assert status == 200 and "long message" in json.loads(body)[0]["text"]
    assert len(server.agent.received) == received


# --------------------------------------------------------------------------- REST: Rasa's behaviours
def test_rest_metadata_reaches_the_stored_user_event_redacted(server):
    sender = str(uuid.uuid4())
    status, body, _ = request(
        server,
        "/webhooks/rest/webhook",
        message(
            sender,
            "my number is 07700 900123",
            metadata={"partnership": "dumfries_galloway", "note": "jo@example.com"},
        ),
    )
    assert status == 200 and json.loads(body)[0]["text"] == "echo: my number is [phone number]"
    stored = server.agent.stored_user_events(sender)
    assert stored[0]["metadata"] == {"partnership": "dumfries_galloway", "note": "[email address]"}
    assert stored[0]["text"] == "my number is [phone number]"


def test_rest_streaming_works_through_our_checks(server):
    sender = str(uuid.uuid4())
    status, body, headers = request(
        server, "/webhooks/rest/webhook?stream=true", message(sender, "streamed 07700 900123")
    )
    assert status == 200 and headers["content-type"] == "text/event-stream"
    lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
    assert lines == [{"recipient_id": sender, "text": "echo: streamed [phone number]"}]


def test_the_health_route_of_rasas_rest_channel_still_answers(server):
    status, body, _ = request(server, "/webhooks/rest/", method="GET", content_type=None)
    assert status == 200 and json.loads(body) == {"status": "ok"}


# --------------------------------------------------------------------------- erase on request
def test_the_holder_of_a_conversation_id_can_delete_it(server):
    sender, other = str(uuid.uuid4()), str(uuid.uuid4())
    for who in (sender, other):
        request(server, "/webhooks/rest/webhook", message(who, "my brother is in prison"))
    assert server.agent.stored_user_events(sender)
    status, body, _ = request(server, "/webhooks/rest/delete", json.dumps({"sender": sender}).encode())
    assert status == 200 and json.loads(body)["deleted"] is True and json.loads(body)["events"] >= 1
    assert server.agent.stored_user_events(sender) == []
    assert server.agent.stored_user_events(other)  # only that conversation
    assert request(server, "/webhooks/rest/delete", json.dumps({"sender": "me"}).encode())[0] == 400
    assert (
        request(server, "/webhooks/rest/delete", json.dumps({"sender": sender}).encode(), "text/plain")[0]
        == 415
    )


# --------------------------------------------------------------------------- Socket.IO
class Visitor:
    """A Socket.IO client: what it received, by event."""

    def __init__(
        self,
        server: ChannelServer,
        origin: Optional[str] = None,
        auth: Optional[dict] = None,
        metadata_key: str = "customData",
        wait_timeout: float = 10,
    ) -> None:
        self.events: List[Tuple[str, Any]] = []
        self.arrived = threading.Event()
        self.metadata_key = metadata_key
        self.client = socketio.Client(reconnection=False)
        for name in ("bot_uttered", "error_message", "session_confirm"):
            self.client.on(
                name, lambda data, name=name: (self.events.append((name, data)), self.arrived.set())
            )
        headers = {"Origin": origin} if origin else {}
        self.client.connect(
            server.url,
            headers=headers,
            auth=auth,
            transports=["polling"] if origin else ["websocket"],
            wait_timeout=wait_timeout,
        )

    def emit(self, event: str, data: Any, wait: float = 1.0) -> List[Tuple[str, Any]]:
        self.events.clear()
        self.arrived.clear()
        self.client.emit(event, data)
        self.arrived.wait(wait)
        time.sleep(0.2)
        return list(self.events)

    def open(self, session_id: str) -> List[Tuple[str, Any]]:
        return self.emit("session_request", {"session_id": session_id})

    def say(self, session_id: str, text: str, **metadata: Any) -> List[Tuple[str, Any]]:
        return self.emit(
            "user_uttered", {"message": text, "session_id": session_id, self.metadata_key: metadata}
        )

    def close(self) -> None:
        self.client.disconnect()


def texts(events: List[Tuple[str, Any]]) -> List[str]:
    return [data.get("text", "") for name, data in events if name == "bot_uttered"]


def errors(events: List[Tuple[str, Any]]) -> List[str]:
    return [data["reason"] for name, data in events if name == "error_message"]


def test_socketio_metadata_reaches_the_stored_user_event(server):
    visitor, session = Visitor(server), str(uuid.uuid4())
    try:
        assert ("session_confirm", session) in visitor.open(session)
        assert texts(visitor.say(session, "hello", partnership="ayrshire")) == ["echo: hello"]
        assert server.agent.stored_user_events(session)[0]["metadata"] == {"partnership": "ayrshire"}
    finally:
        visitor.close()


def test_a_reply_with_a_custom_payload_reaches_the_socket_and_the_turn_is_stored(server):
    """Rasa 3.6 passes custom payloads to sio.emit as keyword arguments (RasaHQ/rasa#8445): a reply
    with links raised TypeError, the visitor got the 'can't answer' reply and the turn was lost."""

    async def answer_with_links(message):
        await message.output_channel.send_response(
            message.sender_id,
            {
                "text": "Community justice means ...",
                "custom": {"links": [{"label": "gov.scot", "url": "https://www.gov.scot/"}]},
            },
        )

    visitor, session = Visitor(server), str(uuid.uuid4())
    server.agent.behaviour = answer_with_links
    try:
        visitor.open(session)
        events = visitor.say(session, "what is community justice?")
        time.sleep(0.5)
        events += visitor.events
        replies = [data for name, data in events if name == "bot_uttered"]
        assert {"text": "Community justice means ..."} in replies
        assert {"custom": {"links": [{"label": "gov.scot", "url": "https://www.gov.scot/"}]}} in replies
        assert not any("can't answer" in data.get("text", "") for data in replies)
    finally:
        server.agent.behaviour = None
        visitor.close()


def test_as_in_rasa_a_session_request_without_an_id_gets_one_made_up_by_the_server(server):
    visitor = Visitor(server)
    try:
        confirmed = [data for name, data in visitor.emit("session_request", {}) if name == "session_confirm"]
        assert len(confirmed) == 1 and len(confirmed[0]) == 32  # uuid4().hex, as Rasa makes them
        assert texts(visitor.say(confirmed[0], "hello")) == ["echo: hello"]
    finally:
        visitor.close()


def test_session_ids_must_be_uuids(server):
    visitor = Visitor(server)
    try:
        for bad in ("me", "x" * 60_000, "12345678", 5):
            assert "random UUID" in errors(visitor.open(bad))[0]
        assert "session_request" in errors(visitor.say("x" * 60_000, "hello"))[0]
    finally:
        visitor.close()


def test_a_connection_may_only_talk_in_the_conversation_it_opened(server):
    owner, intruder = Visitor(server), Visitor(server)
    session = str(uuid.uuid4())
    try:
        owner.open(session)
        # Someone else's id: the room is taken, and messages for it are refused.
        assert "already open" in errors(intruder.open(session))[0]
        assert "session_request" in errors(intruder.say(session, "what did they say?"))[0]
        # The owner's replies go to the owner only.
        intruder.events.clear()
        assert texts(owner.say(session, "hello")) == ["echo: hello"]
        time.sleep(0.3)
        assert texts(intruder.events) == []
        # One connection, one conversation.
        assert "another conversation" in errors(owner.open(str(uuid.uuid4())))[0]
    finally:
        owner.close()
        intruder.close()
    # Once the owner has gone, the conversation can be opened again (a reload, a new tab).
    again = Visitor(server)
    try:
        for _ in range(20):  # the server hears of the disconnect a moment later
            if ("session_confirm", session) in again.open(session):
                break
        else:
            pytest.fail("the conversation could not be opened again after its connection closed")
    finally:
        again.close()


def test_bad_socket_input_gets_a_clear_answer(server):
    visitor, session = Visitor(server), str(uuid.uuid4())
    try:
        visitor.open(session)
        for bad in (
            "just text",
            ["a", "list"],
            {"message": {"nested": 1}, "session_id": session},
            {"message": "hi"},
            {"message": "hi", "session_id": session, "customData": "{not json"},
            {"message": "hi", "session_id": session, "customData": {"deep": {"er": 1}}},
        ):
            assert errors(visitor.emit("user_uttered", bad)), bad
        assert "long message" in texts(visitor.say(session, "x" * 5000))[0]
        assert texts(visitor.say(session, "still here")) == ["echo: still here"]
    finally:
        visitor.close()


def test_a_socket_packet_over_64_kb_is_refused(server):
    visitor, session = Visitor(server), str(uuid.uuid4())
    try:
        visitor.open(session)
        received = len(server.agent.received)
        visitor.emit("user_uttered", {"message": "x" * 70_000, "session_id": session})
        assert len(server.agent.received) == received
    finally:
        visitor.close()


def test_connections_from_other_origins_are_refused(server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Visitor(server, origin="https://evil.example")
    Visitor(server, origin=server.url).close()


def test_an_empty_allowed_origins_setting_does_not_turn_the_check_off(tmp_path):
    with channel_server(tmp_path, {"CJ_ALLOWED_ORIGINS": " "}) as bare, pytest.raises(
        socketio.exceptions.ConnectionError
    ):
        Visitor(bare, origin="https://evil.example")


def test_rasas_jwt_check_works_again(tmp_path):
    secret = "a-test-secret-of-32-characters!!"
    credentials = {
        "bot.rasa_ext.channels.guarded.GuardedSocketIOInput": {
            "user_message_evt": "user_uttered",
            "bot_message_evt": "bot_uttered",
            "session_persistence": True,
            "metadata_key": "customData",
            "jwt_key": secret,
            "jwt_method": "HS256",
        }
    }
    with channel_server(tmp_path, {"CJ_RATE_LIMIT_IP": "1000"}, credentials=credentials) as guarded:
        with pytest.raises(socketio.exceptions.ConnectionError):
            Visitor(guarded, wait_timeout=2)  # no token
        with pytest.raises(socketio.exceptions.ConnectionError):
            Visitor(
                guarded,
                auth={"token": jwt.encode({"user": "x"}, "another-secret-of-32-characters!!", "HS256")},
                wait_timeout=2,
            )
        visitor, session = (
            Visitor(guarded, auth={"token": jwt.encode({"user": "x"}, secret, "HS256")}),
            str(uuid.uuid4()),
        )
        try:
            visitor.open(session)
            assert texts(visitor.say(session, "hello")) == ["echo: hello"]
        finally:
            visitor.close()


# --------------------------------------------------------------------------- the website's headers
@pytest.mark.parametrize(
    "path", ["/site/", "/site/static/cj-widget.js", "/site/static/cj-widget.css", "/site/no-such-page"]
)
def test_every_response_under_site_carries_the_security_headers(server, path):
    status, _, headers = request(server, path, method="GET", content_type=None)
    assert status in (200, 404)
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
    connect = next(part for part in csp.split(";") if part.strip().startswith("connect-src")).split()[1:]
    assert connect == ["'self'", f"ws://127.0.0.1:{server.port}"]  # this server only, no ws: or wss: wildcard
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"] and "microphone=()" in headers["Permissions-Policy"]
