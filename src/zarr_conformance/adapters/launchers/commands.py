"""The one way the harness runs a build command: argv list, no shell, a timeout, a useful error."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from zarr_conformance.errors import EnvironmentBuildError

log = logging.getLogger(__name__)


def run_command(argv: list[str], *, timeout: float, log_file: Path | None = None,
                env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run `argv` to completion; on failure raise with the argv, exit code and the tail of its output."""
    log.info("running %s", " ".join(argv))
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise EnvironmentBuildError(f"timed out after {timeout:.0f} s: {' '.join(argv)}") from e
    except FileNotFoundError as e:
        raise EnvironmentBuildError(f"not found: {argv[0]} (needed for: {' '.join(argv)})") from e
    output = done.stdout + done.stderr
    if log_file is not None:
        with log_file.open("a") as f:
            f.write(f"$ {' '.join(argv)}\n{output}\n")
    if done.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-25:])
        raise EnvironmentBuildError(f"exit code {done.returncode}: {' '.join(argv)}\n{tail}")
    return done.stdout


# Every process that prepares a build holds a shared lock on its `.in-use` file until it exits, so a
# build another run is using (a second checkout of the harness, an older version side by side) is never
# removed under it; an unused older build is removed at once.
_held: dict[Path, IO[str]] = {}


def mark_in_use(build: Path) -> None:
    """This process uses `build` until it exits (the lock goes with the process)."""
    if build in _held:
        return
    handle = open(build.with_suffix(".in-use"), "a")  # noqa: SIM115 -- held open on purpose
    fcntl.flock(handle, fcntl.LOCK_SH)
    _held[build] = handle


def _in_use(build: Path) -> bool:
    marker = build.with_suffix(".in-use")
    if not marker.exists():
        return False
    with open(marker, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def prune_older(current: Path) -> None:
    """Remove the other builds of the same environment (`<id>-<hash>` beside `current`) that no running
    process uses: a changed manifest leaves the old venv or jar behind, hundreds of MB each."""
    prefix = current.name.rsplit("-", 1)[0] + "-"
    for other in current.parent.glob(prefix + "*"):
        suffix = other.name[len(prefix):]
        if other == current or "-" in suffix or other.suffix in (".lock", ".log", ".in-use"):
            continue  # another adapter whose id extends this one's, or bookkeeping files
        if _in_use(other):
            log.info("keeping the older environment %s: another run is using it", other)
            continue
        log.info("removing the older environment %s", other)
        shutil.rmtree(other, ignore_errors=True)
        for extra in (other.with_suffix(".log"), other.with_suffix(".lock"), other.with_suffix(".in-use")):
            extra.unlink(missing_ok=True)


def content_hash(files: Iterable[Path], *extra: str) -> str:
    """Hash of the files' bytes and of `extra` strings: the key an environment is cached under."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        h.update(item.encode() + b"\0")
    return h.hexdigest()[:16]
