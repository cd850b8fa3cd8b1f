"""The launcher contract, and the channel to a running worker (a subprocess or a container)."""

from __future__ import annotations

import collections
import contextlib
import fcntl
import os
import queue
import resource
import signal
import subprocess
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from zarr_conformance.adapters.launchers import sandbox
from zarr_conformance.adapters.launchers.memory import tree_peak_rss

if TYPE_CHECKING:
    from zarr_conformance.adapters.spec import AdapterSpec

# The longest reply line the harness reads: a worker that streams without a newline must not make the
# harness buffer without bound. Values travel in .npy files; only strings and ragged data come inline.
MAX_LINE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Prepared:
    """A built environment: how to start the worker, and what to tell the report about it."""

    launcher: str
    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    detail: str = ""
    image: str | None = None  # docker only
    # Address-space cap of the worker process (RLIMIT_AS), so a runaway allocation (an absurd shape)
    # kills one worker, not the machine. None: the launcher bounds memory its own way (JVM -Xmx, cgroup).
    memory_limit_mb: int | None = None
    # Folders the worker needs to see, read-only, when it runs in the sandbox (a venv, a jar's folder).
    # The sandbox also finds the obvious ones itself: the interpreter's installation, the files in argv.
    environment: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Mounts:
    """Host folders a worker must see at the same path (in its container or sandbox): read-only and
    read-write. Nothing else of the host is writable for it."""

    read_only: tuple[Path, ...] = ()
    read_write: tuple[Path, ...] = ()


class Channel(ABC):
    """JSON lines in and out of one running worker; lines arrive on a queue so waits can time out."""

    confinement = ""  # how the worker is confined, for the report (or why it is not)

    def __init__(self) -> None:
        self.lines: queue.Queue[bytes | None] = queue.Queue()  # None: the worker's stdout closed
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self.stderr_closed = threading.Event()  # set once the worker's stderr is read to its end

    def _pump_stdout(self, stream: IO[bytes]) -> None:
        for line in iter(lambda: stream.readline(MAX_LINE_BYTES), b""):
            self.lines.put(line)  # a line of MAX_LINE_BYTES without a newline: the worker's protocol error
        self.lines.put(None)

    def _pump_stderr(self, stream: IO[bytes]) -> None:
        try:
            for line in iter(stream.readline, b""):
                self._stderr.append(line.decode(errors="replace").rstrip())
        finally:
            self.stderr_closed.set()

    def stderr_tail(self, n: int = 15) -> str:
        return "\n".join(list(self._stderr)[-n:])

    @abstractmethod
    def send(self, line: bytes) -> None: ...

    @abstractmethod
    def exit_code(self) -> int | None:
        """None while the worker runs."""

    @abstractmethod
    def kill(self) -> None: ...

    def peak_rss(self) -> int | None:
        """The worker's peak resident memory in bytes so far (None: unknown here); asked before a stop."""
        return None


class SubprocessChannel(Channel):
    """A worker process on this host: in the sandbox (sandbox.py) when `mounts` are given and bwrap runs."""

    def __init__(self, prepared: Prepared, mounts: Mounts | None = None) -> None:
        super().__init__()
        limit = prepared.memory_limit_mb
        argv = list(prepared.argv)
        self.sandboxed = mounts is not None and sandbox.active()
        if mounts is not None:
            self.confinement = sandbox.describe()
        if self.sandboxed:
            assert mounts is not None
            needed = [*prepared.environment, *sandbox.environment_of(argv, prepared.env, prepared.cwd)]
            argv = sandbox.command(argv, read_only=[*mounts.read_only, *needed], read_write=mounts.read_write,
                                   cwd=prepared.cwd)
        # The memory cap is set on bwrap and inherited by the worker inside; a new session makes the
        # worker and everything it starts one process group, killed as one.
        def popen() -> subprocess.Popen[bytes]:
            return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=prepared.env or None, cwd=prepared.cwd, start_new_session=True,
                                    preexec_fn=(lambda: _limit_memory(limit)) if limit else None)

        # bwrap --die-with-parent kills the worker when the *thread* that started it ends: start it from
        # one thread that lives as long as the harness, never from a pool thread that is about to end.
        self.proc = sandbox.SPAWNER.submit(popen).result() if self.sandboxed else popen()
        for target, stream in ((self._pump_stdout, self.proc.stdout), (self._pump_stderr, self.proc.stderr)):
            threading.Thread(target=target, args=(stream,), daemon=True).start()

    def send(self, line: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line)
        self.proc.stdin.flush()

    def exit_code(self) -> int | None:
        code = self.proc.poll()
        if self.sandboxed and code is not None and code > 128:
            return -(code - 128)  # bwrap reports a worker killed by signal N as 128 + N: say it as Popen does
        return code

    def peak_rss(self) -> int | None:
        return tree_peak_rss(self.proc.pid) if self.proc.poll() is None else None

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # bwrap and the worker inside it, together
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]


def _limit_memory(megabytes: int) -> None:
    size = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def worker_memory_mb(default: int) -> int:
    """$ZARR_CONFORMANCE_WORKER_MEMORY_MB, else `default`."""
    return int(os.environ.get("ZARR_CONFORMANCE_WORKER_MEMORY_MB", default))


class Launcher(ABC):
    name: str

    def unavailable(self) -> str | None:
        """Why this launcher cannot run on this machine (None when it can)."""
        return None

    @abstractmethod
    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        """Build (or find in the cache) the environment of `spec`; idempotent and safe to run concurrently."""

    def start(self, prepared: Prepared, mounts: Mounts) -> Channel:
        return SubprocessChannel(prepared, mounts)

    def stop_all(self) -> None:  # noqa: B027 - most launchers start nothing that outlives a worker
        """Release anything started for this run (containers)."""


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """One builder per environment at a time, across processes (a CLI run and pytest, say)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
