"""The runner's handle on one implementation's long-lived worker: requests with deadlines, crash and
hang detection, restart. A dead or stuck worker costs the cell it was on, never the run."""

from __future__ import annotations

import itertools
import json
import logging
import queue
import time
from typing import Any

from zarr_conformance.adapters.launchers.base import Channel, Launcher, Mounts, Prepared

log = logging.getLogger(__name__)
PROTOCOL_VERSION = 1  # docs/protocol.md: a worker's hello must carry the same number


class WorkerCrashed(Exception):
    """The worker exited (or closed its stdout) before answering."""


class WorkerTimedOut(Exception):
    """The worker did not answer before the deadline; it has been killed."""


class WorkerProtocolError(Exception):
    """The worker answered something that is not a protocol reply (a harness-side or adapter bug)."""


class WorkerHandle:
    def __init__(self, impl_id: str, launcher: Launcher, prepared: Prepared, mounts: Mounts,
                 hello_timeout: float = 120.0) -> None:
        self.impl_id, self.launcher, self.prepared, self.mounts = impl_id, launcher, prepared, mounts
        self.hello_timeout = hello_timeout
        self._ids = itertools.count(1)
        self.channel: Channel | None = None
        self.hello: dict[str, Any] = {}
        self.restarts = 0

    def start(self) -> dict[str, Any]:
        self.channel = self.launcher.start(self.prepared, self.mounts)
        self.hello = self.request({"op": "hello"}, self.hello_timeout)
        if not self.hello.get("ok"):
            raise WorkerProtocolError(f"{self.impl_id}: hello failed: {self.hello}")
        if self.hello.get("protocol") != PROTOCOL_VERSION:
            raise WorkerProtocolError(f"{self.impl_id}: the worker speaks protocol {self.hello.get('protocol')!r}, "
                                      f"the harness {PROTOCOL_VERSION}: rebuild or update the adapter")
        return self.hello

    def restart(self) -> None:
        self.stop(graceful=False)
        self.restarts += 1
        log.info("restarting worker %s (restart %d)", self.impl_id, self.restarts)
        self.start()

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        if self.channel is None or self.channel.exit_code() is not None:
            self.restart()
        channel = self.channel
        assert channel is not None
        rid = next(self._ids)
        try:
            channel.send((json.dumps({"id": rid, **payload}) + "\n").encode())
        except (BrokenPipeError, OSError) as e:
            raise WorkerCrashed(self._died(f"could not send the request ({e})")) from None
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = channel.lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                channel.kill()
                self.channel = None
                raise WorkerTimedOut(f"no reply within {timeout:g} s; worker killed") from None
            if line is None:  # the stdout pump saw end of file: the worker is gone
                raise WorkerCrashed(self._died("worker exited"))
            reply = self._parse(line)
            if reply.get("id") == rid:
                return reply
            log.warning("%s: dropping a stale reply %s", self.impl_id, str(reply)[:200])

    def _died(self, what: str) -> str:
        channel = self.channel
        assert channel is not None
        code = None
        for _ in range(50):  # the process may take a moment to be reaped after closing stdout
            code = channel.exit_code()
            if code is not None:
                break
            time.sleep(0.01)
        # The last words (an abort message, a traceback) may still be on their way through the pipe.
        channel.stderr_closed.wait(timeout=2.0)
        tail = channel.stderr_tail()
        channel.kill()
        self.channel = None
        return f"{what} (exit code {code})" + (f"; stderr tail:\n{tail}" if tail else "")

    def _parse(self, line: bytes) -> dict[str, Any]:
        try:
            reply = json.loads(line)
        except json.JSONDecodeError as e:
            raise WorkerProtocolError(f"{self.impl_id}: not a JSON reply ({e}): {line[:300]!r}") from None
        if not isinstance(reply, dict) or "ok" not in reply:
            raise WorkerProtocolError(f"{self.impl_id}: reply without 'ok': {line[:300]!r}")
        return reply

    def stop(self, graceful: bool = True) -> None:
        channel, self.channel = self.channel, None
        if channel is None:
            return
        if graceful and channel.exit_code() is None:
            try:
                channel.send(b'{"id": 0, "op": "shutdown"}\n')
                deadline = time.monotonic() + 5
                while channel.exit_code() is None and time.monotonic() < deadline:
                    time.sleep(0.02)
            except OSError:
                pass
        channel.kill()
