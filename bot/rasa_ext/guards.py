"""Checks on what a visitor sends, shared by the REST and Socket.IO channels: conversation ids,
message bodies, metadata, and rate limits. Pure logic, no Rasa or Sanic."""

from __future__ import annotations

import json
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Union

from bot.rasa_ext.privacy import redact

MAX_REQUEST_BYTES = 64 * 1024
RATE_WINDOW_SECONDS = 60.0

UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}"
)
BAD_CONVERSATION_ID = (
    "The conversation id must be a random UUID: 36 characters with hyphens "
    "(like 0f8c2a4e-6b1d-4c3a-9e7f-2d5b8a1c4e6f) or the same 32 hex digits without them."
)
MAX_METADATA_KEYS = 20
MAX_METADATA_TEXT = 200

Metadata = Dict[str, Union[str, int, float, bool, None]]


def is_conversation_id(value: Any) -> bool:
    """Only random UUIDs name conversations: an id that can be guessed lets others read replies."""
    return isinstance(value, str) and UUID_PATTERN.fullmatch(value) is not None


class BadRequest(ValueError):
    """The request cannot be processed; the message says why, in words a developer can act on."""


def clean_metadata(value: Any) -> Optional[Metadata]:
    """Message metadata as it may be stored: a flat JSON object of short texts (redacted), numbers,
    true/false or null. Rasa keeps metadata in the tracker, so nothing unredacted gets in this way."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise BadRequest("'metadata' must be a JSON object.") from None
    if not isinstance(value, dict):
        raise BadRequest("'metadata' must be a JSON object.")
    if len(value) > MAX_METADATA_KEYS:
        raise BadRequest(f"'metadata' may have at most {MAX_METADATA_KEYS} keys.")
    cleaned: Metadata = {}
    for key, item in value.items():
        if len(key) > 64:
            raise BadRequest("'metadata' keys may be at most 64 characters.")
        if isinstance(item, str):
            if len(item) > MAX_METADATA_TEXT:
                raise BadRequest(f"'metadata' texts may be at most {MAX_METADATA_TEXT} characters.")
            cleaned[key] = redact(item)
        elif item is None or isinstance(item, (bool, int, float)):
            cleaned[key] = item
        else:
            raise BadRequest("'metadata' values must be texts, numbers, true/false or null (no nesting).")
    return cleaned


@dataclass(frozen=True)
class RestMessage:
    sender: str
    message: str
    metadata: Optional[Metadata]

    def as_json(self) -> Dict[str, Any]:
        """What Rasa's REST handler reads (it also reads `input_channel`, which is not passed on)."""
        return {"sender": self.sender, "message": self.message, "metadata": self.metadata}


def parse_json_body(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not valid UTF-8.") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    except ValueError:
        raise BadRequest("The request body is not valid JSON.") from None


def conversation_of(body: Any) -> str:
    """The `sender` of a parsed request body, checked."""
    if not isinstance(body, dict):
        raise BadRequest('Send a JSON object: {"sender": "<conversation id>", "message": "..."}.')
    sender = body.get("sender")
    if not isinstance(sender, str) or not is_conversation_id(sender):
        raise BadRequest(f"'sender': {BAD_CONVERSATION_ID}")
    return sender


def parse_rest_message(body: bytes) -> RestMessage:
    """A REST channel request body, checked: any problem raises BadRequest with the reason."""
    parsed = parse_json_body(body)
    sender = conversation_of(parsed)
    message = parsed.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string.")
    return RestMessage(sender, message, clean_metadata(parsed.get("metadata")))


class RateLimiter:
    """At most `limit` messages per key in a window of `window` seconds that starts with the key's
    first message. The table is bounded: windows that have ended are dropped as they are met, and
    beyond `max_keys` keys the least recently seen are forgotten (which only ever resets an allowance)."""

    def __init__(
        self,
        limit: int,
        window: float = RATE_WINDOW_SECONDS,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.max_keys, self.clock = limit, window, max_keys, clock
        self.windows: OrderedDict[str, List[float]] = OrderedDict()  # key -> [start, count]

    def allow(self, key: str) -> bool:
        now = self.clock()
        entry = self.windows.get(key)
        if entry is None or now - entry[0] >= self.window:
            entry = self.windows[key] = [now, 0]
        self.windows.move_to_end(key)
        self._forget(now)
        if entry[1] >= self.limit:
            return False
        entry[1] += 1
        return True

    def _forget(self, now: float) -> None:
        while len(self.windows) > self.max_keys:
            self.windows.popitem(last=False)
        while self.windows:
            start = next(iter(self.windows.values()))[0]
            if now - start < self.window:
                break
            self.windows.popitem(last=False)

    def __len__(self) -> int:
        return len(self.windows)


class TurnsInFlight:
    """How many turns this server is processing now, with a cap: beyond it visitors get a polite
    'busy' reply at once instead of queueing behind turns that will miss their deadline anyway."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0

    def try_start(self) -> bool:
        if self.count >= self.limit:
            return False
        self.count += 1
        return True

    def finish(self) -> None:
        self.count = max(0, self.count - 1)
