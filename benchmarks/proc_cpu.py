"""CPU time of the harness's descendant processes, read from /proc while they live.

Workers run under bubblewrap and are killed at the end of a run, not reaped into the harness's
RUSAGE_CHILDREN, so getrusage() sees almost none of their CPU. A sampler thread walks /proc instead
and keeps, per process, the last utime + stime it saw. What a process spends after its last sample
(at most one interval) is not counted; containers (children of dockerd, not of the harness) are not
either: the machine-wide figure counts those."""

from __future__ import annotations

import os
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(start time in ticks, utime + stime in seconds) of `pid`, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(b")") + 2:].split()  # after the command name, which may hold spaces
    # fields[0] is the state (field 3 of proc(5)): utime is field 14, stime 15, starttime 22
    return int(fields[19]), (int(fields[11]) + int(fields[12])) / TICK


def _children(pid: int) -> list[int]:
    """The children of every thread of `pid` (a child is listed under the thread that started it)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                out += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return out


def machine_busy_cpu() -> float:
    """Seconds of CPU the whole machine spent busy (/proc/stat): containers too, and any other load."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK


class DescendantsCpu:
    """Samples the CPU of every descendant of this process every `interval` s, on a thread whose own
    CPU time is kept apart (`sampler_cpu_s`) so the harness's figure can leave it out."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.seen: dict[tuple[int, int], float] = {}  # (pid, start time) -> CPU seconds last seen
        # After each sample: (perf_counter, the descendants' CPU so far, the machine's busy CPU so far)
        self.history: list[tuple[float, float, float]] = []
        self.sampler_cpu_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="proc-cpu-sampler", daemon=True)

    def __enter__(self) -> DescendantsCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_s(self) -> float:
        return sum(self.seen.values())

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self.sampler_cpu_s = time.thread_time()
            self._stop.wait(self.interval)
        self.sample()
        self.sampler_cpu_s = time.thread_time()

    def sample(self) -> None:
        """Walk the tree below this process only (walking all of /proc on a busy machine cost the
        harness a fifth of its interpreter time)."""
        todo = _children(os.getpid())
        while todo:
            pid = todo.pop()
            found = _stat(pid)
            if found is not None:
                self.seen[(pid, found[0])] = found[1]
                todo += _children(pid)
        self.history.append((time.perf_counter(), sum(self.seen.values()), machine_busy_cpu()))

    def at(self, moment: float) -> tuple[float, float]:
        """(descendants' CPU, machine's busy CPU) at the last sample before `moment`."""
        before = [h for h in self.history if h[0] <= moment] or self.history[:1]
        return before[-1][1:] if before else (0.0, 0.0)
