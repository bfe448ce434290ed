"""What every accepted message goes through on its way to Rasa, whichever channel it came from.

`TurnGuard.wrap(on_new_message)` gives the callable that the channels hand to Rasa's own blueprints:
a cap on message length (a very long message can exhaust a stock server's memory), a cap on turns
in flight on this server, redaction of personal details before anything is stored, and a kind
reply with the partnership's phone number when the assistant cannot answer within the deadline,
fails, or the action server is down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, Optional

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.content.watch import ContentWatcher
from bot.rasa_ext.guards import TurnsInFlight
from bot.rasa_ext.privacy import redact
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

TOO_LONG_REPLY = (
    "That's a long message, and I can only read up to {limit} characters at a time. "
    "Could you tell me in a sentence or two what you'd like help with? If you are in danger now, call 999."
)
TOO_FAST_REPLY = (
    "You're sending messages faster than I can answer. Please wait a moment and try again. "
    "If you are in danger now, call 999."
)


@lru_cache(maxsize=1)
def _content() -> ContentWatcher:
    return ContentWatcher(get_settings().content_dir, check_every=5.0)


CRISIS_LINE = "If you are in danger now, call 999. Samaritans are there day or night on 116 123."


def _contact_line(partnership_id: Optional[str]) -> str:
    """The partnership's contact details, from the content as it is now (edits need no restart)."""
    try:
        content = _content().current()
    except Exception:  # the kind reply must never fail: without content, the crisis numbers alone
        logger.exception("Content could not be loaded for the contact line")
        return CRISIS_LINE
    partnership = (
        content.partnership(partnership_id)
        or content.partnership(get_settings().default_partnership)
        or content.partnerships[0]
    )
    if partnership.contact.phone:
        reach = f"You can contact {partnership.name} on {partnership.contact.phone} or at {partnership.contact.web}."
    else:
        reach = f"{partnership.name} is at {partnership.contact.web}."
    return f"{reach} {CRISIS_LINE}"


def unavailable_reply(partnership_id: Optional[str] = None) -> str:
    """What to say when the assistant cannot answer properly: the partnership's contact and 999."""
    return "Sorry, I can't answer properly right now. " + _contact_line(partnership_id)


def busy_reply(partnership_id: Optional[str] = None) -> str:
    return (
        "A lot of people are using this assistant right now, so I can't answer straight away. "
        "Please try again in a minute. " + _contact_line(partnership_id)
    )


def too_long_reply(limit: int) -> str:
    return TOO_LONG_REPLY.format(limit=limit)


class ActionServerProbe:
    """Is the action server up? Checked at most every few seconds. Down means its address refuses
    connections or it answers with an error; a slow answer (a busy server) changes nothing, or under
    load every reply would get the "can't answer" line on top."""

    def __init__(self, url: str, every: float = 3.0, timeout: float = 1.0) -> None:
        self.url, self.every, self.timeout = url, every, timeout
        self.checked_at, self.healthy = -1e9, True

    async def is_healthy(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at > self.every:
            self.checked_at = now
            try:
                async with aiohttp.ClientSession(
                    timeout=aiohttp.ClientTimeout(total=self.timeout)
                ) as session, session.get(self.url) as reply:
                    self.healthy = reply.status == 200
            except asyncio.TimeoutError:
                pass  # busy, not down: keep what we knew
            except aiohttp.ClientError:
                self.healthy = False
        return self.healthy


class CountingOutputChannel(OutputChannel):
    """The channel's own output, counting what Rasa sends through it (every bot message goes
    through `send_response`)."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner, self.sent = inner, 0

    def name(self) -> str:  # Rasa picks channel-specific responses by it
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def _partnership_of(message: UserMessage) -> Optional[str]:
    value = (message.metadata or {}).get("partnership")
    return value if isinstance(value, str) else None


class TurnGuard:
    def __init__(
        self, settings: Optional[Settings] = None, probe: Optional[ActionServerProbe] = None
    ) -> None:
        self.settings = settings or get_settings()
        self.in_flight = TurnsInFlight(self.settings.max_turns_in_flight)
        self.probe = probe or ActionServerProbe(self.settings.action_server_health)

    def wrap(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def guarded(message: UserMessage) -> None:
            await self.handle(message, on_new_message)

        return guarded

    async def handle(self, message: UserMessage, on_new_message: OnNewMessage) -> None:
        text = message.text or ""
        output, sender = message.output_channel, message.sender_id
        if len(text) > self.settings.max_message_chars:
            await output.send_text_message(sender, too_long_reply(self.settings.max_message_chars))
            return
        if not self.in_flight.try_start():
            await output.send_text_message(sender, busy_reply(_partnership_of(message)))
            return
        message.text = redact(text)
        counting = CountingOutputChannel(output)
        message.output_channel = counting
        turn = asyncio.ensure_future(on_new_message(message))
        turn.add_done_callback(self._finished)
        done, _ = await asyncio.wait({turn}, timeout=self.settings.reply_deadline_seconds)
        answered = bool(done) and turn.exception() is None and counting.sent > 0
        if not answered or not await self.probe.is_healthy():
            # Late turns carry on in the background; the visitor hears from us now.
            await output.send_text_message(sender, unavailable_reply(_partnership_of(message)))

    def _finished(self, turn: asyncio.Future[Any]) -> None:
        self.in_flight.finish()
        if not turn.cancelled() and turn.exception() is not None:
            # The type only: the exception text could quote the message.
            logger.error("A turn failed with %s", type(turn.exception()).__name__)


@lru_cache(maxsize=1)
def shared_turn_guard() -> TurnGuard:
    """One guard per server process, so the cap on turns in flight counts every channel."""
    return TurnGuard()
