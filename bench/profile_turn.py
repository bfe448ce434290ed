"""Where a Rasa server's CPU per message goes, measured in-process (run as a subprocess, TensorFlow stays
out of the load generator):

    PYTHONPATH=. .venv/bin/python -m bench.profile_turn --model MODEL --messages ours|stock
        [--actions-url URL] [--project-tracker-store] [--count 200] [--cprofile 15] [--out FILE.json]

Loads the model with Agent.load (bot.rasa_ext.patches applied for ours, as the server does), sends the
same single-turn messages as bench/startup_comparison.py through agent.handle_text (each from a new
sender, so each starts a session), and adds up the process CPU time (time.process_time) and wall time
spent in each part of a turn:
- every graph component Rasa runs (NLU components and dialogue policies, per class and method);
- the custom action call (RemoteAction.run: building the payload, HTTP client, reading the reply; the
  action server's own work is in another process and not counted);
- the tracker store (MessageProcessor.get_tracker and save_tracker);
- the rest of Rasa's message processor (what handle_text took beyond the parts above).
Without the HTTP channel and Sanic, which the live server adds on top (compare with the CPU per message
measured there). --cprofile N also prints the N functions with the most own CPU time (cProfile adds
overhead, so the part timings are taken in a separate pass without it).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import io
import json
import logging
import os
import pstats
import sysconfig
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from bench import messages

PROJECT_ROOT = Path(__file__).resolve().parents[1]

WARM_UP = 20


class PartClock:
    """Process CPU and wall seconds per named part of a turn."""

    def __init__(self) -> None:
        self.cpu: Dict[str, float] = defaultdict(float)
        self.wall: Dict[str, float] = defaultdict(float)
        self.calls: Dict[str, int] = defaultdict(int)
        self.on = False

    def add(self, part: str, cpu: float, wall: float) -> None:
        if self.on:
            self.cpu[part] += cpu
            self.wall[part] += wall
            self.calls[part] += 1

    def wrap_sync(self, owner: Any, method: str, name: Callable[[Any], str]) -> None:
        original = getattr(owner, method)

        @functools.wraps(original)
        def timed(this: Any, *args: Any, **kwargs: Any) -> Any:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return original(this, *args, **kwargs)
            finally:
                self.add(name(this), time.process_time() - cpu, time.perf_counter() - wall)

        setattr(owner, method, timed)

    def wrap_async(self, owner: Any, method: str, part: str) -> None:
        original = getattr(owner, method)

        @functools.wraps(original)
        async def timed(this: Any, *args: Any, **kwargs: Any) -> Any:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return await original(this, *args, **kwargs)
            finally:
                self.add(part, time.process_time() - cpu, time.perf_counter() - wall)

        setattr(owner, method, timed)


def instrument(clock: PartClock) -> None:
    """Time every graph node by its component, the custom action call and the tracker store."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    clock.wrap_sync(GraphNode, "__call__", lambda node: f"{node._component_class.__name__}.{node._fn_name}")
    clock.wrap_async(RemoteAction, "run", "custom action call (Rasa's side: payload, HTTP client, reply)")
    clock.wrap_async(MessageProcessor, "get_tracker", "tracker store: read")
    clock.wrap_async(MessageProcessor, "save_tracker", "tracker store: write")


async def turns(agent: Any, texts: List[str], clock: Optional[PartClock] = None) -> Dict[str, float]:
    """Send texts one at a time, each from a new sender; total CPU and wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    for text in texts:
        await agent.handle_text(text, sender_id=str(uuid.uuid4()))
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}


def table(clock: PartClock, total: Dict[str, float], count: int) -> List[Dict]:
    ms = lambda seconds: round(1000 * seconds / count, 2)  # noqa: E731
    rows = [
        {
            "part": part,
            "cpu_ms_per_message": ms(clock.cpu[part]),
            "wall_ms_per_message": ms(clock.wall[part]),
            "calls_per_message": round(clock.calls[part] / count, 2),
        }
        for part in clock.cpu
    ]
    rows.sort(key=lambda row: -row["cpu_ms_per_message"])
    rest_cpu, rest_wall = total["cpu"] - sum(clock.cpu.values()), total["wall"] - sum(clock.wall.values())
    rows.append(
        {
            "part": "rest of Rasa's message processor (events, domain, NLG, lock store, ...)",
            "cpu_ms_per_message": ms(rest_cpu),
            "wall_ms_per_message": ms(rest_wall),
        }
    )
    for row in rows:
        row["share_of_cpu_pct"] = round(
            100 * row["cpu_ms_per_message"] / max(1000 * total["cpu"] / count, 1e-9), 1
        )
    return rows


def top_functions(agent: Any, texts: List[str], limit: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(turns(agent, texts))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(limit)
    return without_machine_paths(out.getvalue())


def without_machine_paths(text: str) -> str:
    """File names relative to the project, site-packages or the standard library (no machine paths in results)."""
    roots = {str(PROJECT_ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"]}
    for root in sorted(roots, key=len, reverse=True):
        text = text.replace(root + os.sep, "")
    return text


def load_agent(model: str, actions_url: Optional[str], project_store: bool, scratch: Path) -> Any:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    store = None
    if project_store:
        from bench.inproc import project_tracker_store

        store, _ = project_tracker_store(scratch)
    endpoint = EndpointConfig(url=actions_url) if actions_url else None
    agent = Agent.load(model, action_endpoint=endpoint, tracker_store=store)
    if store is not None:
        store.domain = agent.domain
    return agent


def start_up(args: argparse.Namespace) -> Tuple[Any, Dict]:
    """Import Rasa, load the model; wall seconds for the import, the load and each component's loading."""
    started = time.perf_counter()
    if args.messages == "ours":
        import bot.tools.rasa_run  # noqa: F401 - the server's start-up module: skops.io first, as there
    import rasa.core.agent  # noqa: F401 - Rasa's server modules, TensorFlow included
    from rasa.engine.graph import GraphNode

    imported = time.perf_counter()
    if args.messages == "ours":
        from bot.rasa_ext import patches

        patches.apply()  # what bot.tools.rasa_run applies in the server
    loads = PartClock()
    loads.wrap_sync(GraphNode, "_load_component", lambda node: node._component_class.__name__)
    loads.on = True
    agent = load_agent(args.model, args.actions_url, args.project_tracker_store, Path(tempfile.mkdtemp()))
    loads.on = False
    components = sorted(
        ({"component": k, "load_s": round(v, 2)} for k, v in loads.wall.items()), key=lambda c: -c["load_s"]
    )
    return agent, {
        "import_rasa_s": round(imported - started, 1),
        "model_load_s": round(time.perf_counter() - imported, 1),
        "components": components,
    }


def profile(args: argparse.Namespace) -> Dict:
    agent, loading = start_up(args)
    chosen = messages.TYPICAL_MESSAGES if args.messages == "ours" else messages.STOCK_MESSAGES
    texts = messages.repeated(chosen, args.count)
    asyncio.run(turns(agent, texts[:WARM_UP]))
    clock = PartClock()
    instrument(clock)
    clock.on = True
    total = asyncio.run(turns(agent, texts))
    clock.on = False
    result = {
        "messages": args.count,
        "start_up": loading,
        "cpu_ms_per_message": round(1000 * total["cpu"] / args.count, 1),
        "wall_ms_per_message": round(1000 * total["wall"] / args.count, 1),
        "parts": table(clock, total, args.count),
    }
    if args.cprofile:
        result["cprofile_top_own_time"] = top_functions(agent, texts, args.cprofile)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--messages", choices=("ours", "stock"), required=True)
    parser.add_argument("--actions-url")
    parser.add_argument(
        "--project-tracker-store", action="store_true", help="endpoints.yml's store (SQLite moved)"
    )
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--out")
    args = parser.parse_args()
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.INFO)  # as `rasa run` does by default
    result = profile(args)
    text = json.dumps(result, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
