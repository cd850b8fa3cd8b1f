"""Stopping a run on Ctrl-C (SIGINT) or SIGTERM: the signal becomes one `Interrupted` exception in the
main thread; the runner then stops its worker threads (no more cells, no restarts), kills the
workers, removes containers and scratch, and keeps the cells that finished, marked incomplete.
The process exits 128 + the signal number (130, 143), as a shell expects."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType

log = logging.getLogger(__name__)
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal arrived. BaseException, like KeyboardInterrupt: no `except Exception` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


@dataclass(frozen=True)
class Interruption:
    """What results.json says of a run that was stopped before its end."""

    signal: str
    cells_planned: int
    cells_done: int

    @property
    def exit_code(self) -> int:
        return 128 + int(signal.Signals[self.signal])

    @property
    def reason(self) -> str:
        return f"interrupted by {self.signal} after {self.cells_done} of {self.cells_planned} cells"

    def to_dict(self) -> dict[str, object]:
        return {"reason": self.reason, "signal": self.signal, "cells_planned": self.cells_planned,
                "cells_done": self.cells_done}


def signum_of(error: BaseException) -> int:
    """The signal behind an interruption (KeyboardInterrupt is Python's own SIGINT)."""
    return error.signum if isinstance(error, Interrupted) else int(signal.SIGINT)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise Interrupted in the main thread, once: a second signal
    while the run is cleaning up is noted, not acted on, so the cleanup finishes."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may install handlers; the caller keeps Python's defaults
        return
    raised = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if raised.is_set():
            log.warning("%s received while stopping: finishing the cleanup first", signal.Signals(signum).name)
            return
        raised.set()
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
