"""`make bench`: start the assistant and measure quality, latency, capacity, cost of the parts,
start-up and size in one run. Writes bench/results.json, bench/results.md, bench/latency_vs_load.png.

    PYTHONPATH=. .venv/bin/python -m bench.run_bench

Training time: `make bench` runs `make train` first; when that trained the current model, its own
timing (models/assistant.training.json) is the figure reported, so the model is not trained twice.
When the model was already up to date, a full `rasa train` is timed here instead.

Settings (environment): BENCH_RATES (default "5 10 20 40 80"), BENCH_STEP_SECONDS (15),
BENCH_TIME_TRAINING=1 (always time a separate full `rasa train`), BENCH_REUSE_REFERENCE=1 (reuse
the Rasa-default-pipeline model cached in bench/.cache/ by an earlier run, if data/nlu, the default
config and Rasa's version are unchanged), BENCH_RASA_PORT (5305), BENCH_ACTIONS_PORT (5355),
BENCH_STOCK_PORT (the stock `rasa init` bot; BENCH_RASA_PORT + 10), BENCH_COMPARISON_MESSAGES (200),
BENCH_COMPARISON_ROUNDS (1), BENCH_COMPARISON_PROFILE=0 (skip its in-process split of the CPU per
message by part, bench/profile_turn.py), BENCH_SCALE_OUT=0 (skip the load steps against
deploy/scale_out.sh, which needs PostgreSQL, Redis and nginx from Debian), BENCH_STEPS (run only
these steps, e.g. BENCH_STEPS=startup_comparison for the same-run comparison with the stock bot
alone; the others are reported as skipped). Which training time and reference were used is reported
in the results.

The run is a list of steps (training, reference_model, startup_comparison, start_assistant,
quality_and_parts, latency, capacity, scale_out_capacity). The results files are written after every
step, with each step's outcome under "steps": a step that fails or cannot run is reported with its
reason (the traceback goes to bench_errors.log in the run's log folder), the steps that do not depend
on it still run, and everything measured before it stays in the results. The exit code is 1 if any
step failed.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable, Dict, List, Sequence

from bench import load, machine, messages, quality, report, startup_comparison
from bot.tools.serve import Assistant, Ports
from bot.tools.training import MODEL_PATH, last_training

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Load steps come from one address with many senders: keep the per-client limits out of the way.
for _name, _value in (
    ("CJ_RATE_LIMIT", "100000"),
    ("CJ_RATE_LIMIT_IP", "100000"),
    ("CJ_MAX_TURNS_IN_FLIGHT", "1000"),
):
    os.environ.setdefault(_name, _value)
BENCH_DIR = PROJECT_ROOT / "bench"
CACHE = BENCH_DIR / ".cache"  # ignored by bench/.gitignore
RATES = [float(x) if "." in x else int(x) for x in os.environ.get("BENCH_RATES", "5 10 20 40 80").split()]
STEP_SECONDS = float(os.environ.get("BENCH_STEP_SECONDS", "15"))
SELECTED_STEPS = set(os.environ.get("BENCH_STEPS", "").replace(",", " ").split())  # empty: all
SINGLE_MESSAGES = 100
CONVERSATIONS = 30


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def fresh_training_record(bench_started_at: float):
    """make train's record, if it trained the current model within this `make bench` (the hour before)."""
    record = last_training()
    if record is None or os.environ.get("BENCH_TIME_TRAINING") == "1":
        return None
    finished = datetime.datetime.fromisoformat(record["finished_at"]).timestamp()
    return record if bench_started_at - finished < 3600 else None


def breakdown(parts: Dict, e2e_single: Dict) -> Dict:
    """Split the mean end-to-end REST reply to a topic question into its parts (means add up)."""
    mean = lambda *path: _dig(parts, *path, "mean")  # noqa: E731
    e2e = e2e_single.get("mean")
    nlu = mean("nlu_parse_topic_questions_ms")
    action = mean("action_server", "round_trip_ms")
    check = mean("action_server", "reply_validation_ms") or 0.0
    turn_memory = mean("in_process_turn", "turn_ms")
    turn_store = mean("in_process_turn_project_tracker_store", "turn_ms") or turn_memory
    if None in (e2e, nlu, action, turn_memory):
        return {}
    total = max(e2e, turn_store)  # differences of means measured at different moments: never below 0
    items = [
        ("NLU (spaCy + featurizers + DIET)", nlu),
        (
            "dialogue policies (rules, memoization, TED), NLG, processor",
            max(turn_memory - nlu - action - check, 0.0),
        ),
        ("Rasa validating the action reply (validator built once, bot/rasa_ext/patches.py)", check),
        ("action server round trip", action),
        ("tracker store of endpoints.yml vs in memory", max(turn_store - turn_memory, 0.0)),
        ("HTTP channel, Sanic and client (end to end minus in-process turn)", max(e2e - turn_store, 0.0)),
    ]
    return {
        "method": (
            "Means over the same held-out topic questions (each a new conversation, answered by "
            "action_answer_topic, one custom action call): NLU = agent.parse_message; action = POST of "
            "Rasa's own payload to the action server; validation = RemoteAction._validate_action_result on "
            "its reply, with bot/rasa_ext/patches.py applied as in the server; in-process turn = "
            "agent.handle_text with an in-memory tracker store, and again with the tracker store of "
            "endpoints.yml (SQLite moved to a scratch file); end to end = REST client. "
            "Measured while the server was otherwise idle; parts are differences of means, so they are "
            "approximate."
        ),
        "end_to_end_mean_ms": e2e,
        "parts": [
            {"part": name, "mean_ms": round(ms, 1), "share_pct": round(100 * ms / total, 1)}
            for name, ms in items
        ],
    }


def _dig(d: Dict, *path):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


async def measure_latency(url: str) -> Dict:
    out: Dict = {"rest": {}, "socketio": {}}
    questions = messages.topic_questions(SINGLE_MESSAGES)
    # warm-up: the first messages after start build TensorFlow graphs and caches
    await load.rest_single_messages(url, questions[:15])
    say(f"single messages over REST ({len(questions)}) ...")
    out["rest"]["single"], replies = await load.rest_single_messages(url, questions)
    say("single messages over Socket.IO ...")
    expected = {m: messages.socket_message_count(b) for m, b in replies.items()}
    socket_questions = [q for q in questions if q in expected]
    out["socketio"]["single"] = await load.socket_single_messages(url, socket_questions, expected)
    say(f"support conversation x {CONVERSATIONS} over REST ...")
    out["rest"]["conversation"], transcript = await load.rest_conversations(
        url, messages.SUPPORT_CONVERSATION, CONVERSATIONS
    )
    out["rest"]["conversation"]["script"] = messages.SUPPORT_CONVERSATION
    routes = "\n".join(r.get("text", "") for r in (transcript[-1] if transcript else []))
    out["rest"]["conversation"]["ends_with_routes"] = "Phone:" in routes or "http" in routes
    counts = [messages.socket_message_count(t) for t in transcript]
    say(
        f"support conversation x {CONVERSATIONS} over Socket.IO (expecting {counts} bot_uttered per turn) ..."
    )
    out["socketio"]["conversation"] = await load.socket_conversations(
        url, messages.SUPPORT_CONVERSATION, counts, CONVERSATIONS
    )
    out["socketio"]["conversation"]["expected_replies_per_turn"] = counts
    out["note"] = (
        "One client at a time, loopback. Single messages: held-out topic questions, each the first "
        "message of a new conversation. Conversation: "
        + " -> ".join(messages.SUPPORT_CONVERSATION)
        + ", timed per turn until the last bot reply of the turn arrived."
    )
    return out


async def run_load_steps(url: str, pids: Dict[str, int], seed_base: int) -> Dict:
    """Open-loop steps at RATES against url; CPU and peak RSS of the given processes ("rasa*" ones
    are the Rasa servers). Stops stepping up once the server is clearly overloaded."""
    steps: List[Dict] = []
    held, breaks_at, because, stop_reason = None, None, None, None
    peaks_all: Dict[str, float] = {}
    for i, rate in enumerate(RATES):
        if stop_reason:
            steps.append({"offered_rate": rate, "skipped": stop_reason})
            continue
        say(f"open-loop step {rate} msg/s for {STEP_SECONDS:.0f} s ...")
        peaks: Dict[str, float] = {}
        stop = asyncio.Event()
        sampler = asyncio.create_task(load.sample_rss(pids, peaks, stop, reader=machine.rss_mb))
        meter = machine.CpuMeter(pids)
        meter.begin()
        step = await load.open_loop_step(url, rate, STEP_SECONDS, messages.LOAD_SCRIPTS, seed=seed_base + i)
        cpu = meter.end()
        stop.set()
        await sampler
        result = step.as_dict()
        result["cpu_percent_of_one_core"] = cpu
        rasa_cpu = [v for name, v in cpu.items() if name.startswith("rasa")]
        if rasa_cpu and None not in rasa_cpu and result["answered_ok"]:
            # contention-independent cost: Rasa server CPU time per answered message
            result["rasa_cpu_ms_per_message"] = round(
                10 * sum(rasa_cpu) * step.wall / result["answered_ok"], 1
            )
        for name, value in peaks.items():
            result[f"{name}_rss_peak_mb"] = value
            peaks_all[name] = max(peaks_all.get(name, 0.0), value)
        result["load_average_after"] = machine.load_average()
        p95 = result["latency_ms"].get("p95")
        ok = result["errors"] == 0 and p95 is not None and p95 < report.TARGETS["capacity_p95_ms"]
        result["held"] = ok
        say(
            f"  {rate} msg/s: ok {result['answered_ok']}/{result['sent']}, errors {result['errors']}, "
            f"p50 {result['latency_ms'].get('p50')} p95 {p95} p99 {result['latency_ms'].get('p99')} ms, CPU % {cpu}"
        )
        steps.append(result)
        if ok and breaks_at is None:
            held = rate
        elif not ok and breaks_at is None:
            breaks_at = rate
            reasons = []
            if p95 is None or p95 >= report.TARGETS["capacity_p95_ms"]:
                reasons.append(f"p95 {p95} ms")
            if result["errors"]:
                reasons.append(f"{result['errors']} errors")
            because = ", ".join(reasons)
        if (p95 or 0) > 5000 or result["errors"] > 0.1 * max(result["sent"], 1):
            stop_reason = f"overloaded at {rate} msg/s (p95 {p95} ms, {result['errors']} errors)"
        drained = await load.wait_until_quiet(url)
        result["drain_s"] = round(drained, 1)
    costs = sorted(s["rasa_cpu_ms_per_message"] for s in steps if s.get("rasa_cpu_ms_per_message"))
    return {
        "method": (
            f"Open loop over REST: Poisson arrivals at each offered rate for {STEP_SECONDS:.0f} s "
            "(fixed seed); each arrival continues a waiting conversation (75%) or starts a new one "
            "with a uuid4 sender; conversations drawn from bench/messages.py LOAD_SCRIPTS; a "
            "conversation never has two turns in flight. Latency measured from the scheduled send "
            "time (includes any client lag: no coordinated omission); 10 s client timeout = error. "
            "A step holds if p95 < 200 ms and no errors. Load generator runs on the same 2 cores."
        ),
        "highest_rate_held": held,
        "rasa_cpu_ms_per_message": costs[len(costs) // 2] if costs else None,
        "breaks_at": breaks_at,
        "breaks_because": because,
        "steps": steps,
        "rss_peaks_mb": peaks_all,
    }


async def measure_capacity(url: str, pids: Dict[str, int], memory: Dict) -> Dict:
    """One Rasa server (as `make run` starts it) with its action server."""
    result = await run_load_steps(url, pids, seed_base=1000)
    cpu_ms = result["rasa_cpu_ms_per_message"]
    result["single_process_ceiling_msg_per_s"] = round(1000 / cpu_ms, 1) if cpu_ms else None
    result["ceiling_note"] = (
        "1000 / (median Rasa server CPU ms per answered message over the steps): the rate one "
        "Rasa process could sustain with one full core to itself, whatever else runs on the machine."
    )
    memory["rasa"]["peak_under_load"] = result["rss_peaks_mb"].get("rasa")
    memory["actions"]["peak_under_load"] = result["rss_peaks_mb"].get("actions")
    return result


def measure_scale_out_capacity(logs: Path) -> Dict:
    """The same load against deploy/scale_out.sh on this machine: two Rasa servers behind nginx (one
    per core), PostgreSQL tracker store, Redis lock store, one action server."""
    from deploy import topology

    script = ["bash", str(PROJECT_ROOT / "deploy" / "scale_out.sh")]
    subprocess.run(
        script + ["stop"], cwd=PROJECT_ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.monotonic()
    try:
        say(
            "starting the scale-out topology (deploy/scale_out.sh: 2 Rasa servers, nginx, PostgreSQL, Redis) ..."
        )
        with open(logs / "scale_out_start.log", "w") as log:
            started_ok = subprocess.run(
                script + ["start"], cwd=PROJECT_ROOT, timeout=600, stdout=log, stderr=subprocess.STDOUT
            )
        if started_ok.returncode != 0:
            lines = [line for line in (logs / "scale_out_start.log").read_text().splitlines() if line.strip()]
            failed = next(
                (i for i, line in enumerate(lines) if "failed" in line.lower() or "error" in line.lower()),
                None,
            )
            shown = lines[failed : failed + 3] if failed is not None else lines[-6:]
            raise RuntimeError(
                f"deploy/scale_out.sh start exited with {started_ok.returncode}: " + " | ".join(shown)
            )
        ready_s = round(time.monotonic() - started, 1)
        pids = {f"rasa_{port}": topology._read_pid(f"rasa-{port}") for port in topology.RASA_PORTS}
        pids["actions"] = topology._read_pid("actions")
        result = asyncio.run(run_load_steps(topology.NGINX_ORIGIN, pids, seed_base=2000))
        result["topology"] = (
            f"{len(topology.RASA_PORTS)} Rasa servers behind nginx (least_conn for REST), "
            "PostgreSQL tracker store, Redis lock store, one action server, all on this machine"
        )
        result["ready_s"] = ready_s
        return result
    finally:
        say("stopping the scale-out topology ...")
        subprocess.run(
            script + ["stop"],
            cwd=PROJECT_ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


class Skip(Exception):
    """A step that cannot run here; its message says why."""


class Steps:
    """The benchmark's steps, run in order. After each one the results so far are written (results.json,
    results.md and the plot), with the step's outcome: a step that fails or cannot run is reported
    with the reason, the steps that do not need it still run, and nothing measured before is lost."""

    def __init__(self, results: Dict, logs: Path, write: bool = True) -> None:
        self.results, self.logs, self.write = results, logs, write
        self.outcome: Dict[str, str] = {}
        results["steps"] = []

    def run(self, name: str, step: Callable[[], None], needs: Sequence[str] = ()) -> bool:
        missing = [n for n in needs if self.outcome.get(n) != "ok"]
        record: Dict = {"step": name}
        started = time.monotonic()
        if SELECTED_STEPS and name not in SELECTED_STEPS:
            record.update(status="skipped", reason="not in BENCH_STEPS")
        elif missing:
            record.update(
                status="skipped",
                reason="needs " + ", ".join(f"{n} ({self.outcome.get(n, 'not run')})" for n in missing),
            )
        else:
            say(f"step: {name}")
            try:
                step()
                record["status"] = "ok"
            except Skip as why:
                record.update(status="skipped", reason=str(why))
            except BaseException as error:  # noqa: BLE001 - report it, and go on with the next step
                if isinstance(error, KeyboardInterrupt):
                    record.update(status="failed", reason="interrupted")
                    self._finish(name, record, started)
                    raise
                with open(self.logs / "bench_errors.log", "a") as log:
                    log.write(f"--- {name}\n{traceback.format_exc()}\n")
                record.update(status="failed", reason=f"{type(error).__name__}: {error}"[:600])
        self._finish(name, record, started)
        return record["status"] == "ok"

    def _finish(self, name: str, record: Dict, started: float) -> None:
        record["seconds"] = round(time.monotonic() - started, 1)
        self.outcome[name] = record["status"]
        self.results["steps"].append(record)
        if record["status"] != "ok":
            say(f"  {name}: {record['status'].upper()}: {record.get('reason')}")
        self.save()

    def save(self) -> None:
        if not self.write:
            return
        try:
            report.write_all(self.results, BENCH_DIR)
        except Exception as error:  # a report that cannot be drawn must not stop the measuring
            (BENCH_DIR / "results.json").write_text(json.dumps(self.results, indent=2, default=str) + "\n")
            say(f"  could not write the full report ({error}); wrote bench/results.json")


def main() -> int:
    bench_started = time.monotonic()
    results: Dict = {
        "started_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine.machine_info(),
        "notes": [],
    }
    say(f"machine: {results['machine']}")
    if not MODEL_PATH.exists():
        print(f"No model at {MODEL_PATH}: run `make train` first", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="cj-bench-"))
    logs = work / "logs"
    logs.mkdir()
    say(f"scratch and logs: {work}")
    results["logs"] = (
        f"{logs.relative_to(work.parent)} in the temporary folder"  # no machine paths in the repo
    )
    shown = (
        MODEL_PATH.relative_to(PROJECT_ROOT) if MODEL_PATH.is_relative_to(PROJECT_ROOT) else MODEL_PATH.name
    )
    results["model"] = {"path": str(shown), "size_mb": round(MODEL_PATH.stat().st_size / 1e6, 1)}
    startup: Dict = {}
    results["startup"] = startup
    steps = Steps(results, logs)
    state: Dict = {}

    # 1. training (CPU heavy: before anything is timed)
    def training() -> None:
        record = fresh_training_record(time.time())
        if record:
            startup["training_s"], startup["training_source"] = record["seconds"], "make train"
            startup["load_average_after_training"] = record["load_average_after"]
            results["notes"].append(
                f"Training time: measured by `make train`, which trained the current model at "
                f"{record['finished_at']} (models/assistant.training.json)."
            )
            say(f"training time from make train: {record['seconds']:.0f} s")
            return
        say("timing a full `rasa train` into a temp dir (models/ untouched) ...")
        seconds, full_model = quality.time_full_training(work, logs)
        startup["training_s"], startup["training_source"] = round(seconds, 1), "timed by the bench"
        startup["trained_model_size_mb"] = round(full_model.stat().st_size / 1e6, 1)
        startup["load_average_after_training"] = machine.load_average()
        say(f"  full training: {seconds:.0f} s")

    def reference_model() -> None:
        fingerprint = quality.default_fingerprint()
        CACHE.mkdir(exist_ok=True)
        cached_model = CACHE / f"rasa_default_nlu-{fingerprint}.tar.gz"
        cached_info = CACHE / f"rasa_default_nlu-{fingerprint}.json"
        if os.environ.get("BENCH_REUSE_REFERENCE") == "1" and cached_model.exists() and cached_info.exists():
            state["default_model"] = cached_model
            info = json.loads(cached_info.read_text())
            startup["default_nlu_training_s"], startup["default_nlu_reused"] = info["training_s"], True
            results["notes"].append(
                f"Rasa default pipeline reference NOT retrained in this run (BENCH_REUSE_REFERENCE=1): model trained "
                f"{info['trained_at']} on identical data/nlu, default config and Rasa version (fingerprint {fingerprint}); "
                "evaluated in this run on the same test set."
            )
            say(f"reusing the default-pipeline reference model {cached_model.name}")
            return
        say("training Rasa's default pipeline (`rasa train nlu`, no pipeline given) on data/nlu ...")
        seconds, default_model = quality.train_default_nlu(work, logs)
        startup["default_nlu_training_s"], startup["default_nlu_reused"] = round(seconds, 1), False
        shutil.copyfile(default_model, cached_model)
        cached_info.write_text(
            json.dumps(
                {
                    "training_s": round(seconds, 1),
                    "trained_at": results["started_at"],
                    "load_average_after": machine.load_average(),
                }
            )
        )
        state["default_model"] = cached_model
        say(f"  default NLU training: {seconds:.0f} s")

    steps.run("training", training)
    steps.run("reference_model", reference_model)

    # 2. ours and the stock `rasa init` bot, one after the other (before ours is started for the rest)
    def compare_with_stock() -> None:
        ours, stock = startup_comparison.bots_from_env(logs)
        results["startup_comparison"] = compared = {}
        compared["load_average_before"] = machine.load_average()
        this_run = startup if startup.get("training_source") == "timed by the bench" else None
        count = int(os.environ.get("BENCH_COMPARISON_MESSAGES", "200"))
        rounds = int(os.environ.get("BENCH_COMPARISON_ROUNDS", "1"))
        split = os.environ.get("BENCH_COMPARISON_PROFILE", "1") == "1"
        startup_comparison.compare(compared, ours, stock, count, rounds, this_run, profile=split)

    steps.run("startup_comparison", compare_with_stock)

    # 3. the assistant as `make run` starts it
    ports = Ports(
        rasa=int(os.environ.get("BENCH_RASA_PORT", "5305")),
        actions=int(os.environ.get("BENCH_ACTIONS_PORT", "5355")),
        host="127.0.0.1",
    )
    url = f"http://127.0.0.1:{ports.rasa}"
    assistant = Assistant(ports=ports, log_dir=logs)

    def start_assistant() -> None:
        say("starting the action server and the Rasa server ...")
        startup["ready_s"] = round(assistant.start(timeout=240), 1)
        say(f"  ready in {startup['ready_s']} s")
        state["pids"] = pids = {"actions": assistant.processes[0].pid, "rasa": assistant.processes[1].pid}
        started = time.perf_counter()
        first = asyncio.run(load.rest_single_messages(url, ["hello"]))[0]
        startup["first_reply_ms"] = round(1000 * (time.perf_counter() - started), 1)
        startup["first_reply_errors"] = first["errors"]
        results["memory"] = {name: {"after_start": machine.rss_mb(pid)} for name, pid in pids.items()}

    # 4. in-process measurements (quality + parts), while the server is idle
    def quality_and_parts() -> None:
        inproc_out = work / "inproc.json"
        with open(logs / "inproc.log", "w") as log:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.inproc",
                    "--ours",
                    str(MODEL_PATH),
                    "--default",
                    str(state["default_model"]),
                    "--actions-url",
                    f"http://127.0.0.1:{ports.actions}/webhook",
                    "--out",
                    str(inproc_out),
                ],
                cwd=PROJECT_ROOT,
                env=quality.rasa_env(work / "cache_inproc"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if done.returncode != 0:
            tail = (logs / "inproc.log").read_text().strip().splitlines()[-3:]
            raise RuntimeError(f"bench.inproc exited with {done.returncode}: " + " | ".join(tail))
        inproc = json.loads(inproc_out.read_text())
        results["quality"], results["parts"] = inproc["quality"], inproc["parts"]
        q = results["quality"]
        say(
            f"  accuracy / macro F1: ours {q['ours']['intent_accuracy']} / {q['ours']['macro_f1']}, "
            f"rasa default {q['rasa_default']['intent_accuracy']} / {q['rasa_default']['macro_f1']}, "
            f"tfidf {q['tfidf_1nn']['intent_accuracy']} / {q['tfidf_1nn']['macro_f1']}"
        )

    # 5. latency, one client at a time
    def latency() -> None:
        results["latency"] = asyncio.run(measure_latency(url))
        for name, pid in state["pids"].items():
            results["memory"][name]["idle"] = machine.rss_mb(pid)
        if results.get("parts"):
            results["parts"]["breakdown"] = breakdown(
                results["parts"], results["latency"]["rest"]["single"]["latency_ms"]
            )

    # 6. capacity of one Rasa server
    def capacity() -> None:
        results["machine"]["load_average_before_load"] = machine.load_average()
        memory = results["memory"]
        results["capacity"] = asyncio.run(measure_capacity(url, state["pids"], memory))
        for name, pid in state["pids"].items():
            memory[name]["after_load"] = machine.rss_mb(pid)
        memory["load_generator_peak_mb"] = machine.rss_mb(os.getpid(), include_children=False)

    try:
        steps.run("start_assistant", start_assistant)
        steps.run("quality_and_parts", quality_and_parts, needs=["start_assistant", "reference_model"])
        steps.run("latency", latency, needs=["start_assistant"])
        steps.run("capacity", capacity, needs=["start_assistant"])
    finally:
        say("stopping the servers ...")
        assistant.stop()
        for sub in ("full", "default", "cache_full", "cache_default", "cache_inproc"):
            shutil.rmtree(work / sub, ignore_errors=True)

    # 7. capacity of the scale-out topology on the same machine (the single server is stopped)
    def scale_out() -> None:
        if os.environ.get("BENCH_SCALE_OUT", "1") != "1":
            raise Skip("BENCH_SCALE_OUT=0")
        results["capacity_scale_out"] = measure_scale_out_capacity(logs)

    steps.run("scale_out_capacity", scale_out)

    results["machine"]["load_average_at_end"] = machine.load_average()
    results["bench_runtime_s"] = round(time.monotonic() - bench_started, 1)
    results["notes"] += [
        "The load generator, the Rasa server and the action server all run on the same 2 cores; other work "
        "on the machine may be running too (load average above).",
        "make bench from a fresh clone also includes `make train` (venv install about 4 min, spaCy pipeline, "
        "model training); bench_runtime_s is the benchmark script alone.",
        "Rasa default pipeline: DIETClassifier without random_seed, so its score moves a little between runs.",
    ]
    steps.save()
    failed = [s for s in results["steps"] if s["status"] != "ok"]
    say(
        f"done in {results['bench_runtime_s']:.0f} s: wrote bench/results.json, bench/results.md, bench/latency_vs_load.png"
        + (
            f"; {len(failed)} step(s) not ok: " + ", ".join(f"{s['step']} ({s['status']})" for s in failed)
            if failed
            else ""
        )
    )
    print(report.markdown(results))
    return 1 if any(s["status"] == "failed" for s in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
