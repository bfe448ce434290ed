"""Rasa's own REST and Socket.IO channels with checks in front of them.

Each class calls Rasa's `blueprint()` and adds to what it returns, so everything Rasa's channels do
still happens (REST `metadata` and `?stream=true`, the Socket.IO `jwt_key` check, `metadata_key`,
session persistence) and Rasa's fixes to them arrive with upgrades. What is added:

- every message Rasa receives first passes `TurnGuard` (bot/rasa_ext/turns.py): length cap, cap on
  turns in flight, redaction, the 2-second reply deadline with a kind reply;
- REST (request middleware on Rasa's blueprint): `application/json` only (415), parse failures and
  wrong shapes get a 400 that says why, conversation ids must be UUIDs, rate limits per client
  address and per conversation (429), request bodies up to 64 kB (Sanic's REQUEST_MAX_SIZE, 413),
  and `POST /webhooks/rest/delete` erases a conversation for whoever holds its id;
- Socket.IO (wrappers around Rasa's event handlers): connections only from CJ_ALLOWED_ORIGINS, UUID
  session ids, one connection per conversation, `user_uttered` only for the conversation the
  connection opened with `session_request`, the same rate limits, 64 kB per packet; custom
  payloads (e.g. links) are sent as {"custom": ...} instead of failing the turn (RasaHQ/rasa#8445).
- both: after each answer built from content, a feedback marker; `POST /webhooks/rest/feedback`
  stores a visitor's "helpful / not helpful / report" on it as an event (bot/rasa_ext/channels/feedback.py).
"""

from __future__ import annotations

import inspect
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.core.lock_store import LockError
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa_ext.channels.feedback import marking_answers, parse_feedback, record_feedback
from bot.rasa_ext.guards import (
    BAD_CONVERSATION_ID,
    MAX_REQUEST_BYTES,
    BadRequest,
    RateLimiter,
    clean_metadata,
    conversation_of,
    is_conversation_id,
    parse_json_body,
    parse_rest_message,
)
from bot.rasa_ext.tracker_store import erase_conversation
from bot.rasa_ext.turns import TOO_FAST_REPLY, TurnGuard, shared_turn_guard
from bot.settings import get_settings

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
Handler = Callable[..., Awaitable[Any]]


class ClientLimits:
    """Messages a minute per client address (CJ_RATE_LIMIT_IP) and per conversation (CJ_RATE_LIMIT)."""

    def __init__(self) -> None:
        settings = get_settings()
        self.per_address = RateLimiter(settings.rate_limit_ip)
        self.per_conversation = RateLimiter(settings.rate_limit)

    def allow(self, address: str, conversation_id: str) -> bool:
        return self.per_address.allow(address) and self.per_conversation.allow(conversation_id)


def client_address(request: Request) -> str:
    """The visitor's address; behind a proxy set SANIC_PROXIES_COUNT so it is not the proxy's."""
    return request.remote_addr or request.ip or "unknown"


def _refusal(status: int, error: str, reason: str) -> HTTPResponse:
    return response.json({"error": error, "reason": reason}, status=status)


def _is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


def limit_request_size(app: Sanic, _loop: Any) -> None:
    """Sanic reads REQUEST_MAX_SIZE for each new connection (413 beyond it)."""
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES


class GuardedRestInput(RestInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> GuardedRestInput:
        return cls()

    def __init__(self, turns: Optional[TurnGuard] = None) -> None:
        self.turns = turns or shared_turn_guard()
        self.limits = ClientLimits()

    def turn_handler(self, on_new_message: OnNewMessage) -> OnNewMessage:
        """What each accepted message goes through: the turn guard, and answers marked for feedback."""
        return marking_answers(self.turns.wrap(on_new_message))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = super().blueprint(self.turn_handler(on_new_message))

        async def check_request(request: Request) -> Optional[HTTPResponse]:
            return await self.check_request(request)

        async def delete_conversation(request: Request) -> HTTPResponse:
            return await self.delete_conversation(request)

        async def feedback(request: Request) -> HTTPResponse:
            return await self.feedback(request)

        webhook.middleware(check_request, "request")
        webhook.add_route(delete_conversation, "/delete", methods=["POST"])
        webhook.add_route(feedback, "/feedback", methods=["POST"])
        webhook.listener("before_server_start")(limit_request_size)
        return webhook

    async def check_request(self, request: Request) -> Optional[HTTPResponse]:
        """Runs before Rasa's `receive`; a response here is the answer, None lets Rasa go on."""
        if request.method != "POST":
            return None
        if not _is_json(request):
            return _refusal(
                415, "unsupported_media_type", "Send JSON with the header Content-Type: application/json."
            )
        if not request.path.endswith("/webhook"):
            return None
        try:
            message = parse_rest_message(request.body)
        except BadRequest as problem:
            return _refusal(400, "bad_request", str(problem))
        if not self.limits.allow(client_address(request), message.sender):
            return response.json([{"recipient_id": message.sender, "text": TOO_FAST_REPLY}], status=429)
        request.parsed_json = message.as_json()  # type: ignore[assignment]  # Sanic's parsed body, which Rasa's handler reads
        return None

    async def delete_conversation(self, request: Request) -> HTTPResponse:
        """Erase every stored event of the conversation named in {"sender": "<id>"}."""
        try:
            sender = conversation_of(parse_json_body(request.body))
        except BadRequest as problem:
            return _refusal(400, "bad_request", str(problem))
        if not self.limits.per_address.allow(client_address(request)):
            return _refusal(429, "too_many_requests", TOO_FAST_REPLY)
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None:
            return _refusal(503, "starting", "The assistant is starting. Please try again in a minute.")
        try:
            async with agent.lock_store.lock(sender):  # waits for a turn of this conversation in progress
                events = await erase_conversation(agent.tracker_store, sender)
        except NotImplementedError:
            return _refusal(
                501, "not_supported", "This server's conversation store cannot delete conversations."
            )
        except LockError:
            return _refusal(503, "busy", "The conversation is busy. Please try again in a minute.")
        return response.json({"deleted": True, "events": events})

    async def feedback(self, request: Request) -> HTTPResponse:
        """Store a visitor's verdict on one answer of their conversation (feedback.py)."""
        try:
            sender, answer, rating = parse_feedback(parse_json_body(request.body))
        except BadRequest as problem:
            return _refusal(400, "bad_request", str(problem))
        if not self.limits.allow(client_address(request), sender):
            return _refusal(429, "too_many_requests", TOO_FAST_REPLY)
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None:
            return _refusal(503, "starting", "The assistant is starting. Please try again in a minute.")
        try:
            async with agent.lock_store.lock(sender):
                stored = await record_feedback(agent, sender, answer, rating)
        except LockError:
            return _refusal(503, "busy", "The conversation is busy. Please try again in a minute.")
        if stored is None:
            return _refusal(
                404,
                "not_found",
                "This conversation has no such answer: feedback is only taken on "
                "an answer the assistant gave in it.",
            )
        return response.json({"stored": True})


class GuardedCmdlineInput(GuardedRestInput):
    """The channel `make shell` talks to (Rasa's `cmdline` is its REST channel without any checks)."""

    @classmethod
    def name(cls) -> str:
        return "cmdline"

    def url_prefix(self) -> str:
        return RestInput.name()


class SocketIOOutputForCustomPayloads(SocketIOOutput):
    """Rasa 3.6's Socket.IO output hands a custom payload's keys to `sio.emit` as arguments, so any
    payload that is not `{"data": ...}` raises TypeError (RasaHQ/rasa#8445), the turn fails and is not
    stored. Such payloads are sent as {"custom": payload}, as the REST channel returns them."""

    EMIT_ARGUMENTS = frozenset({"data", "room", "to", "namespace", "skip_sid", "callback"})

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        if set(json_message) <= self.EMIT_ARGUMENTS:
            await super().send_custom_json(recipient_id, json_message, **kwargs)
        else:
            await self._send_message(recipient_id, {"custom": json_message})


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's Socket.IO channel; its handlers run after ours (and its `connect` keeps the JWT check)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.turns = shared_turn_guard()
        self.limits = ClientLimits()
        self.addresses: Dict[str, str] = {}  # connection -> client address
        self.session_of: Dict[str, str] = {}  # connection -> its conversation
        self.connection_of: Dict[str, str] = {}  # conversation -> its one connection

    def turn_handler(self, on_new_message: OnNewMessage) -> OnNewMessage:
        """What each accepted message goes through: the turn guard, and answers marked for feedback."""
        return marking_answers(self.turns.wrap(on_new_message))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        guarded = self.turn_handler(on_new_message)

        async def with_custom_payloads(message: UserMessage) -> None:
            if type(message.output_channel) is SocketIOOutput:
                message.output_channel = SocketIOOutputForCustomPayloads(self.sio, self.bot_message_evt)
            await guarded(message)

        webhook = super().blueprint(with_custom_payloads)
        sio = self.sio
        assert sio is not None
        # Rasa creates the server with cors_allowed_origins=[], which turns Engine.IO's origin check off.
        sio.eio.cors_allowed_origins = list(get_settings().allowed_origins) or None  # None: same origin only
        sio.eio.max_http_buffer_size = MAX_REQUEST_BYTES
        namespace = self.namespace or "/"
        rasa_handlers: Dict[str, Handler] = dict(sio.handlers[namespace])
        sio.on("connect", self._connect(rasa_handlers["connect"]), namespace=namespace)
        sio.on("disconnect", self._disconnect(rasa_handlers["disconnect"]), namespace=namespace)
        sio.on(
            "session_request", self._session_request(rasa_handlers["session_request"]), namespace=namespace
        )
        sio.on(
            self.user_message_evt,
            self._user_message(rasa_handlers[self.user_message_evt]),
            namespace=namespace,
        )
        return webhook

    async def _enter_room(self, sid: str, room: str) -> None:
        """Rasa 3.6 calls `sio.enter_room` without `await`; from python-socketio 5.10 it is a coroutine
        there, and replies were then never delivered (RasaHQ/rasa#13027). Joining here, awaited when
        needed, works with both (joining twice changes nothing)."""
        assert self.sio is not None
        joined = self.sio.enter_room(sid, room, namespace=self.namespace)
        if inspect.isawaitable(joined):
            await joined

    async def _error(self, sid: str, reason: str) -> None:
        assert self.sio is not None
        await self.sio.emit("error_message", {"reason": reason}, room=sid, namespace=self.namespace)

    def _connect(self, rasa_connect: Handler) -> Handler:
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> Any:
            allowed = await rasa_connect(sid, environ, auth)  # Rasa's JWT check, when jwt_key is set
            if allowed is not False:
                request = environ.get("sanic.request")
                self.addresses[sid] = client_address(request) if request is not None else "unknown"
            return allowed

        return connect

    def _disconnect(self, rasa_disconnect: Handler) -> Handler:
        async def disconnect(sid: str) -> None:
            self.addresses.pop(sid, None)
            session_id = self.session_of.pop(sid, None)
            if session_id and self.connection_of.get(session_id) == sid:
                del self.connection_of[session_id]
            await rasa_disconnect(sid)

        return disconnect

    def _session_request(self, rasa_session_request: Handler) -> Handler:
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            if requested is None:  # as Rasa does: the server makes one up
                requested = uuid.uuid4().hex
            if not is_conversation_id(requested):
                await self._error(sid, f"session_id: {BAD_CONVERSATION_ID}")
                return
            current = self.session_of.get(sid)
            if current not in (None, requested):
                await self._error(
                    sid,
                    "This connection already belongs to another conversation: connect again to start a new one.",
                )
                return
            holder = self.connection_of.get(requested)
            if holder not in (None, sid):
                await self._error(sid, "This conversation is already open in another window or tab.")
                return
            self.session_of[sid], self.connection_of[requested] = requested, sid
            await self._enter_room(sid, requested)
            await rasa_session_request(sid, {"session_id": requested})

        return session_request

    def _user_message(self, rasa_handle_message: Handler) -> Handler:
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                await self._error(sid, "Send {message: string, session_id: string} as the event's data.")
                return
            session_id = self.session_of.get(sid)
            if session_id is None or data.get("session_id") != session_id:
                await self._error(
                    sid,
                    "Send session_request for this conversation first: a connection may "
                    "only send messages of the conversation it opened.",
                )
                return
            try:
                metadata = clean_metadata(data.get(self.metadata_key))
            except BadRequest as problem:
                await self._error(sid, str(problem))
                return
            if not self.limits.allow(self.addresses.get(sid, "unknown"), session_id):
                assert self.sio is not None
                await self.sio.emit(
                    self.bot_message_evt, {"text": TOO_FAST_REPLY}, room=sid, namespace=self.namespace
                )
                return
            await rasa_handle_message(
                sid, {"message": data["message"], "session_id": session_id, self.metadata_key: metadata or {}}
            )

        return handle_message
