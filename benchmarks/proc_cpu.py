"""CPU time of the harness's workers, read from /proc while they live.

Workers run under bubblewrap and are killed at the end of a run, not reaped into the harness's
RUSAGE_CHILDREN, so getrusage() sees almost none of their CPU; containerised workers are children
of dockerd, not of the harness, at all. A sampler thread walks the process tree below the harness
and below each container this run started (docker label zarr-conformance.run = <host>:<pid>) and
keeps, per process, the last utime + stime it saw. What a process spends after its last sample (at
most one interval) is not counted."""

from __future__ import annotations

import os
import socket
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")
CONTAINERS_EVERY = 4  # samples between two asks to docker for this run's containers


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


def _container_pids() -> list[int]:
    """The main process of each container this process's docker launcher started (none without docker)."""
    try:
        import docker

        from zarr_conformance.adapters.launchers.docker import LABEL_RUN

        client = docker.from_env(timeout=5)
        label = f"{LABEL_RUN}={socket.gethostname()}:{os.getpid()}"
        return [int(c.attrs["State"]["Pid"]) for c in client.containers.list(filters={"label": label})
                if c.attrs.get("State", {}).get("Pid")]
    except Exception:  # noqa: BLE001 - no docker here: no containers to count
        return []


class DescendantsCpu:
    """Samples, every `interval` s, the CPU of every process below this one and below its containers,
    the machine's busy CPU and this process's own; the sampler's thread keeps its own CPU apart
    (`sampler_cpu_s`) so the harness's figure can leave it out."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.seen: dict[tuple[int, int], float] = {}  # (pid, start time) -> CPU seconds last seen
        # After each sample: (perf_counter, workers' CPU, machine's busy CPU, this process's CPU less the sampler's)
        self.history: list[tuple[float, float, float, float]] = []
        self.sampler_cpu_s = 0.0
        self._containers: list[int] = []
        self._samples = 0
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

    def at(self, moment: float) -> tuple[float, float, float]:
        """(workers' CPU, machine's busy CPU, harness's CPU) at the last sample before `moment`."""
        before = [h for h in self.history if h[0] <= moment] or self.history[:1]
        return before[-1][1:] if before else (0.0, 0.0, 0.0)

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                break
        self.sample()

    def sample(self) -> None:
        """Walk the trees below this process and its containers only (walking all of /proc on a busy
        machine cost the harness a fifth of its interpreter time)."""
        if self._samples % CONTAINERS_EVERY == 0:
            self._containers = _container_pids()
        self._samples += 1
        todo = _children(os.getpid()) + self._containers
        while todo:
            pid = todo.pop()
            found = _stat(pid)
            if found is not None:
                self.seen[(pid, found[0])] = found[1]
                todo += _children(pid)
        self.sampler_cpu_s = time.thread_time()
        self.history.append((time.perf_counter(), self.cpu_s, machine_busy_cpu(),
                             time.process_time() - self.sampler_cpu_s))
