"""What the benchmark ran on, and per-process resource readings from /proc."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> List[float]:
    return [round(x, 2) for x in os.getloadavg()]


def memory_total_mb() -> Optional[float]:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024, 0)
    except OSError:
        pass
    return None


def machine_info() -> Dict:
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_total_mb": memory_total_mb(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": load_average(),
    }


def children(pid: int) -> List[int]:
    """Direct and indirect child processes (Sanic may fork workers)."""
    found: List[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            kids = Path(f"/proc/{pid}/task/{tid}/children").read_text().split()
        except OSError:
            continue
        for kid in map(int, kids):
            found.append(kid)
            found.extend(children(kid))
    return found


def rss_mb(pid: int, include_children: bool = True) -> Optional[float]:
    """Resident memory (VmRSS from /proc/<pid>/status) in MB, summed over children."""
    total = 0
    pids: Iterable[int] = [pid] + (children(pid) if include_children else [])
    seen = False
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    seen = True
                    break
        except OSError:
            continue
    return round(total / 1024, 1) if seen else None


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU time of a process (and its children), from /proc/<pid>/stat."""
    total = 0.0
    seen = False
    for one in [pid] + children(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        seen = True
    return total if seen else None


def self_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


class CpuMeter:
    """CPU used by some processes between start() and stop(), as a share of one core."""

    def __init__(self, pids: Dict[str, int]):
        self.pids = pids
        self.start_wall = 0.0
        self.start: Dict[str, Optional[float]] = {}

    def begin(self) -> None:
        self.start_wall = time.monotonic()
        self.start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.start["load_generator"] = self_cpu_seconds()

    def end(self) -> Dict[str, Optional[float]]:
        wall = max(time.monotonic() - self.start_wall, 1e-9)
        now = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        now["load_generator"] = self_cpu_seconds()
        out: Dict[str, Optional[float]] = {}
        for name, value in now.items():
            before = self.start.get(name)
            out[name] = None if value is None or before is None else round(100 * (value - before) / wall, 1)
        return out  # percent of one core
