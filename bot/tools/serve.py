"""Start the action server and the Rasa server (which also serves the website) together.

`python -m bot.tools.serve` prints the local URL when both answer and stops both cleanly on Ctrl-C.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional
from urllib.parse import unquote, urlparse

import yaml

from bot.settings import PROJECT_ROOT, get_settings
from bot.tools.training import MODEL_PATH


@dataclass
class Ports:
    rasa: int = field(default_factory=lambda: get_settings().rasa_port)
    actions: int = field(default_factory=lambda: get_settings().actions_port)
    host: str = field(default_factory=lambda: get_settings().host)


def service_env(ports: Ports) -> dict:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env["CJ_RASA_PORT"] = str(ports.rasa)
    env["CJ_ACTION_SERVER_HEALTH"] = f"http://127.0.0.1:{ports.actions}/health"
    return env


def action_server_command(ports: Ports) -> List[str]:
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(ports.actions)]


def rasa_server_command(ports: Ports, endpoints: Path) -> List[str]:
    origins = os.environ.get("CJ_ALLOWED_ORIGINS") or f"http://localhost:{ports.rasa} http://127.0.0.1:{ports.rasa}"
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(MODEL_PATH),
        "--interface", ports.host,
        "--port", str(ports.rasa),
        "--credentials", "credentials.yml",
        "--endpoints", str(endpoints),
    ]
    for origin in origins.split():
        command += ["--cors", origin]
    return command


def postgres_tracker_store(database_url: str) -> dict:
    """Rasa's SQL tracker store settings for a postgresql://user:password@host:port/db URL."""
    url = urlparse(database_url)
    if url.scheme not in ("postgres", "postgresql") or not url.path.strip("/"):
        raise ValueError("CJ_DATABASE_URL must look like postgresql://user:password@host:5432/database")
    return {
        "type": "SQL",
        "dialect": "postgresql",
        "url": url.hostname or "localhost",
        "port": url.port or 5432,
        "db": url.path.strip("/"),
        "username": unquote(url.username or ""),
        "password": unquote(url.password or ""),
    }


def redis_lock_store(redis_url: str) -> dict:
    """Redis lock store for redis://[:password@]host:port/db, so that one conversation is never
    processed by two Rasa instances at once (Rasa's own, with atomic tickets: bot/lock_store.py)."""
    url = urlparse(redis_url)
    if url.scheme != "redis":
        raise ValueError("CJ_REDIS_URL must look like redis://localhost:6379/0")
    settings = {"type": "bot.rasa_ext.lock_store.AtomicRedisLockStore", "url": url.hostname or "localhost", "port": url.port or 6379,
                "db": int(url.path.strip("/") or 0)}
    if url.password:
        settings["password"] = unquote(url.password)
    return settings


def endpoints_file(ports: Ports) -> Path:
    """endpoints.yml as it is, or a copy for this run: another action server port, a conversation
    store of its own for other ports (tests, benchmarks), PostgreSQL when CJ_DATABASE_URL is set,
    and a Redis lock store when CJ_REDIS_URL is set."""
    database_url = get_settings().database_url
    redis_url = get_settings().redis_url
    if ports.actions == 5055 and ports.rasa == 5005 and not database_url and not redis_url:
        return PROJECT_ROOT / "endpoints.yml"
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"http://localhost:{ports.actions}/webhook"
    if database_url:
        endpoints["tracker_store"] = postgres_tracker_store(database_url)
    elif ports.rasa != 5005:
        endpoints["tracker_store"]["db"] = f"storage/conversations-{ports.rasa}.db"
    if redis_url:
        endpoints["lock_store"] = redis_lock_store(redis_url)
    path = PROJECT_ROOT / "build" / f"endpoints-{ports.rasa}.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def wait_for(url: str, deadline: float, processes: List[subprocess.Popen]) -> None:
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(map(str, process.args[:4]))} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in time")


@dataclass
class Assistant:
    ports: Ports = field(default_factory=Ports)
    processes: List[subprocess.Popen] = field(default_factory=list)
    log_dir: Optional[Path] = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.ports.rasa}"

    def start(self, timeout: float = 180) -> float:
        if not MODEL_PATH.exists():
            raise FileNotFoundError(f"No model at {MODEL_PATH}: run `make train` first")
        started = time.monotonic()
        (PROJECT_ROOT / "storage").mkdir(exist_ok=True)
        env = service_env(self.ports)
        for name, command in (
            ("actions", action_server_command(self.ports)),
            ("rasa", rasa_server_command(self.ports, endpoints_file(self.ports))),
        ):
            output = None
            if self.log_dir:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                output = open(self.log_dir / f"{name}.log", "w")
            self.processes.append(
                subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None)
            )
        deadline = started + timeout
        wait_for(f"http://127.0.0.1:{self.ports.actions}/health", deadline, self.processes)
        wait_for(f"http://127.0.0.1:{self.ports.rasa}/", deadline, self.processes)
        self.warm_up()
        return time.monotonic() - started

    def warm_up(self) -> None:
        """One message through the whole pipeline, so the first visitor doesn't wait for TensorFlow."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports.rasa}/webhooks/rest/webhook",
            data=json.dumps({"sender": "start-up-check", "message": "hello"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            reply.read()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def main() -> int:
    assistant = Assistant()
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
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except (RuntimeError, TimeoutError, FileNotFoundError) as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    finally:
        assistant.stop()


if __name__ == "__main__":
    sys.exit(main())
