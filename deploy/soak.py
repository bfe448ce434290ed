"""Bounded soak test (`make soak`): one assistant, a steady message rate, memory watched.

Starts the single-machine assistant (bot.tools.serve.Assistant: action server + Rasa server, SQLite
tracker store) on ports 5605/5655, sends CJ_SOAK_RATE messages a second (default 10) for
CJ_SOAK_SECONDS (default 600) from many short random conversations with a mix of messages, and
samples the resident memory (VmRSS) of both processes every CJ_SOAK_SAMPLE_SECONDS (default 10).

Fails (exit code 1) if any request fails (non-200, timeout, empty reply) or if either process's RSS
at the end exceeds its RSS after the warm-up (CJ_SOAK_WARMUP_SECONDS, default 60) by more than
CJ_SOAK_MAX_GROWTH (default 0.10). Writes build/soak/results.json and prints a summary.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Soak traffic comes from one address with many senders; keep the per-client limit out of the way.
os.environ.setdefault("CJ_RATE_LIMIT", os.environ.get("CJ_SOAK_RATE_LIMIT", "100000"))
os.environ.setdefault("CJ_RATE_LIMIT_IP", os.environ.get("CJ_SOAK_RATE_LIMIT", "100000"))
os.environ.setdefault("CJ_MAX_TURNS_IN_FLIGHT", "1000")

import aiohttp  # noqa: E402

from bot.tools.serve import Assistant, Ports  # noqa: E402

SECONDS = float(os.environ.get("CJ_SOAK_SECONDS", "600"))
RATE = float(os.environ.get("CJ_SOAK_RATE", "10"))
WARMUP = float(os.environ.get("CJ_SOAK_WARMUP_SECONDS", "60"))
SAMPLE_EVERY = float(os.environ.get("CJ_SOAK_SAMPLE_SECONDS", "10"))
MAX_GROWTH = float(os.environ.get("CJ_SOAK_MAX_GROWTH", "0.10"))
TIMEOUT = float(os.environ.get("CJ_SOAK_TIMEOUT", "30"))
PORTS = Ports(
    rasa=int(os.environ.get("CJ_SOAK_RASA_PORT", "5605")),
    actions=int(os.environ.get("CJ_SOAK_ACTIONS_PORT", "5655")),
    host="127.0.0.1",
)
OUT = PROJECT_ROOT / "build" / "soak"
UNAVAILABLE = "can't answer properly right now"

# Short scripted conversations and single questions, as visitors send them.
SCRIPTS: List[List[str]] = [
    ["hello", "what is community justice?", "thanks"],
    ["I need help", "for my son", "housing", "Kilmarnock"],
    [
        "my brother's in HMP Kilmarnock and I don't know how to cope",
        "how do I visit him",
        "I stay in Kilmarnock",
    ],
    ["I need some help", "it's for me, I'm getting out of jail on friday", "money", "Dumfries"],
    ["who are the partners in Ayrshire?", "how do I contact the Dumfries and Galloway partnership"],
    ["I was a victim of a crime", "someone to talk to", "Ayr"],
    ["I need help", "I want to kill myself", "it's for me", "mental health", "Irvine"],
    ["how does the partnership measure progress?", "why do the partnerships exist?"],
    ["asdfghjkl qwerty", "???", "hi"],
    ["my number is 07700 900123, can someone call me?", "my postcode is KA1 1AA"],
    ["x" * 1200],  # over the message cap: a friendly refusal, not an error
]


def rss_kib(pid: int) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(ordered: List[float], q: float) -> Optional[float]:
    return round(ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))], 4) if ordered else None


def loadavg() -> List[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


class Soak:
    def __init__(self, url: str, pids: Dict[str, int]) -> None:
        self.url, self.pids = url, pids
        self.sent = 0
        self.errors: List[str] = []
        self.latencies: List[float] = []
        self.samples: List[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.late_ticks = 0
        self.active: List[dict] = []  # conversations in progress: sender + remaining script

    def next_message(self) -> tuple:
        """A message from an ongoing conversation (or a new one), keeping turns of one sender in order."""
        idle = [c for c in self.active if not c["busy"]]
        if len(self.active) < 40 or not idle or random.random() < 0.15:
            conversation = {
                "sender": str(uuid.uuid4()),
                "script": list(random.choice(SCRIPTS)),
                "busy": False,
            }
            self.active.append(conversation)
        else:
            conversation = random.choice(idle)
        return conversation

    async def send(self, session: aiohttp.ClientSession, conversation: dict) -> None:
        text = conversation["script"].pop(0)
        conversation["busy"] = True
        self.sent += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        started = time.monotonic()
        try:
            async with session.post(
                f"{self.url}/webhooks/rest/webhook", json={"sender": conversation["sender"], "message": text}
            ) as reply:
                body = await reply.text()
                if reply.status != 200:
                    self.errors.append(f"HTTP {reply.status}: {body[:200]}")
                else:
                    messages = json.loads(body)
                    if not any(m.get("text") or m.get("buttons") for m in messages):
                        self.errors.append(f"empty reply to {text[:60]!r}")
                    elif any(UNAVAILABLE in (m.get("text") or "") for m in messages):
                        # the channel's "can't answer properly right now": over CJ_REPLY_DEADLINE or
                        # the action server unreachable. The visitor did not get a proper answer.
                        self.errors.append(
                            f"unavailable reply to {text[:60]!r} after {time.monotonic() - started:.1f} s"
                        )
        except Exception as error:  # noqa: BLE001 - every failure counts
            self.errors.append(f"{type(error).__name__}: {error}"[:300])
        finally:
            self.latencies.append(time.monotonic() - started)
            self.in_flight -= 1
            conversation["busy"] = False
            if not conversation["script"] and conversation in self.active:
                self.active.remove(conversation)

    def sample(self, elapsed: float) -> dict:
        sample = {
            "t": round(elapsed, 1),
            "sent": self.sent,
            "errors": len(self.errors),
            "load": loadavg(),
            **{f"{name}_rss_kib": rss_kib(pid) for name, pid in self.pids.items()},
        }
        self.samples.append(sample)
        print(
            f"  t={sample['t']:6.0f}s sent={self.sent:6d} errors={len(self.errors)} in_flight={self.in_flight:3d} "
            + " ".join(f"{n}={(sample[f'{n}_rss_kib'] or 0) / 1024:.0f}MiB" for n in self.pids)
            + f" load={sample['load'][0]:.2f}",
            flush=True,
        )
        return sample

    async def run(self) -> None:
        interval = 1.0 / RATE
        tasks = set()
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        async with aiohttp.ClientSession(
            timeout=timeout, connector=aiohttp.TCPConnector(limit=200)
        ) as session:
            started = time.monotonic()
            self.sample(0.0)
            next_sample, n = SAMPLE_EVERY, 0
            while True:
                elapsed = time.monotonic() - started
                if elapsed >= SECONDS:
                    break
                if elapsed >= next_sample:
                    self.sample(elapsed)
                    next_sample += SAMPLE_EVERY
                due = started + n * interval
                if time.monotonic() - due > 1.0:
                    self.late_ticks += 1
                task = asyncio.ensure_future(self.send(session, self.next_message()))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                n += 1
                await asyncio.sleep(max(0.0, started + n * interval - time.monotonic()))
            if tasks:
                await asyncio.wait(tasks, timeout=TIMEOUT + 5)
            self.sample(time.monotonic() - started)


def rss_at(samples: List[dict], name: str, t: float) -> Optional[int]:
    """The first sample at or after t seconds (the warm-up baseline)."""
    for sample in samples:
        if sample["t"] >= t and sample.get(f"{name}_rss_kib"):
            return sample[f"{name}_rss_kib"]
    return None


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    assistant = Assistant(ports=PORTS, log_dir=OUT / "logs")
    database = PROJECT_ROOT / "storage" / f"conversations-{PORTS.rasa}.db"
    database.unlink(missing_ok=True)  # a fresh conversation store for each soak
    print(
        f"Soak: {RATE:g} messages/s for {SECONDS:.0f} s against {assistant.url} "
        f"(warm-up {WARMUP:.0f} s, RSS every {SAMPLE_EVERY:.0f} s, load before start {loadavg()})",
        flush=True,
    )
    try:
        startup = assistant.start(timeout=300)
        print(f"Assistant ready in {startup:.0f} s.", flush=True)
        pids = {"actions": assistant.processes[0].pid, "rasa": assistant.processes[1].pid}
        soak = Soak(assistant.url, pids)
        started = time.monotonic()
        asyncio.run(soak.run())
        seconds = time.monotonic() - started
        still_running = all(p.poll() is None for p in assistant.processes)
    finally:
        assistant.stop()

    ordered = sorted(soak.latencies)
    memory = {}
    failures = []
    for name in pids:
        baseline = rss_at(soak.samples, name, min(WARMUP, SECONDS / 2))
        end = soak.samples[-1].get(f"{name}_rss_kib")
        peak = max((s.get(f"{name}_rss_kib") or 0) for s in soak.samples)
        growth = (end - baseline) / baseline if baseline and end else None
        memory[name] = {
            "start_kib": soak.samples[0].get(f"{name}_rss_kib"),
            "after_warmup_kib": baseline,
            "end_kib": end,
            "peak_kib": peak,
            "growth_after_warmup": round(growth, 4) if growth is not None else None,
        }
        if growth is None:
            failures.append(f"{name}: no RSS reading")
        elif growth > MAX_GROWTH:
            failures.append(f"{name}: RSS grew {growth:.1%} after the warm-up (limit {MAX_GROWTH:.0%})")
    if soak.errors:
        failures.append(f"{len(soak.errors)} errors, first: {soak.errors[:3]}")
    if not still_running:
        failures.append("a server process exited during the soak")
    results = {
        "rate_per_s": RATE,
        "duration_s": round(seconds, 1),
        "warmup_s": WARMUP,
        "startup_s": round(startup, 1),
        "requests": soak.sent,
        "errors": len(soak.errors),
        "error_examples": soak.errors[:10],
        "achieved_rate_per_s": round(soak.sent / seconds, 2) if seconds else None,
        "latency_s": {
            "p50": percentile(ordered, 0.50),
            "p95": percentile(ordered, 0.95),
            "p99": percentile(ordered, 0.99),
            "max": round(ordered[-1], 4) if ordered else None,
        },
        "max_in_flight": soak.max_in_flight,
        "late_ticks": soak.late_ticks,
        "memory": memory,
        "load_average_end": loadavg(),
        "samples": soak.samples,
        "passed": not failures,
        "failures": failures,
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print("\nSoak summary")
    print(
        f"  requests {soak.sent} in {seconds:.0f} s ({results['achieved_rate_per_s']}/s), errors {len(soak.errors)}"
    )
    print(
        f"  latency p50 {results['latency_s']['p50']} s, p95 {results['latency_s']['p95']} s, "
        f"p99 {results['latency_s']['p99']} s, max {results['latency_s']['max']} s; max in flight {soak.max_in_flight}"
    )
    for name, m in memory.items():
        print(
            f"  {name:8} RSS start {(m['start_kib'] or 0) / 1024:.0f} MiB, after warm-up {(m['after_warmup_kib'] or 0) / 1024:.0f} MiB, "
            f"end {(m['end_kib'] or 0) / 1024:.0f} MiB, peak {m['peak_kib'] / 1024:.0f} MiB, growth {m['growth_after_warmup']}"
        )
    print(f"  load average at the end {results['load_average_end']}")
    print(f"  results: {OUT / 'results.json'}")
    if failures:
        print("SOAK FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("Soak passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
