"""End-to-end latency over REST and Socket.IO (real clients on loopback) and open-loop load.

Latency is wall time on the client from sending the user message to receiving the last bot reply
of that turn. Socket.IO: the number of `bot_uttered` events to expect is taken from the REST reply
for the same message at the same point of a conversation (see messages.socket_message_count).

Open loop: arrivals are a Poisson process at the offered rate (fixed seed); each request is sent
at its scheduled time whether or not earlier ones were answered, and its latency is measured from
the *scheduled* send time (so a lagging client or a queueing server cannot hide delay:
no coordinated omission). The actual send lag is reported too.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp
import socketio

from bench import socketio_compat
from bench.stats import summary

socketio_compat.install()


# ------------------------------------------------------------------ REST


class RestClient:
    def __init__(self, base_url: str, timeout: float = 10.0, connections: int = 0):
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.connector_limit = connections
        self.session: Optional[aiohttp.ClientSession] = None

    async def __aenter__(self) -> RestClient:
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.connector_limit), timeout=self.timeout
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()

    async def say(self, sender: str, message: str) -> List[Dict]:
        async with self.session.post(self.url, json={"sender": sender, "message": message}) as reply:
            if reply.status != 200:
                raise RuntimeError(f"HTTP {reply.status}")
            return await reply.json()


async def rest_single_messages(base_url: str, messages: List[str]) -> Tuple[Dict, Dict[str, List[Dict]]]:
    """One message per fresh conversation, one at a time. Returns latency summary and the replies."""
    times, replies, errors = [], {}, 0
    async with RestClient(base_url) as client:
        for message in messages:
            started = time.perf_counter()
            try:
                body = await client.say(str(uuid.uuid4()), message)
            except Exception:
                errors += 1
                continue
            times.append(time.perf_counter() - started)
            replies[message] = body
            if not body:
                errors += 1
    return {"latency_ms": summary(times), "errors": errors, "messages": len(messages)}, replies


async def rest_conversations(base_url: str, script: List[str], count: int) -> Tuple[Dict, List[List[Dict]]]:
    turn_times, totals, errors, last = [], [], 0, []
    async with RestClient(base_url) as client:
        for _ in range(count):
            sender, total, transcript = str(uuid.uuid4()), 0.0, []
            for message in script:
                started = time.perf_counter()
                try:
                    body = await client.say(sender, message)
                except Exception:
                    errors += 1
                    body = []
                elapsed = time.perf_counter() - started
                turn_times.append(elapsed)
                total += elapsed
                transcript.append(body)
                if not body:
                    errors += 1
            totals.append(total)
            last = transcript
    return {
        "turn_latency_ms": summary(turn_times),
        "conversation_total_ms": summary(totals),
        "conversations": count,
        "turns_per_conversation": len(script),
        "errors": errors,
    }, last


# ------------------------------------------------------------------ Socket.IO


class SocketConversation:
    """One visitor on the Socket.IO channel (websocket transport, like web/static/cj-widget.js)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session_id = str(uuid.uuid4())
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue = asyncio.Queue()
        self.confirmed = asyncio.Event()
        self.sio.on("bot_uttered", self._on_bot)
        self.sio.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data) -> None:
        self.replies.put_nowait((time.perf_counter(), data))

    async def _on_confirm(self, data) -> None:
        self.confirmed.set()

    async def open(self, timeout: float = 10) -> None:
        await self.sio.connect(
            self.base_url, socketio_path="socket.io", transports=["websocket"], wait_timeout=timeout
        )
        await self.sio.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(self.confirmed.wait(), timeout)

    async def close(self) -> None:
        await self.sio.disconnect()

    async def say(
        self, message: str, expected: int, timeout: float = 10, extra_wait: float = 0.15
    ) -> Tuple[float, int]:
        """Seconds until the `expected`-th reply arrived, and how many replies arrived in all
        (replies arriving up to `extra_wait` after the last expected one are counted, not timed)."""
        while not self.replies.empty():
            self.replies.get_nowait()
        started = time.perf_counter()
        await self.sio.emit("user_uttered", {"message": message, "session_id": self.session_id})
        got, last = 0, started
        deadline = started + timeout
        while got < expected:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise asyncio.TimeoutError(f"{got}/{expected} replies to {message!r}")
            last, _ = await asyncio.wait_for(self.replies.get(), remaining)
            got += 1
        try:
            while True:
                await asyncio.wait_for(self.replies.get(), extra_wait)
                got += 1
        except asyncio.TimeoutError:
            pass
        return last - started, got


async def socket_single_messages(base_url: str, messages: List[str], expected: Dict[str, int]) -> Dict:
    times, errors, mismatches, first_error = [], 0, 0, None
    for message in messages:
        conversation = SocketConversation(base_url)
        try:
            await conversation.open()
            elapsed, got = await conversation.say(message, expected[message])
            times.append(elapsed)
            mismatches += got != expected[message]
        except Exception as error:
            errors += 1
            first_error = first_error or f"{type(error).__name__}: {error}"[:200]
        finally:
            await conversation.close()
    return {
        "latency_ms": summary(times),
        "errors": errors,
        "messages": len(messages),
        "reply_count_mismatches": mismatches,
        "first_error": first_error,
        "note": "fresh connection + session per message; connect/session_request not timed",
    }


async def socket_conversations(base_url: str, script: List[str], expected: List[int], count: int) -> Dict:
    turn_times, totals, errors, mismatches, first_error = [], [], 0, 0, None
    for _ in range(count):
        conversation = SocketConversation(base_url)
        total = 0.0
        try:
            await conversation.open()
            for message, want in zip(script, expected):
                elapsed, got = await conversation.say(message, want)
                turn_times.append(elapsed)
                total += elapsed
                mismatches += got != want
            totals.append(total)
        except Exception as error:
            errors += 1
            first_error = first_error or f"{type(error).__name__}: {error}"[:200]
        finally:
            await conversation.close()
    return {
        "turn_latency_ms": summary(turn_times),
        "conversation_total_ms": summary(totals),
        "conversations": count,
        "turns_per_conversation": len(script),
        "errors": errors,
        "reply_count_mismatches": mismatches,
        "first_error": first_error,
    }


# ------------------------------------------------------------------ open-loop load


@dataclass
class Visitor:
    sender: str
    script: List[str]
    turn: int = 0


@dataclass
class StepResult:
    rate: float
    duration: float
    sent: int = 0
    ok_latencies: List[float] = field(default_factory=list)
    send_lags: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    conversations: int = 0
    wall: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def as_dict(self) -> Dict:
        errors = sum(self.errors.values())
        return {
            "offered_rate": self.rate,
            "duration_s": self.duration,
            "sent": self.sent,
            "answered_ok": len(self.ok_latencies),
            "achieved_rate": round(len(self.ok_latencies) / self.wall, 1) if self.wall else None,
            "conversations": self.conversations,
            "errors": errors,
            "error_kinds": self.errors,
            "latency_ms": summary(self.ok_latencies),
            "send_lag_ms": summary(self.send_lags),
        }


async def open_loop_step(
    base_url: str,
    rate: float,
    duration: float,
    scripts: List[List[str]],
    seed: int,
    timeout: float = 10.0,
    continue_share: float = 0.75,
) -> StepResult:
    """Send Poisson arrivals at `rate`/s for `duration` s. An arrival continues a visitor whose
    previous turn was answered (with probability `continue_share`, if one is waiting) or starts a
    new conversation with a uuid4 sender, so one conversation never has two turns in flight."""
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    result = StepResult(rate=rate, duration=duration)
    waiting: List[Visitor] = []
    arrivals, t = [], rng.expovariate(rate)
    while t < duration:
        arrivals.append(t)
        t += rng.expovariate(rate)

    async def send(client: RestClient, visitor: Visitor, scheduled: float) -> None:
        result.send_lags.append(loop.time() - scheduled)
        message = visitor.script[visitor.turn]
        try:
            body = await client.say(visitor.sender, message)
        except asyncio.TimeoutError:
            result.error("timeout")
            return
        except Exception as error:  # connection refused/reset, HTTP 5xx ...
            result.error(type(error).__name__ if not str(error).startswith("HTTP") else str(error))
            return
        if not body:
            result.error("empty reply")
            return
        result.ok_latencies.append(loop.time() - scheduled)
        visitor.turn += 1
        if visitor.turn < len(visitor.script):
            waiting.append(visitor)

    async with RestClient(base_url, timeout=timeout) as client:
        tasks = []
        start = loop.time() + 0.1
        for offset in arrivals:
            delay = start + offset - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if waiting and rng.random() < continue_share:
                visitor = waiting.pop(rng.randrange(len(waiting)))
            else:
                visitor = Visitor(str(uuid.uuid4()), rng.choice(scripts))
                result.conversations += 1
            tasks.append(asyncio.create_task(send(client, visitor, start + offset)))
            result.sent += 1
        # every request has its own client timeout, so this ends within `timeout` s
        await asyncio.gather(*tasks, return_exceptions=True)
        result.wall = max(loop.time() - start, duration)
    return result


async def wait_until_quiet(base_url: str, limit_ms: float = 150, max_wait: float = 30) -> float:
    """After a load step, wait until a probe message is answered quickly again (server drained)."""
    started = time.monotonic()
    async with RestClient(base_url) as client:
        while time.monotonic() - started < max_wait:
            t = time.perf_counter()
            try:
                await client.say(str(uuid.uuid4()), "hello")
                if (time.perf_counter() - t) * 1000 < limit_ms:
                    break
            except Exception:
                pass
            await asyncio.sleep(1)
    return time.monotonic() - started


async def sample_rss(
    pids: Dict[str, int],
    peaks: Dict[str, float],
    stop: asyncio.Event,
    every: float = 0.5,
    reader: Callable[[int], Optional[float]] = None,
) -> None:
    while not stop.is_set():
        for name, pid in pids.items():
            value = reader(pid)
            if value is not None:
                peaks[name] = max(peaks.get(name, 0.0), value)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
