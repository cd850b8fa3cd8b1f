"""Finds Python interpreters on this machine (pyenv versions, PATH), newest first."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path


def _version_of(python: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:3])"], capture_output=True,
                             text=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return tuple(int(x) for x in out.stdout.split()) if out.returncode == 0 else None


def _candidates() -> list[str]:
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    found = [sys.executable, *sorted(glob.glob(f"{pyenv_root}/versions/3.*/bin/python3"))]
    for minor in range(10, 20):
        exe = shutil.which(f"python3.{minor}")
        if exe:
            found.append(exe)
    return list(dict.fromkeys(os.path.realpath(p) for p in found if os.path.exists(p)))


@cache
def interpreters() -> list[tuple[tuple[int, ...], str]]:
    found = [(v, p) for p in _candidates() if (v := _version_of(p))]
    return sorted(found, reverse=True)


def find_python(requirement: str) -> tuple[str, tuple[int, ...]]:
    """The newest interpreter satisfying `requirement`: ">=3.12", "==3.11", "<3.13" or "" (any)."""
    match = re.fullmatch(r"\s*(>=|==|<|)\s*(\d+)\.(\d+)\s*", requirement or ">=3.0")
    if not match:
        raise ValueError(f"Expected a Python requirement like '>=3.12'. Got {requirement!r} instead.")
    op, want = match.group(1) or ">=", (int(match.group(2)), int(match.group(3)))
    for version, path in interpreters():
        minor = version[:2]
        if (op == ">=" and minor >= want) or (op == "==" and minor == want) or (op == "<" and minor < want):
            return path, version
    raise LookupError(f"no Python {requirement} on this machine; found {[v for v, _ in interpreters()]}")
