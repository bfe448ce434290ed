"""Ours against the stock `rasa init` bot, measured in the same run, one after the other.

    PYTHONPATH=. .venv/bin/python -m bench.startup_comparison [--messages 200] [--rounds 1] [--out FILE]

For each bot, with the same client code (bench.load.rest_single_messages) and the same message count:
- time to ready: process start until the REST webhook answers a message (ours: bot.tools.serve's
  Assistant, which starts the action server and the Rasa server together);
- Rasa server CPU seconds (user + system, /proc, children included) over N single-turn REST messages
  after a warm-up, divided by N;
- the Rasa server's RSS after those messages, and the model size on disk;
- training time: ours is the one recorded by `make train` (models/assistant.training.json, read, never
  retrained here); the stock bot is created from Rasa's template (what `rasa init` copies) in
  bench/.cache/stock_init and trained with a timed `rasa train` in the run, with an empty cache.
Ratios are ours / stock. With --rounds 2 or more the order alternates (ours first, then stock first)
and each figure is the median over rounds. `make bench` runs this as its startup_comparison step
(bench/run_bench.py); run alone, it prints the table and writes --out if given.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from bench import load, machine, messages
from bot.settings import PROJECT_ROOT
from bot.tools.serve import Assistant, Ports, wait_for
from bot.tools.training import MODEL_PATH, TRAINING_RECORD_PATH, last_training

CACHE = PROJECT_ROOT / "bench" / ".cache"  # ignored by bench/.gitignore
STOCK_FOLDER = CACHE / "stock_init"
WARM_UP = 20
FIGURES = ("ready_s", "cpu_ms_per_message", "rss_mb", "model_mb", "training_s")
TARGETS = {"ready_ratio": 0.5, "cpu_ms_per_message": 15.0}


def say(text: str) -> None:
    print(f"[compare {time.strftime('%H:%M:%S')}] {text}", flush=True)


def rasa_env(cache_dir: Path) -> Dict[str, str]:
    """The stock bot's environment: this one, quiet TensorFlow, no telemetry, its own training cache."""
    env = dict(os.environ)
    env.update(TF_CPP_MIN_LOG_LEVEL="2", RASA_TELEMETRY_ENABLED="false", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env["RASA_CACHE_DIRECTORY"] = str(cache_dir)
    env.pop("PYTHONPATH", None)  # the stock bot knows nothing of this project
    return env


def post_message(url: str, text: str, timeout: float = 60) -> List[Dict]:
    body = json.dumps({"sender": str(uuid.uuid4()), "message": text}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return json.loads(reply.read() or b"[]")


def stop_process(process: subprocess.Popen, seconds: float = 8.0) -> None:
    """SIGINT (Sanic shuts down cleanly), SIGKILL if still running after `seconds`."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


def components(config: Dict) -> Dict[str, List[str]]:
    names = lambda key: [str(item["name"]).rsplit(".", 1)[-1] for item in config.get(key) or []]  # noqa: E731
    return {"pipeline": names("pipeline"), "policies": names("policies")}


def rasa_default_config() -> Dict:
    """The config Rasa fills in when config.yml gives no pipeline or policies (as `rasa init`'s does)."""
    import rasa.engine.recipes

    path = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"
    return yaml.safe_load(path.read_text())


# ------------------------------------------------------------------ the two bots


@dataclass
class StockBot:
    """The `rasa init` starter bot: Rasa's template copied into `folder`, trained there, served on `port`."""

    folder: Path
    port: int
    log_dir: Path
    process: Optional[subprocess.Popen] = None
    name: str = "stock"
    actions_url: Optional[str] = None  # utter_ responses only: no action server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def model(self) -> Path:
        return self.folder / "models" / "stock.tar.gz"

    def create(self) -> None:
        """What `rasa init --no-prompt` does before it trains: copy Rasa's initial project."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        code = "import sys; from rasa.cli.scaffold import create_initial_project; create_initial_project(sys.argv[1])"
        subprocess.run(
            [sys.executable, "-c", code, str(self.folder)], check=True, env=rasa_env(self.folder / ".cache")
        )

    def train(self) -> float:
        """A timed `rasa train` in the bot's folder, with an empty cache; seconds."""
        command = [sys.executable, "-m", "rasa", "train", "--fixed-model-name", "stock", "--out", "models"]
        started = time.monotonic()
        with open(self.log_dir / "stock_train.log", "w") as log:
            done = subprocess.run(
                command, cwd=self.folder, env=rasa_env(self.folder / ".cache"), stdout=log, stderr=log
            )
        if done.returncode != 0 or not self.model.exists():
            raise RuntimeError(f"stock `rasa train` exited with {done.returncode}; see stock_train.log")
        return time.monotonic() - started

    def start(self, timeout: float = 240) -> float:
        """Seconds from process start until the REST webhook answered "hello" (polled as serve.Assistant does)."""
        command = [
            sys.executable,
            "-m",
            "rasa",
            "run",
            "--model",
            str(self.model),
            "--interface",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
        ]
        started = time.monotonic()
        with open(self.log_dir / "stock_rasa.log", "a") as log:  # the server writes to its own copy
            self.process = subprocess.Popen(
                command,
                cwd=self.folder,
                env=rasa_env(self.folder / ".cache"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(f"{self.url}/", started + timeout, [self.process])
        post_message(self.url, "hello")
        return time.monotonic() - started

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


@dataclass
class OurBot:
    """Ours as `make run` starts it (bot.tools.serve.Assistant: action server + Rasa server)."""

    ports: Ports
    log_dir: Path
    assistant: Assistant = field(init=False)
    name: str = "ours"
    model: Path = MODEL_PATH

    def __post_init__(self) -> None:
        self.assistant = Assistant(ports=self.ports, log_dir=self.log_dir / "ours")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    def start(self, timeout: float = 240) -> float:
        return self.assistant.start(timeout=timeout)

    @property
    def pid(self) -> int:
        return self.assistant.processes[1].pid  # [actions, rasa]

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}/webhook"

    @property
    def actions_pid(self) -> int:
        return self.assistant.processes[0].pid

    def stop(self) -> None:
        self.assistant.stop()


# ------------------------------------------------------------------ measuring


async def cpu_per_message(url: str, pid: int, texts: List[str]) -> Dict:
    """Warm-up, then Rasa server CPU seconds over `texts` (one message per new conversation) / len(texts)."""
    await load.rest_single_messages(url, texts[:WARM_UP])
    before = machine.cpu_seconds(pid)
    started = time.monotonic()
    timed, _ = await load.rest_single_messages(url, texts)
    wall = time.monotonic() - started
    used = (machine.cpu_seconds(pid) or 0.0) - (before or 0.0)
    return {
        "cpu_ms_per_message": round(1000 * used / len(texts), 1),
        "cpu_s": round(used, 2),
        "wall_s": round(wall, 1),
        "latency_ms": timed["latency_ms"],
        "errors": timed["errors"],
    }


def measure(bot, texts: List[str], profile: bool = False) -> Dict:
    """Start `bot`, send `texts`, read its Rasa server's CPU and RSS; then, if `profile`, split the CPU of
    the same messages by part in-process (bench/profile_turn.py, while the idle server's action server is
    still up); stop it."""
    out: Dict = {"load_average_before": machine.load_average()}
    try:
        out["ready_s"] = round(bot.start(), 1)
        out["rss_after_start_mb"] = machine.rss_mb(bot.pid)
        out.update(asyncio.run(cpu_per_message(bot.url, bot.pid, texts)))
        out["rss_mb"] = machine.rss_mb(bot.pid)
        if isinstance(bot, OurBot):
            out["action_server_rss_mb"] = machine.rss_mb(bot.actions_pid)
        out["load_average_after"] = machine.load_average()
        if profile:
            say(f"  {bot.name}: where the CPU goes (in-process, bench/profile_turn.py) ...")
            out["in_process"] = profile_in_process(bot, len(texts))
    finally:
        bot.stop()
    return out


def profile_in_process(bot, count: int) -> Dict:
    result = bot.log_dir / f"profile_{bot.name}.json"
    command = [
        sys.executable,
        "-m",
        "bench.profile_turn",
        "--model",
        str(bot.model),
        "--messages",
        bot.name,
        "--count",
        str(count),
        "--cprofile",
        "20",
        "--out",
        str(result),
    ]
    if bot.actions_url:
        command += ["--actions-url", bot.actions_url, "--project-tracker-store"]
    env = {**rasa_env(bot.log_dir / "cache_profile"), "PYTHONPATH": str(PROJECT_ROOT)}
    with open(bot.log_dir / f"profile_{bot.name}.log", "w") as log:
        done = subprocess.run(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=900
        )
    if done.returncode != 0:
        return {"error": f"bench.profile_turn exited with {done.returncode}; see profile_{bot.name}.log"}
    return json.loads(result.read_text())


def our_training(this_run: Optional[Dict] = None) -> Dict:
    """Our training time: this run's own timing if the bench timed one, else make train's record."""
    if this_run and this_run.get("training_s"):
        return {
            "training_s": this_run["training_s"],
            "training_source": this_run.get("training_source", "this run"),
        }
    record = last_training()
    if record:
        return {
            "training_s": record["seconds"],
            "training_source": f"make train, finished {record['finished_at']} (models/assistant.training.json)",
        }
    try:
        record = json.loads(TRAINING_RECORD_PATH.read_text())
    except (OSError, ValueError):
        return {"training_s": None, "training_source": "no training record: run `make train`"}
    return {
        "training_s": record.get("seconds"),
        "training_source": f"make train, finished {record.get('finished_at')} (models/assistant.training.json); "
        "the training inputs have changed since, so the model on disk is not current",
    }


def median_figures(rounds: List[Dict]) -> Dict:
    """Each number measured for one bot, and the latency percentiles, as the median over rounds."""

    def median(values: List[Optional[float]]) -> Optional[float]:
        known = [v for v in values if v is not None]
        return round(statistics.median(known), 1) if known else None

    keys = [k for k, v in rounds[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    out: Dict = {k: median([r.get(k) for r in rounds]) for k in keys}
    out["latency_ms"] = {p: median([r["latency_ms"].get(p) for r in rounds]) for p in ("p50", "p95", "p99")}
    return out


def ratios(ours: Dict, stock: Dict) -> Dict[str, Optional[float]]:
    pick = lambda a, b: round(a / b, 2) if a is not None and b else None  # noqa: E731
    return {key: pick(ours.get(key), stock.get(key)) for key in FIGURES}


def verdicts(ours: Dict, ratio: Dict) -> Dict[str, Optional[bool]]:
    ready, cpu = ratio.get("ready_s"), ours.get("cpu_ms_per_message")
    return {
        "ready_at_most_half_of_stock": None if ready is None else ready <= TARGETS["ready_ratio"],
        "rasa_cpu_at_most_15_ms_per_message": None if cpu is None else cpu <= TARGETS["cpu_ms_per_message"],
    }


def method(count: int) -> str:
    return (
        f"Same machine, same run, one bot at a time. Ready = process start until the REST webhook answered a "
        f"message (polled every 0.5 s; ours includes starting its action server alongside). Then {WARM_UP} "
        f"warm-up messages and {count} single-turn messages over REST, one at a time, each from a new sender, "
        "sent by the same client (bench.load.rest_single_messages): ours a fixed list of typical first messages "
        "(bench/messages.py TYPICAL_MESSAGES; most call the custom action server and write the SQLite tracker "
        "store), the stock bot its own training examples (STOCK_MESSAGES; utter_ responses only, in-memory "
        "tracker store, no action server). CPU = user + system seconds of the Rasa server process over those "
        f"{count} messages / {count}; RSS of the Rasa server after them. Model = the .tar.gz on disk. "
        "Ratios: ours / stock."
    )


# ------------------------------------------------------------------ the comparison


def compare(
    out: Dict,
    ours: OurBot,
    stock: StockBot,
    count: int,
    rounds: int = 1,
    this_run_training: Optional[Dict] = None,
    profile: bool = True,
) -> Dict:
    """Fill `out` step by step (what is measured before a failure is kept). `profile`: split each bot's
    CPU per message by part in-process, in the first round."""
    out.update(
        method=method(count),
        messages=count,
        warm_up=WARM_UP,
        rounds=[],
        started_at=datetime.datetime.now().isoformat(timespec="seconds"),
    )
    out["configs"] = {
        "ours": components(yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())),
        "stock": components(rasa_default_config()),
    }
    say(
        f"stock bot: copying Rasa's initial project into {stock.folder.relative_to(PROJECT_ROOT)} and training it ..."
    )
    stock.create()
    stock_training = {
        "training_s": round(stock.train(), 1),
        "training_source": "timed in this run (`rasa train`)",
        "load_average_after_training": machine.load_average(),
    }
    say(f"  stock training: {stock_training['training_s']} s")
    texts = {
        "ours": messages.repeated(messages.TYPICAL_MESSAGES, count),
        "stock": messages.repeated(messages.STOCK_MESSAGES, count),
    }
    bots: Dict[str, Callable[[bool], Dict]] = {
        "ours": lambda split: measure(ours, texts["ours"], split),
        "stock": lambda split: measure(stock, texts["stock"], split),
    }
    out["in_process"] = {}
    for number in range(rounds):
        order = ("ours", "stock") if number % 2 == 0 else ("stock", "ours")
        this_round: Dict = {"order": list(order)}
        out["rounds"].append(this_round)
        for name in order:
            say(f"round {number + 1}: {name} ...")
            this_round[name] = figures = bots[name](profile and number == 0)
            if "in_process" in figures:
                out["in_process"][name] = figures.pop("in_process")
            say(
                f"  {name}: ready {figures['ready_s']} s, {figures['cpu_ms_per_message']} ms CPU/msg, "
                f"RSS {figures['rss_mb']} MB, p95 {figures['latency_ms'].get('p95')} ms, errors {figures['errors']}"
            )
        this_round["ratios"] = ratios(this_round["ours"], this_round["stock"])
    summarise(out, stock_training, our_training(this_run_training), stock)
    return out


def summarise(out: Dict, stock_training: Dict, ours_training: Dict, stock: StockBot) -> None:
    ours_fig = {
        **median_figures([r["ours"] for r in out["rounds"]]),
        **ours_training,
        "model_mb": size_mb(MODEL_PATH),
        "loaded_beside_model_mb": files_beside_model(),
    }
    stock_fig = {
        **median_figures([r["stock"] for r in out["rounds"]]),
        **stock_training,
        "model_mb": size_mb(stock.model),
    }
    out["ours"], out["stock"] = ours_fig, stock_fig
    out["ratios"] = ratios(ours_fig, stock_fig)
    out["targets_met"] = verdicts(ours_fig, out["ratios"])


def files_beside_model() -> Dict[str, float]:
    """Folders our config.yml names as `model:` (spaCy pipeline, sentence encoder): loaded at start, not in the .tar.gz."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    paths = [PROJECT_ROOT / str(item["model"]) for item in config.get("pipeline") or [] if item.get("model")]
    return {str(p.relative_to(PROJECT_ROOT)): size_mb(p) for p in paths if p.exists()}


def bots_from_env(log_dir: Path) -> Tuple[OurBot, StockBot]:
    """Ports as bench/run_bench.py takes them (BENCH_RASA_PORT, BENCH_ACTIONS_PORT), the stock bot on
    BENCH_STOCK_PORT (default: ours + 10)."""
    rasa_port = int(os.environ.get("BENCH_RASA_PORT", "5305"))
    ports = Ports(rasa=rasa_port, actions=int(os.environ.get("BENCH_ACTIONS_PORT", "5355")), host="127.0.0.1")
    stock_port = int(os.environ.get("BENCH_STOCK_PORT", str(rasa_port + 10)))
    return OurBot(ports, log_dir), StockBot(STOCK_FOLDER, stock_port, log_dir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--messages", type=int, default=int(os.environ.get("BENCH_COMPARISON_MESSAGES", "200"))
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_COMPARISON_ROUNDS", "1")))
    parser.add_argument(
        "--no-profile", action="store_true", help="skip the in-process split of the CPU per message"
    )
    parser.add_argument("--out", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    if not MODEL_PATH.exists():
        print(f"No model at {MODEL_PATH}: run `make train` first", file=sys.stderr)
        return 1
    logs = Path(tempfile.mkdtemp(prefix="cj-compare-"))
    say(f"logs: {logs}; machine load {machine.load_average()}")
    out: Dict = {}
    ours, stock = bots_from_env(logs)
    try:
        compare(out, ours, stock, args.messages, args.rounds, profile=not args.no_profile)
    finally:
        if args.out:
            args.out.write_text(json.dumps(out, indent=2) + "\n")
    from bench import report

    print("\n".join(report.comparison_section(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
