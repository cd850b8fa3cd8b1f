"""The one way the harness runs a build command: argv list, no shell, a timeout, a useful error."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

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


# A build prepared this recently may be in use by another checkout's run (two versions of the harness
# side by side): removing it would turn that run's cells into errors. Every prepare rewrites the
# build's `.lock` (base.build_lock), so its mtime says when the build was last asked for.
KEEP_RECENTLY_USED_SECONDS = 24 * 3600


def prune_older(current: Path, now: float | None = None) -> None:
    """Remove the other builds of the same environment (`<id>-<hash>` beside `current`) not prepared
    in the last day: a changed manifest leaves the old venv or jar behind, hundreds of MB each."""
    prefix = current.name.rsplit("-", 1)[0] + "-"
    now = time.time() if now is None else now
    for other in current.parent.glob(prefix + "*"):
        suffix = other.name[len(prefix):]
        if other == current or "-" in suffix or other.suffix in (".lock", ".log"):
            continue  # another adapter whose id extends this one's, or bookkeeping files
        lock = other.with_suffix(".lock")
        if lock.exists() and now - lock.stat().st_mtime < KEEP_RECENTLY_USED_SECONDS:
            continue
        log.info("removing the older environment %s", other)
        shutil.rmtree(other, ignore_errors=True)
        for extra in (other.with_suffix(".log"), other.with_suffix(".lock")):
            extra.unlink(missing_ok=True)


def content_hash(files: Iterable[Path], *extra: str) -> str:
    """Hash of the files' bytes and of `extra` strings: the key an environment is cached under."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        h.update(item.encode() + b"\0")
    return h.hexdigest()[:16]
