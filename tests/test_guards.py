"""The checks the channels share (bot/rasa_ext/guards.py) and what every accepted message goes
through (bot/rasa_ext/turns.py): conversation ids, request bodies, metadata, the cap on turns in
flight, the length cap, redaction and the reply deadline. No server, no model."""

import asyncio
import json
import time
import uuid
from typing import Any, Dict, List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.rasa_ext.guards import (
    BadRequest,
    TurnsInFlight,
    clean_metadata,
    is_conversation_id,
    parse_rest_message,
)
from bot.rasa_ext.turns import CountingOutputChannel, TurnGuard, unavailable_reply
from bot.settings import Settings
from tests.coroutines import complete

SENDER = str(uuid.uuid4())


# --------------------------------------------------------------------------- conversation ids
@pytest.mark.parametrize("value", [str(uuid.uuid4()), uuid.uuid4().hex, str(uuid.uuid4()).upper()])
def test_uuids_are_conversation_ids(value):
    assert is_conversation_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "me",
        "",
        "start-up-check",
        "a" * 36,
        str(uuid.uuid4()) + "x",
        "x" * 200_000,
        "{" + str(uuid.uuid4()) + "}",
        "urn:uuid:" + str(uuid.uuid4()),
        None,
        5,
        ["a"],
    ],
)
def test_anything_else_is_not(value):
    assert not is_conversation_id(value)


# --------------------------------------------------------------------------- request bodies
def body(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


def test_a_good_body_is_accepted_with_its_metadata():
    message = parse_rest_message(body(sender=SENDER, message="hi", metadata={"partnership": "ayrshire"}))
    assert (message.sender, message.message, message.metadata) == (SENDER, "hi", {"partnership": "ayrshire"})
    assert message.as_json() == {"sender": SENDER, "message": "hi", "metadata": {"partnership": "ayrshire"}}


@pytest.mark.parametrize(
    "raw,reason",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\xfa", "not valid UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
        (b"[1, 2]", "JSON object"),
        (b'"just a string"', "JSON object"),
        (body(sender="me", message="hi"), "random UUID"),
        (body(sender=5, message="hi"), "random UUID"),
        (body(message="hi"), "random UUID"),
        (body(sender=SENDER, message={"nested": ["json"]}), "'message' must be a string"),
        (body(sender=SENDER), "'message' must be a string"),
        (body(sender=SENDER, message="hi", metadata=[1]), "'metadata' must be a JSON object"),
        (body(sender=SENDER, message="hi", metadata={"deep": {"er": 1}}), "no nesting"),
        (body(sender=SENDER, message="hi", metadata={"p": "x" * 201}), "at most 200"),
        (body(sender=SENDER, message="hi", metadata={str(i): i for i in range(21)}), "at most 20 keys"),
    ],
)
def test_bad_bodies_are_refused_with_the_reason(raw, reason):
    with pytest.raises(BadRequest, match=reason):
        parse_rest_message(raw)


def test_metadata_texts_are_redacted_before_they_can_be_stored():
    assert clean_metadata(
        {"partnership": "ayrshire", "note": "call 07700 900123", "n": 1, "ok": True, "x": None}
    ) == {"partnership": "ayrshire", "note": "call [phone number]", "n": 1, "ok": True, "x": None}
    assert clean_metadata('{"partnership": "dumfries_galloway"}') == {"partnership": "dumfries_galloway"}
    assert clean_metadata(None) is None


# --------------------------------------------------------------------------- turns in flight
def test_turns_in_flight_are_capped():
    turns = TurnsInFlight(2)
    assert turns.try_start() and turns.try_start() and not turns.try_start()
    turns.finish()
    assert turns.try_start()


# --------------------------------------------------------------------------- the turn guard
class Probe:
    def __init__(self, healthy: bool = True) -> None:
        self.healthy = healthy

    async def is_healthy(self) -> bool:
        return self.healthy


def guard(**settings: Any) -> TurnGuard:
    values = {"CJ_REPLY_DEADLINE": "0.3", **settings}
    return TurnGuard(Settings.from_env(values), probe=Probe())  # type: ignore[arg-type]


def run_turn(turn_guard: TurnGuard, text: str, rasa: Any, metadata: Dict[str, Any] = None) -> List[str]:
    collector = CollectingOutputChannel()
    message = UserMessage(text, collector, SENDER, metadata=metadata)

    async def go() -> None:
        await turn_guard.wrap(rasa)(message)

    complete(go())
    return [m.get("text", "") for m in collector.messages]


async def answers(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": f"you said: {message.text}"})


def test_a_normal_turn_passes_redacted_and_gets_no_extra_reply():
    assert run_turn(guard(), "call me on 07700 900123", answers) == ["you said: call me on [phone number]"]


def test_a_message_over_the_cap_never_reaches_rasa():
    reached: List[str] = []

    async def rasa(message: UserMessage) -> None:
        reached.append(message.text)

    replies = run_turn(guard(CJ_MAX_MESSAGE_CHARS="10"), "x" * 11, rasa)
    assert reached == [] and "long message" in replies[0] and "10 characters" in replies[0]


def test_a_slow_turn_gets_the_kind_reply_within_the_deadline():
    async def slow(message: UserMessage) -> None:
        await asyncio.sleep(60)

    # The deadline is 0.3 s; the turn would take a minute. Generous bound: busy machines are slow.
    started = time.monotonic()
    replies = run_turn(guard(), "hello", slow)
    assert time.monotonic() - started < 10
    assert replies == [unavailable_reply()]
    assert "999" in replies[0] and "116 123" in replies[0]


def test_a_failing_turn_or_no_answer_gets_the_kind_reply():
    async def fails(message: UserMessage) -> None:
        raise RuntimeError("the action server is gone")

    async def silent(message: UserMessage) -> None:
        return None

    assert run_turn(guard(), "hello", fails) == [unavailable_reply()]
    assert run_turn(guard(), "hello", silent) == [unavailable_reply()]


def test_the_kind_reply_names_the_partnership_of_the_message():
    async def silent(message: UserMessage) -> None:
        return None

    from bot.content import load_content

    dg = load_content().partnership("dumfries_galloway")
    replies = run_turn(guard(), "hello", silent, metadata={"partnership": "dumfries_galloway"})
    assert dg.name in replies[0] and dg.contact.web in replies[0]


def test_when_the_action_server_is_down_answers_get_the_kind_reply_too():
    turn_guard = guard()
    turn_guard.probe = Probe(healthy=False)  # type: ignore[assignment]
    assert run_turn(turn_guard, "hello", answers) == ["you said: hello", unavailable_reply()]


def test_beyond_the_cap_on_turns_in_flight_visitors_get_a_polite_busy_reply_at_once():
    turn_guard = guard(CJ_MAX_TURNS_IN_FLIGHT="2", CJ_REPLY_DEADLINE="5")
    release = asyncio.Event()

    async def held(message: UserMessage) -> None:
        await release.wait()
        await answers(message)

    async def go() -> List[List[str]]:
        collectors = [CollectingOutputChannel() for _ in range(3)]
        turns = [
            asyncio.ensure_future(turn_guard.wrap(held)(UserMessage("hi", c, SENDER))) for c in collectors[:2]
        ]
        await asyncio.sleep(0.05)
        await turn_guard.wrap(held)(UserMessage("hi", collectors[2], SENDER))  # returns at once
        third = [m["text"] for m in collectors[2].messages]
        release.set()
        await asyncio.gather(*turns)
        assert turn_guard.in_flight.count == 0
        return [third, *[[m["text"] for m in c.messages] for c in collectors[:2]]]

    third, first, second = complete(go())
    assert "A lot of people" in third[0] and "999" in third[0]
    assert first == second == ["you said: hi"]


def test_the_counting_channel_passes_rasas_channel_name_on():
    counting = CountingOutputChannel(CollectingOutputChannel())
    assert counting.name() == "collector"


def test_the_action_server_probe_tells_down_from_busy():
    from aiohttp import web

    from bot.rasa_ext.turns import ActionServerProbe
    from tests.assistant_client import free_port

    async def scenario() -> List[bool]:
        results = []
        refused = ActionServerProbe(f"http://127.0.0.1:{free_port()}/health", every=0)
        results.append(await refused.is_healthy())  # nothing listens: down

        async def slow(_request):
            await asyncio.sleep(2)
            return web.Response(text="ok")

        app = web.Application()
        app.router.add_get("/health", slow)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            busy = ActionServerProbe(f"http://127.0.0.1:{port}/health", every=0, timeout=0.2)
            results.append(await busy.is_healthy())  # slow: still counted as up
        finally:
            await runner.cleanup()
        return results

    assert complete(scenario()) == [False, True]
