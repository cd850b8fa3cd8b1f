"""The runner's handle on one implementation's long-lived worker: requests with deadlines, crash and
hang detection, restart. A dead, stuck or garbled worker costs the cell it was on, never the run:
after any fault the worker is killed, and the next request starts a fresh one (its hello bounded by
that cell's timeout)."""

from __future__ import annotations

import itertools
import json
import logging
import queue
import signal
import threading
import time
from typing import Any

from zarr_conformance.adapters.launchers.base import MAX_LINE_BYTES, Channel, Launcher, Mounts, Prepared

log = logging.getLogger(__name__)
PROTOCOL_VERSION = 1  # docs/protocol.md: a worker's hello must carry the same number
# A worker that fails to start this many times in a row is given up on: the cells left get an error
# naming the last failure instead of each paying for another doomed start.
MAX_START_FAILURES = 3


class WorkerCrashed(Exception):
    """The worker exited (or closed its stdout) before answering."""


class WorkerTimedOut(Exception):
    """The worker did not answer before the deadline; it has been killed."""


class WorkerProtocolError(Exception):
    """The worker answered something that is not a protocol reply (a harness-side or adapter bug)."""


class WorkerIncompatible(WorkerProtocolError):
    """The worker started but its hello refuses or speaks another protocol: no restart will help."""


class WorkerStartFailed(Exception):
    """The launcher could not start the worker at all (a container not created, an exec failing)."""


class WorkerGaveUp(Exception):
    """The worker failed to start MAX_START_FAILURES times in a row; no more attempts this run."""


class WorkerStopped(Exception):
    """The run is stopping (a signal): no more requests, no restarts."""


class WorkerHandle:
    def __init__(self, impl_id: str, launcher: Launcher, prepared: Prepared, mounts: Mounts,
                 hello_timeout: float = 120.0) -> None:
        self.impl_id, self.launcher, self.prepared, self.mounts = impl_id, launcher, prepared, mounts
        self.hello_timeout = hello_timeout  # the first start only: it may build caches, pull a JVM...
        self._ids = itertools.count(1)
        self.channel: Channel | None = None
        self.hello: dict[str, Any] = {}
        # Codecs the worker's hello says are unusable here; one dict, updated in place by every start,
        # so a first start deferred to the first cell still informs the cells after it.
        self.disabled: dict[str, str] = {}
        self.restarts = 0
        self.start_failures = 0  # in a row
        self.last_failure = ""
        # A failure of the first start, charged to the first cell (one fault, one cell), see `defer`.
        self._deferred: Exception | None = None
        self._stopping = threading.Event()
        # The largest resident memory any of its processes reached, over every start (bytes; None: unknown).
        self.peak_rss: int | None = None

    def start(self, timeout: float | None = None) -> dict[str, Any]:
        """Start the worker and ask hello; on any failure the worker is gone and the error says so."""
        if self._stopping.is_set():
            raise WorkerStopped(f"{self.impl_id}: the run is stopping")
        what = "starting" if self.restarts == 0 else "restarting"
        try:
            self.channel = self.launcher.start(self.prepared, self.mounts)
        except Exception as e:  # whatever the launcher's machinery raises (docker's API errors, OSError)
            self.start_failures += 1
            self.last_failure = f"could not start the worker: {type(e).__name__}: {e}"
            raise WorkerStartFailed(self.last_failure) from e
        try:
            if self._stopping.is_set():  # aborted while the launcher was starting it
                self._kill()
                raise WorkerStopped(f"{self.impl_id}: the run is stopping")
            hello = self._exchange({"op": "hello"}, timeout or self.hello_timeout)
            self._check_hello(hello)
        except (WorkerCrashed, WorkerTimedOut, WorkerProtocolError) as e:
            self._kill()
            self.start_failures += 1
            self.last_failure = f"while {what} the worker (hello): {e}"
            raise type(e)(self.last_failure) from None
        self.start_failures = 0
        self.hello = hello
        self.disabled.clear()
        self.disabled.update(hello.get("disabled") or {})
        return hello

    def _check_hello(self, hello: dict[str, Any]) -> None:
        if not hello.get("ok"):
            raise WorkerIncompatible(f"{self.impl_id}: hello failed: {hello}")
        if hello.get("protocol") != PROTOCOL_VERSION:
            raise WorkerIncompatible(f"{self.impl_id}: the worker speaks protocol {hello.get('protocol')!r}, "
                                     f"the harness {PROTOCOL_VERSION}: rebuild or update the adapter")

    def defer(self, failure: Exception) -> None:
        """Keep a failed first start for the first cell to report, instead of the implementation."""
        self._deferred = failure

    def restart(self, timeout: float | None = None) -> None:
        self._kill()
        self.restarts += 1
        log.info("restarting worker %s (restart %d)", self.impl_id, self.restarts)
        self.start(timeout)

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """One request and its reply within `timeout` s (a restart first, if the worker is gone, with
        its hello bounded by the same timeout)."""
        if self._stopping.is_set():
            raise WorkerStopped(f"{self.impl_id}: the run is stopping")
        if self._deferred is not None:
            failure, self._deferred = self._deferred, None
            raise failure
        if self.channel is None or self.channel.exit_code() is not None:
            if self.start_failures >= MAX_START_FAILURES:
                raise WorkerGaveUp(f"the worker failed to start {self.start_failures} times in a row; "
                                   f"not trying again this run. Last: {self.last_failure}")
            self.restart(timeout)
        return self._exchange(payload, timeout)

    def _exchange(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        channel = self.channel
        if channel is None:
            raise WorkerStopped(f"{self.impl_id}: the worker was stopped")
        rid = next(self._ids)
        try:
            channel.send((json.dumps({"id": rid, **payload}) + "\n").encode())
        except (BrokenPipeError, OSError) as e:
            raise WorkerCrashed(self._died(channel, f"could not send the request ({e})")) from None
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = channel.lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                self._kill(channel)
                raise WorkerTimedOut(f"no reply within {timeout:g} s; worker killed") from None
            if line is None:  # the stdout pump saw end of file: the worker is gone
                raise WorkerCrashed(self._died(channel, "worker exited"))
            if not line.endswith(b"\n") and len(line) < MAX_LINE_BYTES:  # cut off by the end of the stream
                raise WorkerCrashed(self._died(channel, f"worker exited in the middle of a reply ({len(line)} "
                                                        f"bytes: {line[:80]!r})"))
            try:
                reply = self._parse(line)
            except WorkerProtocolError:
                self._kill(channel)  # its stream is out of step: the next request gets a fresh worker
                raise
            if reply.get("id") == rid:
                return reply
            log.warning("%s: dropping a stale reply %s", self.impl_id, str(reply)[:200])

    def _died(self, channel: Channel, what: str) -> str:
        code = None
        for _ in range(50):  # the process may take a moment to be reaped after closing stdout
            code = channel.exit_code()
            if code is not None:
                break
            time.sleep(0.01)
        # The last words (an abort message, a traceback) may still be on their way through the pipe.
        channel.stderr_closed.wait(timeout=2.0)
        tail = channel.stderr_tail()
        self._kill(channel)
        return f"{what} ({_exit_text(code)})" + (f"; stderr tail:\n{tail}" if tail else "")

    def _parse(self, line: bytes) -> dict[str, Any]:
        if len(line) >= MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise WorkerProtocolError(f"{self.impl_id}: a reply line longer than {MAX_LINE_BYTES} bytes")
        try:
            reply = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise WorkerProtocolError(f"{self.impl_id}: not a JSON reply ({e}): {line[:300]!r}") from None
        if not isinstance(reply, dict) or "ok" not in reply:
            raise WorkerProtocolError(f"{self.impl_id}: reply without 'ok': {line[:300]!r}")
        return reply

    def _kill(self, channel: Channel | None = None) -> None:
        """Kill `channel` (default: the current one) and forget it if it is still the current one."""
        channel = channel or self.channel
        if channel is None:
            return
        if self.channel is channel:
            self.channel = None
        self._note_peak(channel)
        channel.kill()

    def abort(self) -> None:
        """From another thread, on a signal: no more restarts; kill the worker, so a request waiting on
        it returns at once."""
        self._stopping.set()
        self._kill()

    def _note_peak(self, channel: Channel) -> None:
        try:
            found = channel.peak_rss()
        except Exception as e:  # noqa: BLE001 -- a measurement, never a reason for a stop to fail
            log.debug("%s: peak RSS not read: %s", self.impl_id, e)
            return
        if found is not None:
            self.peak_rss = max(self.peak_rss or 0, found)

    def stop(self, graceful: bool = True) -> None:
        channel, self.channel = self.channel, None
        if channel is None:
            return
        self._note_peak(channel)  # while it still runs: a worker that exited has no /proc entry left
        if graceful and channel.exit_code() is None:
            try:
                channel.send(b'{"id": 0, "op": "shutdown"}\n')
                deadline = time.monotonic() + 5
                while channel.exit_code() is None and time.monotonic() < deadline:
                    time.sleep(0.02)
            except OSError:
                pass
        channel.kill()


def _exit_text(code: int | None) -> str:
    if code is None:
        return "exit code unknown"
    if code < 0:  # killed by a signal (a subprocess); containers report 128 + the signal instead
        try:
            return f"exit code {code}, {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"
