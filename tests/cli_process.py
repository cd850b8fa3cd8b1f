"""The CLI as a background process, for tests that signal it mid-run."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


class Cli:
    """`python -m zarr_conformance.cli ...` in the background, its stderr collected line by line."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "zarr_conformance.cli", *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr: list[str] = []
        self._stdout: list[str] = []
        self._drains = [threading.Thread(target=self._drain, args=(stream, into), daemon=True)
                        for stream, into in ((self.proc.stderr, self.stderr), (self.proc.stdout, self._stdout))]
        for t in self._drains:
            t.start()

    @staticmethod
    def _drain(stream, into: list[str]) -> None:  # noqa: ANN001
        for line in stream:
            into.append(line)

    @property
    def stdout(self) -> str:
        return "".join(self._stdout)

    def wait_for(self, text: str, timeout: float) -> None:
        __tracebackhide__ = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.stderr):
                return
            if self.proc.poll() is not None:
                pytest.fail(f"the run ended ({self.proc.returncode}) before {text!r}:\n{''.join(self.stderr)}")
            time.sleep(0.05)
        pytest.fail(f"no {text!r} within {timeout:g} s:\n{''.join(self.stderr)}")

    def finish(self, timeout: float) -> int:
        """Wait for the end (TimeoutExpired past `timeout`) and for its output to be read to the end."""
        self.proc.wait(timeout=timeout)
        for t in self._drains:
            t.join(timeout=10)
        return self.proc.returncode
