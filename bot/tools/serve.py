"""Start the action server and the Rasa server (which also serves the website) together.

`python -m bot.tools.serve` prints the local URL when both answer, and stops both within 10 seconds
on Ctrl-C, SIGINT or SIGTERM (as sent by systemd, a supervisor or `kill`).
Used by `make run` and by the tests that need a running assistant.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlparse

import yaml

from bot.settings import PROJECT_ROOT, get_settings, settings_now
from bot.tools.training import MODEL_PATH

TRACKER_STORE = "bot.rasa_ext.tracker_store.ErasableSQLTrackerStore"
LOCK_STORE = "bot.rasa_ext.lock_store.AtomicRedisLockStore"


@dataclass
class Ports:
    rasa: int = field(default_factory=lambda: get_settings().rasa_port)
    actions: int = field(default_factory=lambda: get_settings().actions_port)
    host: str = field(default_factory=lambda: get_settings().host)


# What the action server may see of this process's environment: it reads content, never the stores.
ACTION_SERVER_ENV = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONWARNINGS",
    "PYTHONUNBUFFERED",
    "TF_CPP_MIN_LOG_LEVEL",
    "SANIC_WORKERS",
    "LOG_LEVEL_LIBRARIES",
)
STORE_SECRETS = ("CJ_DATABASE_URL", "CJ_REDIS_URL")
STOP_SECONDS = 8.0  # SIGINT, then SIGKILL for what is still running: both gone within 10 s


def service_env(ports: Ports) -> Dict[str, str]:
    """The Rasa server's environment."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env["CJ_RASA_PORT"] = str(ports.rasa)
    env["CJ_ACTION_SERVER_HEALTH"] = f"http://127.0.0.1:{ports.actions}/health"
    return env


def action_server_env(ports: Ports, source: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The action server's environment: the basics, the CJ_* settings except the store URLs, and
    the address to listen on (rasa_sdk reads SANIC_HOST; 0.0.0.0 otherwise)."""
    source = os.environ if source is None else source
    env = {
        name: value
        for name, value in source.items()
        if name in ACTION_SERVER_ENV or (name.startswith("CJ_") and name not in STORE_SECRETS)
    }
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["CJ_ACTIONS_PORT"] = str(ports.actions)
    env["SANIC_HOST"] = source.get("SANIC_HOST") or ports.host
    return env


def action_server_command(ports: Ports) -> List[str]:
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports.actions)]


def rasa_server_command(ports: Ports, endpoints: Path) -> List[str]:
    """`rasa run` through bot.tools.rasa_run (which applies bot.rasa_ext.patches first). --cors lists
    the same origins as the Socket.IO origin check (CJ_ALLOWED_ORIGINS), so the two never disagree."""
    origins = settings_now().origins_for(ports.rasa)
    command = [
        sys.executable,
        "-m",
        "bot.tools.rasa_run",
        "run",
        "--model",
        str(MODEL_PATH),
        "--interface",
        ports.host,
        "--port",
        str(ports.rasa),
        "--credentials",
        "credentials.yml",
        "--endpoints",
        str(endpoints),
    ]
    for origin in origins:
        command += ["--cors", origin]
    return command


def postgres_tracker_store(database_url: str) -> Dict[str, Any]:
    """Our SQL tracker store on PostgreSQL. Rasa reads `${CJ_DATABASE_URL}` from its environment
    when it loads the file, so the password is never written down, and URL options such as
    `?sslmode=require` reach the driver as they are."""
    url = urlparse(database_url)
    if url.scheme not in ("postgres", "postgresql") or not url.path.strip("/"):
        raise ValueError(
            "CJ_DATABASE_URL must look like postgresql://user:password@host:5432/database[?sslmode=require]"
        )
    return {"type": TRACKER_STORE, "dialect": "postgresql", "url": "${CJ_DATABASE_URL}"}


def redis_lock_store(redis_url: str) -> Dict[str, Any]:
    """Redis lock store for redis://[:password@]host:port/db, or rediss:// for TLS (options such as
    ?ssl_ca_certs=/path/ca.pem in the URL), so that one conversation is never processed by two Rasa
    instances at once (Rasa's own, with atomic tickets: bot/rasa_ext/lock_store.py). Like the
    database URL, it is read from the environment when Rasa loads the file."""
    if urlparse(redis_url).scheme not in ("redis", "rediss"):
        raise ValueError("CJ_REDIS_URL must look like redis://localhost:6379/0 (or rediss:// for TLS)")
    return {"type": LOCK_STORE, "url": "${CJ_REDIS_URL}"}


def endpoints_file(ports: Ports, sqlite_store: Optional[str] = None) -> Path:
    """endpoints.yml as it is, or a copy for this run: another action server port, a conversation
    store of its own for other Rasa ports (tests, benchmarks), PostgreSQL when CJ_DATABASE_URL is
    set, and a Redis lock store when CJ_REDIS_URL is set. `sqlite_store` (the shell's) wins over
    both: that server keeps to its own file. The copy holds no passwords (see postgres_tracker_store) and is readable by its owner only."""
    settings = settings_now()  # the launcher may have just set CJ_DATABASE_URL for this server
    database_url, redis_url = settings.database_url, settings.redis_url
    if ports.actions == 5055 and ports.rasa == 5005 and not (database_url or redis_url or sqlite_store):
        return PROJECT_ROOT / "endpoints.yml"
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"http://localhost:{ports.actions}/webhook"
    if sqlite_store or not database_url:
        if sqlite_store or ports.rasa != 5005:
            endpoints["tracker_store"]["db"] = sqlite_store or f"storage/conversations-{ports.rasa}.db"
    else:
        endpoints["tracker_store"] = postgres_tracker_store(database_url)
    if redis_url and not sqlite_store:
        endpoints["lock_store"] = redis_lock_store(redis_url)
    name = f"endpoints-{Path(sqlite_store).stem}.yml" if sqlite_store else f"endpoints-{ports.rasa}.yml"
    path = PROJECT_ROOT / "build" / name
    path.parent.mkdir(exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        os.fchmod(out.fileno(), 0o600)
        yaml.safe_dump(endpoints, out, sort_keys=False)
    return path


def wait_for(url: str, deadline: float, processes: List[subprocess.Popen]) -> None:
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                command = process.args if isinstance(process.args, (list, tuple)) else [process.args]
                raise RuntimeError(f"{' '.join(map(str, command[:4]))} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in time")


class Stop(Exception):
    """SIGTERM or SIGINT reached the supervisor."""


def stop_on_signals() -> None:
    """SIGTERM and SIGINT end the supervisor the same way, through `finally: assistant.stop()`."""

    def handler(signum: int, _frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@dataclass
class Assistant:
    ports: Ports = field(default_factory=Ports)
    processes: List[subprocess.Popen] = field(default_factory=list)
    log_dir: Optional[Path] = None
    env: Dict[str, str] = field(default_factory=dict)  # extra settings for both servers (tests)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.ports.rasa}"

    def start(self, timeout: float = 180) -> float:
        if not MODEL_PATH.exists():
            raise FileNotFoundError(f"No model at {MODEL_PATH}: run `make train` first")
        started = time.monotonic()
        (PROJECT_ROOT / "storage").mkdir(exist_ok=True)
        for name, command, env in (
            (
                "actions",
                action_server_command(self.ports),
                action_server_env(self.ports, {**os.environ, **self.env}),
            ),
            (
                "rasa",
                rasa_server_command(self.ports, endpoints_file(self.ports)),
                {**service_env(self.ports), **self.env},
            ),
        ):
            output = None
            if self.log_dir:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                output = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115  # held by the child process
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT if output else None,
                )
            )
        deadline = started + timeout
        wait_for(f"http://127.0.0.1:{self.ports.actions}/health", deadline, self.processes)
        wait_for(f"http://127.0.0.1:{self.ports.rasa}/", deadline, self.processes)
        self.warm_up()
        return time.monotonic() - started

    def _post(self, path: str, body: Dict[str, str]) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports.rasa}/webhooks/rest/{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            reply.read()

    def warm_up(self) -> None:
        """One message through the whole pipeline, so the first visitor doesn't wait for TensorFlow;
        then its conversation is deleted again."""
        sender = str(uuid.uuid4())
        self._post("webhook", {"sender": sender, "message": "hello"})
        self._post("delete", {"sender": sender})

    def stop(self) -> None:
        """SIGINT to both servers (Sanic shuts down cleanly), SIGKILL to any still running after
        STOP_SECONDS."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def main() -> int:
    assistant = Assistant()
    stop_on_signals()
    print("Starting the action server and the Rasa server (about 30 to 60 seconds) ...", flush=True)
    try:
        seconds = assistant.start()
        print(
            f"\nReady in {seconds:.0f} s.\n"
            f"  Website with the chat widget: {assistant.url}/site/\n"
            f"  REST channel: POST {assistant.url}/webhooks/rest/webhook\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(p.poll() is None for p in assistant.processes):
            time.sleep(0.5)
        print("A server stopped unexpectedly; stopping the others.", file=sys.stderr)
        return 1
    except Stop as stop:
        print(f"\nStopping ({stop}) ...", flush=True)
        return 0
    except (RuntimeError, TimeoutError, FileNotFoundError, OSError) as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    finally:
        assistant.stop()


if __name__ == "__main__":
    sys.exit(main())
