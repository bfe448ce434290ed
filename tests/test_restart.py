"""The `make run` supervisor (python -m bot.tools.serve) and restarts:

- a conversation survives the Rasa server being killed (kill -9): its turns are in the store and it
  carries on in the same conversation session after the restart;
- when one server dies, the supervisor stops the other and exits;
- SIGTERM (systemd, a supervisor, `kill`) and SIGINT (Ctrl-C) stop both servers within 10 seconds,
  also while they are still starting.
Wording-independent: replies are only checked to be there.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import List, Optional

import pytest
from assistant_client import free_ports

from bot.settings import PROJECT_ROOT
from bot.tools.serve import Ports

pytestmark = pytest.mark.server


def children(pid: int) -> List[int]:
    found: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return state != "Z"
    except FileNotFoundError:
        return False


def say(port: int, sender: str, text: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        return "\n".join(m.get("text", "") for m in json.loads(reply.read()))


class Supervisor:
    """`python -m bot.tools.serve` on free ports, as `make run` starts it."""

    def __init__(self, log: Path, ports: Optional[Ports] = None) -> None:
        ports = ports or free_ports()
        self.ports = ports
        self.rasa_port, self.actions_port = ports.rasa, ports.actions
        env = {
            **os.environ,
            "CJ_RASA_PORT": str(ports.rasa),
            "CJ_ACTIONS_PORT": str(ports.actions),
            "CJ_RATE_LIMIT_IP": "100000",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CJ_DATABASE_URL", None)
        env.pop("CJ_REDIS_URL", None)
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.tools.serve"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=open(log, "w"),  # noqa: SIM115  # held by the child process
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no {text!r} from the supervisor:\n{self.output()[-3000:]}")
            time.sleep(0.5)

    def servers(self) -> List[int]:
        return children(self.process.pid)

    def stop_with(self, signum: int) -> float:
        """Send the signal; seconds until the supervisor and both servers are gone."""
        servers = self.servers()
        started = time.monotonic()
        self.process.send_signal(signum)
        self.process.wait(timeout=30)
        while any(alive(pid) for pid in servers) and time.monotonic() - started < 30:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in servers), "a server outlived the supervisor"
        return time.monotonic() - started

    def kill(self) -> None:
        for pid in [*self.servers(), self.process.pid]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def stored_user_turns(database: Path, sender: str) -> List[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [
        f"{kind}:{json.loads(data).get('text', '')}"
        for kind, data in rows
        if kind in ("user", "session_started")
    ]


def test_kill_9_then_restart_carries_on_the_conversation_and_sigterm_stops_both_servers():
    logs = PROJECT_ROOT / "build" / "test-logs" / "restart"
    sender = str(uuid.uuid4())
    first = Supervisor(logs / "supervisor-1.log")
    database = PROJECT_ROOT / "storage" / f"conversations-{first.rasa_port}.db"
    database.unlink(missing_ok=True)
    try:
        first.wait_for("Ready in")
        assert say(first.rasa_port, sender, "what is community justice?").strip()
        rasa = [pid for pid in first.servers() if b"rasa_run" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(rasa) == 1
        servers = first.servers()
        os.kill(rasa[0], signal.SIGKILL)  # the Rasa server dies: the supervisor stops the action server too
        assert first.process.wait(timeout=20) == 1
        assert "stopped unexpectedly" in first.output()
        assert not any(alive(pid) for pid in servers)
    finally:
        first.kill()

    second = Supervisor(logs / "supervisor-2.log", ports=first.ports)  # same ports, same store
    try:
        second.wait_for("Ready in")
        assert say(second.rasa_port, sender, "who are the partners?").strip()
        # One conversation session across the kill: the second turn continued the first.
        assert stored_user_turns(database, sender) == [
            "session_started:",
            "user:what is community justice?",
            "user:who are the partners?",
        ]
        seconds = second.stop_with(signal.SIGTERM)
        assert seconds < 10, f"SIGTERM took {seconds:.1f} s"
        assert "Stopping (SIGTERM)" in second.output()
    finally:
        second.kill()


def test_sigint_while_starting_stops_everything_within_10_seconds():
    supervisor = Supervisor(PROJECT_ROOT / "build" / "test-logs" / "restart" / "supervisor-sigint.log")
    try:
        deadline = time.monotonic() + 60
        while len(supervisor.servers()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(supervisor.servers()) == 2, supervisor.output()[-2000:]
        time.sleep(2)  # both are loading (Rasa takes 30 to 60 s to be ready)
        seconds = supervisor.stop_with(signal.SIGINT)
        assert seconds < 10, f"SIGINT took {seconds:.1f} s"
        assert supervisor.process.returncode == 0
    finally:
        supervisor.kill()
