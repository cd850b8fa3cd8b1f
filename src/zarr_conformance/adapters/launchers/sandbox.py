"""The sandbox of host workers: bubblewrap (Debian's `bubblewrap` package), so that a reader that follows
a hostile store out of itself finds nothing of the host's.

Inside: the system folders (/usr, /etc and the /bin, /lib links) and the worker's own environment
(interpreter, venv, jar, adapter folder) read-only, the golden stores read-only, the run's scratch folder
the only writable place besides a private /tmp; no network, its own pid/ipc/uts namespaces, a minimal
/dev and /proc; never root: as root the worker runs as nobody (65534), otherwise as the invoking user.

$ZARR_CONFORMANCE_SANDBOX: `auto` (default: use it when it can run, else say so loudly in every
implementation's detail), `require` (a worker that cannot be sandboxed does not start), `off`.

--die-with-parent: a worker dies with the harness, even one that never reads its stdin again. Linux
sends that signal when the *thread* that started bwrap ends, so sandboxed workers are started from
SPAWNER's one thread, which lives as long as the harness (workers are readied from a thread pool)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from zarr_conformance.errors import HarnessError

log = logging.getLogger(__name__)
ENV = "ZARR_CONFORMANCE_SANDBOX"
MODES = ("auto", "require", "off")
NOBODY = 65534
SYSTEM = ("/usr", "/etc", "/opt")
LINKED_OR_BOUND = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")  # links into /usr on merged-/usr
PACKAGE_ROOT = Path(__file__).parents[3]  # the folder holding zarr_conformance: worker kits and adapters
SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zc-sandbox-spawner")


class SandboxUnavailable(HarnessError, RuntimeError):
    """$ZARR_CONFORMANCE_SANDBOX=require and bwrap cannot run here, or the variable makes no sense."""


def mode() -> str:
    """$ZARR_CONFORMANCE_SANDBOX, checked: runs and `check` call it first, so a typo stops them at once."""
    value = os.environ.get(ENV, "auto").strip().lower() or "auto"
    if value not in MODES:
        raise SandboxUnavailable(f"${ENV} must be one of {', '.join(MODES)}, got {value!r}")
    return value


def identity() -> tuple[int, int]:
    """Who workers run as: never root."""
    if os.geteuid() == 0:
        return NOBODY, NOBODY
    return os.getuid(), os.getgid()


@cache
def unavailable() -> str | None:
    """Why bwrap cannot run here (None when it can): tried once per process with a trivial command."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bwrap not installed (Debian: apt-get install bubblewrap)"
    try:
        done = subprocess.run(command(["/bin/true"], read_only=(), read_write=()), capture_output=True,
                              text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap cannot run: {e}"
    if done.returncode != 0:
        return f"bwrap cannot run here (user namespaces or mounts refused?): {done.stderr.strip()[-300:]}"
    return None


def describe() -> str:
    """One line for every implementation's detail: is this worker confined, and how."""
    if mode() == "off":
        return f"NOT SANDBOXED (${ENV}=off)"
    why = unavailable()
    if why:
        return f"NOT SANDBOXED: {why}"
    uid, _ = identity()
    return f"sandbox: bwrap, uid {uid}, no network, store read-only"


def active() -> bool:
    """Whether workers are wrapped; raises when the sandbox is required and cannot run."""
    if mode() == "off":
        return False
    why = unavailable()
    if why and mode() == "require":
        raise SandboxUnavailable(f"${ENV}=require but {why}")
    if why:
        _warn_once(why)
    return why is None


@cache
def _warn_once(why: str) -> None:
    log.warning("workers run WITHOUT a sandbox: %s (set $%s=require to refuse that)", why, ENV)


def environment_of(argv: Iterable[str], env: dict[str, str], cwd: Path | None) -> list[Path]:
    """The folders a worker needs to see (read-only), found from how it is started: its interpreter's
    installation, the folders of the files it is given, $PYTHONPATH, its working folder, this package."""
    found: list[Path] = [PACKAGE_ROOT]
    argv = list(argv)
    if argv and os.path.isabs(argv[0]):
        real = Path(os.path.realpath(argv[0]))
        found.append(real.parents[1] if len(real.parents) > 1 else real.parent)  # <prefix>/bin/python
    for arg in argv:
        for part in arg.split("=", 1)[-1].split(os.pathsep):  # -Dx=/path, -cp a:b
            if os.path.isabs(part) and os.path.exists(part):
                found.append(Path(part) if os.path.isdir(part) else Path(part).parent)
    found += [Path(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if os.path.isabs(p) and os.path.isdir(p)]
    if cwd is not None:
        found.append(Path(cwd))
    if sys.prefix and os.path.isdir(sys.prefix):  # the harness's own interpreter (the reference worker)
        found += [Path(sys.prefix), Path(sys.base_prefix)]
    return found


def command(argv: list[str], read_only: Iterable[Path], read_write: Iterable[Path],
            cwd: Path | None = None) -> list[str]:
    """`argv` wrapped in bwrap with the given folders bound (the same path inside as outside)."""
    uid, gid = identity()
    args = ["bwrap", "--die-with-parent", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try"]
    if os.geteuid() != 0:
        args += ["--unshare-user", "--uid", str(uid), "--gid", str(gid)]
    for system in SYSTEM:
        if os.path.isdir(system):
            args += ["--ro-bind", system, system]
    for name in LINKED_OR_BOUND:
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
    binds = [*(("--ro-bind", f) for f in _outermost(read_only)), *(("--bind", f) for f in _outermost(read_write))]
    # bwrap makes the folders leading to a bind private (0700): nobody could not pass through them.
    # Those inside another bind exist already (the host's); / and the fresh /tmp too.
    bound = [f for _, f in binds] + [Path(f) for f in SYSTEM]
    leading = {a for _, f in binds for a in f.parents
               if a not in (Path("/"), Path("/tmp")) and not any(a.is_relative_to(b) for b in bound)}
    for way in sorted(leading, key=lambda f: len(f.parts)):
        args += ["--perms", "0755", "--dir", str(way)]
    for option, folder in sorted(binds, key=lambda b: len(b[1].parts)):  # outer folders first
        args += [option, str(folder), str(folder)]
    args += ["--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--chdir", str(cwd or "/tmp")]
    if os.geteuid() == 0:  # bwrap as root sets up the mounts; the worker itself gives up root for good
        args += ["--", shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={gid}",
                 "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    return [*args, "--", *argv]


def _outermost(folders: Iterable[Path]) -> list[Path]:
    """Existing folders (absolute), minus those inside another one (bound once, with the outer one)."""
    unique = sorted({Path(os.path.abspath(f)) for f in folders if os.path.isdir(f)})
    return [f for f in unique if not any(f != o and f.is_relative_to(o) for o in unique)]


def writable_dir(path: Path, top: Path) -> Path:
    """Create folder `path` (below `top`) so that the sandboxed worker may write in it: as root, the
    worker is nobody, so every folder from `top` down to `path` becomes nobody's."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        uid, gid = identity()
        for folder in (path, *path.parents):
            if not folder.is_relative_to(top):
                break
            os.chown(folder, uid, gid)
    return path
