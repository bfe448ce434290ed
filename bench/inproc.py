"""In-process measurements, run as a subprocess so TensorFlow stays out of the load generator:

    python -m bench.inproc --ours MODEL [--default MODEL] --actions-url URL --out FILE.json

- quality of our model, of Rasa's default pipeline and of a TF-IDF 1-NN (see quality.py);
- NLU parse time alone (Agent.load + agent.parse_message over the test set);
- action-server round trip with the request Rasa itself would send for action_answer_topic
  (RemoteAction's payload, posted with Rasa's own EndpointConfig.request);
- a whole turn in-process (agent.handle_text: NLU + policies + action call + tracker), no HTTP channel.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Dict, List

from rasa.core.actions.action import RemoteAction

from bench import quality
from bench.messages import topic_questions
from bench.stats import summary
from bot.rasa_ext import patches as rasa_patches

STOCK_VALIDATION = RemoteAction._validate_action_result  # before rasa_patches.apply()


async def parse_all(agent, texts: List[str]) -> (List[Dict], List[float]):
    parses, times = [], []
    for text in texts:
        started = time.perf_counter()
        parse = await agent.parse_message(text)
        times.append(time.perf_counter() - started)
        parses.append(parse)
    return parses, times


def project_tracker_store(scratch: Path):
    """The tracker store from endpoints.yml, with an SQLite file moved to a scratch path
    (so the benchmark never writes into the server's conversations); None = in memory."""
    import yaml
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig

    config = (yaml.safe_load((quality.PROJECT_ROOT / "endpoints.yml").read_text()) or {}).get("tracker_store")
    if not config:
        return None, "in memory (endpoints.yml has none)"
    config = dict(config)
    if config.get("dialect") == "sqlite":
        config["db"] = str(scratch / "bench_conversations.db")
    kind = config.pop("type", None)
    return TrackerStore.create(
        EndpointConfig(type=kind, **config)
    ), f"{kind} {config.get('dialect', '')}".strip()


async def evaluate_model(model: str, test, action_url: str = None, tracker_store=None) -> Dict:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    started = time.perf_counter()
    endpoint = EndpointConfig(url=action_url) if action_url else None
    agent = Agent.load(model, action_endpoint=endpoint, tracker_store=tracker_store)
    load_seconds = time.perf_counter() - started
    texts = [t for t, _ in test]
    await parse_all(agent, texts[:20])  # warm-up (first calls build TF graphs)
    parses, times = await parse_all(agent, texts)
    result = quality.scores([i for _, i in test], [quality.top_intent(p) for p in parses])
    result["fallback_rate"] = round(
        sum(1 for p in parses if (p.get("intent") or {}).get("name") == "nlu_fallback") / len(parses), 4
    )
    result["model_load_seconds"] = round(load_seconds, 2)
    result["parse_ms"] = summary(times)
    return agent, result


async def action_round_trip(agent, action_url: str, n: int) -> Dict:
    """POST the payload Rasa sends for action_answer_topic after 'what is community justice?'."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import UserMessage
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig(url=action_url)
    tracker = await agent.processor.log_message(
        UserMessage("what is community justice?", sender_id=f"bench-{uuid.uuid4()}")
    )
    action = RemoteAction("action_answer_topic", endpoint)
    payload = action._action_call_format(tracker, agent.domain)
    size = len(json.dumps(payload))
    times = []
    reply = None
    for i in range(n + 5):
        started = time.perf_counter()
        reply = await endpoint.request(json=payload, method="post", timeout=10)
        if i >= 5:  # first few are warm-up
            times.append(time.perf_counter() - started)
    ok = bool(reply and reply.get("responses")) and any(
        "community justice" in (r.get("text") or "").lower() for r in reply["responses"]
    )

    # Rasa then validates the reply (RemoteAction._validate_action_result): stock Rasa 3.6 calls
    # jsonschema.validate; the server runs bot/rasa_ext/patches.py's validator built once.
    def time_checks(check) -> Dict:
        checks = []
        for _ in range(50):
            started = time.perf_counter()
            check(action, reply)
            checks.append(time.perf_counter() - started)
        return summary(checks)

    return {
        "requests": n,
        "payload_bytes": size,
        "reply_ok": ok,
        "reply_validation_ms": time_checks(rasa_patches._validate_action_result),
        "reply_validation_stock_rasa_ms": time_checks(STOCK_VALIDATION),
        "note": "Rasa's RemoteAction payload (tracker + domain) via Rasa's EndpointConfig.request (new HTTP connection per call, as Rasa does)",
        "round_trip_ms": summary(times),
    }


async def whole_turns(agent, texts: List[str]) -> Dict:
    times = []
    for i, text in enumerate(texts):
        started = time.perf_counter()
        await agent.handle_text(text, sender_id=str(uuid.uuid4()))
        if i >= 5:
            times.append(time.perf_counter() - started)
    return {
        "turns": len(times),
        "note": "agent.handle_text in-process, fresh sender per message, action server included",
        "turn_ms": summary(times),
    }


async def main_async(args) -> Dict:
    rasa_patches.apply()  # measure what the server runs (bot/rasa_ext/channels/guarded.py applies them there)
    test = quality.load_examples(quality.TEST_SET)
    train = quality.load_examples(quality.NLU_DATA)
    out: Dict = {"quality": {}, "parts": {}}
    agent, ours = await evaluate_model(args.ours, test, args.actions_url)  # in-memory tracker store
    out["quality"]["ours"] = ours
    out["parts"]["nlu_parse_ms"] = ours["parse_ms"]
    out["parts"]["action_server"] = await action_round_trip(agent, args.actions_url, args.action_requests)
    questions = topic_questions(args.turns + 5)
    out["parts"]["in_process_turn"] = await whole_turns(agent, questions)
    # NLU parse of exactly the topic questions used for end-to-end single messages
    _, times = await parse_all(agent, questions[5:])
    out["parts"]["nlu_parse_topic_questions_ms"] = summary(times)
    store, kind = project_tracker_store(Path(args.out).parent)
    if store is not None:
        store.domain = agent.domain
        agent.tracker_store = store
        agent.processor.tracker_store = store
        out["parts"]["in_process_turn_project_tracker_store"] = await whole_turns(agent, questions)
        out["parts"]["in_process_turn_project_tracker_store"]["tracker_store"] = kind
    out["parts"]["in_process_turn"]["tracker_store"] = "in memory"
    del agent
    if args.default:
        _, default = await evaluate_model(args.default, test)
        out["quality"]["rasa_default"] = default
    out["quality"]["tfidf_1nn"] = quality.tfidf_nearest_neighbour(train, test)
    out["quality"]["training_examples"] = len(train)
    out["quality"]["test_examples"] = len(test)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ours", required=True)
    parser.add_argument("--default")
    parser.add_argument("--actions-url", required=True)
    parser.add_argument("--action-requests", type=int, default=200)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    result = asyncio.run(main_async(args))
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
