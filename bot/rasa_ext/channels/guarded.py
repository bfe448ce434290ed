"""REST and Socket.IO channels that check every message before any NLU runs.

They replace Rasa's built-in `rest` and `socketio` channels (same URLs and events) and add:
a cap on message length (a very long message can exhaust a stock server's memory), a clear 400
for malformed requests, a per-client rate limit, redaction of personal details before anything is
stored, an origin check for Socket.IO connections, and a kind reply with the partnership's phone
number when the assistant cannot answer within 2 seconds or the action server is down.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from functools import lru_cache
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional, Text

import aiohttp

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.rasa_ext import patches
from bot.rasa_ext.privacy import redact
from bot.settings import get_settings

patches.apply()

MAX_MESSAGE_CHARS = get_settings().max_message_chars
RATE_LIMIT = get_settings().rate_limit  # messages per client per window
RATE_WINDOW_SECONDS = 60.0
TOO_LONG_REPLY = (
    "That's a long message, and I can only read up to {limit} characters at a time. "
    "Could you tell me in a sentence or two what you'd like help with? If you are in danger now, call 999."
)
TOO_FAST_REPLY = "You're sending messages faster than I can answer. Please wait a moment and try again. If you are in danger now, call 999."


class RateLimiter:
    """At most `limit` messages per client in any `window` seconds."""

    def __init__(self, limit: int = RATE_LIMIT, window: float = RATE_WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self.recent: Dict[str, Deque[float]] = defaultdict(deque)

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        stamps = self.recent[client]
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        if len(stamps) >= self.limit:
            return False
        stamps.append(now)
        if len(self.recent) > 50_000:  # forget idle clients
            for key in [k for k, v in self.recent.items() if not v or now - v[-1] > self.window]:
                del self.recent[key]
        return True


def check_text(message: Any) -> Optional[str]:
    """None if the message may go to NLU, else the friendly reply to send instead."""
    if len(message) > MAX_MESSAGE_CHARS:
        return TOO_LONG_REPLY.format(limit=MAX_MESSAGE_CHARS)
    return None


REPLY_DEADLINE_SECONDS = get_settings().reply_deadline_seconds
ACTION_SERVER_HEALTH = get_settings().action_server_health


@lru_cache(maxsize=1)
def unavailable_reply() -> str:
    """What to say when the assistant cannot answer properly: the partnership's contact and 999."""
    from bot.content import load_content

    content = load_content()
    partnership = content.partnership(get_settings().default_partnership) or content.partnerships[0]
    phone = f" on {partnership.contact.phone}" if partnership.contact.phone else ""
    return (
        f"Sorry, I can't answer properly right now. You can contact {partnership.name}{phone} "
        f"or at {partnership.contact.web}. If you are in danger now, call 999. "
        "Samaritans are there day or night on 116 123."
    )


class ActionServerProbe:
    """Is the action server answering? Checked at most every few seconds."""

    def __init__(self, url: str = ACTION_SERVER_HEALTH, every: float = 3.0) -> None:
        self.url, self.every = url, every
        self.checked_at, self.healthy = -1e9, True

    async def is_healthy(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at > self.every:
            self.checked_at = now
            try:
                async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.5)) as session:
                    async with session.get(self.url) as reply:
                        self.healthy = reply.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                self.healthy = False
        return self.healthy


async def answer_within_deadline(handle: Awaitable[Any], replies_so_far: Callable[[], int], probe: ActionServerProbe) -> bool:
    """Run the message through Rasa; True when the user also needs the 'cannot answer' reply:
    nothing came back in time, Rasa failed, or the action server is down (answers may be missing)."""
    task = asyncio.ensure_future(handle)
    done, _ = await asyncio.wait({task}, timeout=REPLY_DEADLINE_SECONDS)
    if not done:
        return True  # the task carries on; the user hears from us now
    if task.exception() is not None or replies_so_far() == 0:
        return True
    return not await probe.is_healthy()


class CountingSocketIOOutput(SocketIOOutput):
    def __init__(self, sio: AsyncServer, bot_message_evt: Text) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)


def _bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": "bad_request", "reason": reason}, status=400)


class GuardedRestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self) -> None:
        self.limiter = RateLimiter()
        self.probe = ActionServerProbe()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = json.loads(request.body.decode("utf-8"))
            except UnicodeDecodeError:
                return _bad_request("The request body is not valid UTF-8.")
            except ValueError:
                return _bad_request("The request body is not valid JSON.")
            if not isinstance(body, dict):
                return _bad_request('Send a JSON object: {"sender": "...", "message": "..."}.')
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
                return _bad_request("'sender' must be a non-empty string of at most 128 characters.")
            if not isinstance(text, str):
                return _bad_request("'message' must be a string.")
            if not self.limiter.allow(f"{request.remote_addr or request.ip}|{sender}"):
                return response.json([{"recipient_id": sender, "text": TOO_FAST_REPLY}], status=429)
            refusal = check_text(text)
            if refusal:
                return response.json([{"recipient_id": sender, "text": refusal}])
            collector = CollectingOutputChannel()
            handle = on_new_message(UserMessage(redact(text), collector, sender, input_channel=self.name()))
            if await answer_within_deadline(handle, lambda: len(collector.messages), self.probe):
                return response.json([*collector.messages, {"recipient_id": sender, "text": unavailable_reply()}])
            return response.json(collector.messages)

        return webhook


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's Socket.IO channel with the same checks, and connections only from allowed origins."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedSocketIOInput":
        channel = super().from_credentials(credentials)
        channel.limiter = RateLimiter()
        channel.probe = ActionServerProbe()
        return channel

    def allowed_origins(self) -> List[str]:
        return list(get_settings().allowed_origins)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origins())
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not 8 <= len(session_id) <= 64:
                await sio.emit("error_message", {"reason": "session_id must be a random id of 8 to 64 characters"}, room=sid)
                return
            sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            output = CountingSocketIOOutput(sio, self.bot_message_evt)
            if not isinstance(data, dict) or not isinstance(data.get("session_id"), str) or not isinstance(data.get("message"), str):
                await sio.emit("error_message", {"reason": "send {message: string, session_id: string}"}, room=sid)
                return
            session_id, text = data["session_id"], data["message"]
            if not self.limiter.allow(f"{sid}|{session_id}"):
                await output.send_text_message(session_id, TOO_FAST_REPLY)
                return
            refusal = check_text(text)
            if refusal:
                await output.send_text_message(session_id, refusal)
                return
            handle = on_new_message(UserMessage(redact(text), output, session_id, input_channel=self.name()))
            if await answer_within_deadline(handle, lambda: output.sent, self.probe):
                await output.send_text_message(session_id, unavailable_reply())

        return webhook
