"""`make shell` as tests use it: an action server of its own and `python -m bot.tools.shell` on free
ports, with a store of its own, the console reading from a pipe and its output collected."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

from assistant_client import free_ports

from bot.settings import PROJECT_ROOT
from bot.tools.serve import action_server_command, action_server_env, wait_for


class StaffShell:
    def __init__(self, log_dir: Path, env: Optional[Dict[str, str]] = None) -> None:
        self.ports = free_ports()
        self.log_dir = log_dir
        self.store = f"storage/shell-test-{self.ports.rasa}.db"
        self.env = {
            **os.environ,
            **(env or {}),
            "CJ_ACTIONS_PORT": str(self.ports.actions),
            "CJ_RATE_LIMIT_IP": "100000",
            "PYTHONUNBUFFERED": "1",
        }
        self.lines: List[str] = []
        self.processes: List[subprocess.Popen] = []
        self.shell: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    def start(self, timeout: float = 240) -> StaffShell:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(
            self.log_dir / "actions.log", "w"
        ) as actions_log:  # the server keeps its own copy of the file
            self.processes.append(
                subprocess.Popen(
                    action_server_command(self.ports),
                    cwd=PROJECT_ROOT,
                    env=action_server_env(self.ports, self.env),
                    stdout=actions_log,
                    stderr=subprocess.STDOUT,
                )
            )
        self.shell = subprocess.Popen(
            [sys.executable, "-m", "bot.tools.shell", "--port", str(self.ports.rasa), "--store", self.store],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.processes.append(self.shell)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        wait_for(f"http://127.0.0.1:{self.ports.actions}/health", deadline, self.processes)
        wait_for(f"{self.url}/", deadline, self.processes)
        self.wait_for_line("Staff view of the widget", deadline - time.monotonic())
        return self

    def _read(self) -> None:
        assert self.shell and self.shell.stdout
        with open(self.log_dir / "shell.log", "w") as log:
            for line in self.shell.stdout:
                self.lines.append(line.rstrip("\n"))
                log.write(line)
                log.flush()

    def wait_for_line(self, fragment: str, timeout: float = 60, after: int = 0) -> int:
        """The index of the first output line from `after` on that contains `fragment`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index in range(after, len(self.lines)):
                if fragment in self.lines[index]:
                    return index
            if self.shell and self.shell.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{fragment!r} not in the shell's output:\n" + "\n".join(self.lines[after:]))

    def type(self, text: str) -> int:
        """Types a line into the console; the number of output lines before it."""
        assert self.shell and self.shell.stdin
        before = len(self.lines)
        self.shell.stdin.write(text + "\n")
        self.shell.stdin.flush()
        return before

    def stop(self) -> None:
        if self.shell and self.shell.poll() is None and self.shell.stdin:
            try:
                self.type("/stop")
                self.shell.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                pass
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        store = PROJECT_ROOT / self.store
        for path in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
            path.unlink(missing_ok=True)
