"""Python implementations, each in its own venv built with uv from pinned requirements.

A venv is keyed by the hash of its requirements file and interpreter version (and of the source given
with --impl-source / --impl ID@VERSION, which replaces the pin of spec.environment["package"]), built
once and reused until either changes. uv resolves and installs from PyPI far faster than pip."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sysconfig
from pathlib import Path

from zarr_conformance.adapters.launchers.base import Launcher, Prepared, build_lock, worker_memory_mb
from zarr_conformance.adapters.launchers.commands import content_hash, mark_in_use, prune_older, run_command
from zarr_conformance.adapters.launchers.interpreters import find_python
from zarr_conformance.adapters.launchers.python import worker_env
from zarr_conformance.adapters.sources import source_of
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import EnvironmentBuildError

log = logging.getLogger(__name__)
READY = ".zc-ready"
# Address space, not resident memory: thread stacks and allocator arenas reserve far more than they use.
PYTHON_WORKER_MB = 8192


# Environments are prepared in threads, and find_uv_bin reads sysconfig, whose lazy first fill of its
# config variables is not thread-safe: a second thread can see EXE as None ("can only concatenate str
# (not NoneType)", seen on a cold cache). Filled once here, at import, on one thread.
sysconfig.get_config_vars()


def uv_binary() -> str:
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if not found:
            raise EnvironmentBuildError("uv not found: pip install uv (a dependency of zarr-conformance)") from None
        return found


def _name(line: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line.split("#", 1)[0])
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else ""


def with_requirement(text: str, package: str, requirement: str) -> str:
    """requirements.txt with `package`'s line replaced by `requirement` (appended when it has none)."""
    lines = [line for line in text.splitlines() if _name(line) != _name(package)]
    return "\n".join([*lines, requirement]) + "\n"


class VenvLauncher(Launcher):
    name = "venv"

    def prepare(self, spec: AdapterSpec, cache: Path) -> Prepared:
        assert spec.folder is not None
        requirements = spec.folder / spec.environment.get("requirements", "requirements.txt")
        python, version = find_python(spec.environment.get("python", ""))
        version_text = ".".join(map(str, version))
        source = source_of(spec)
        text = requirements.read_text()
        name = spec.id
        if source is not None:  # keyed on the source's content; builds of other sources are left alone
            text = with_requirement(text, spec.environment["package"], source.requirement(spec.environment["package"]))
            name = f"{spec.id}~{source.identity}"
        key = content_hash([requirements], version_text, *([source.fingerprint] if source else []))
        venv = cache / "envs" / f"{name}-{key}"
        with build_lock(venv.with_suffix(".lock")):
            mark_in_use(venv)  # before any pruning: no other run removes it while this one runs
            if not (venv / READY).exists():
                self._build(venv, python, text, spec.environment.get("package") if source else None)
                prune_older(venv)
        detail = f"venv {venv.name}" + (f", source {source.label()}" if source else "")
        return Prepared(launcher=self.name, argv=(str(venv / "bin" / "python"), str(spec.folder / spec.worker[0]),
                                                  *spec.worker[1:]),
                        env=worker_env(), detail=detail, environment=(venv,),
                        memory_limit_mb=worker_memory_mb(PYTHON_WORKER_MB))

    def _build(self, venv: Path, python: str, requirements_text: str, rebuilt: str | None = None) -> None:
        if venv.exists():
            shutil.rmtree(venv)  # a half-built venv from an interrupted build
        log_file = venv.with_suffix(".log")
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(venv)}
        uv = uv_binary()
        run_command([uv, "venv", "--quiet", "--python", python, str(venv)], timeout=300, log_file=log_file, env=env)
        requirements = venv / "zc-requirements.txt"
        requirements.write_text(requirements_text)
        # uv reuses a wheel it built from a local folder until its pyproject.toml changes: a source is
        # rebuilt from what it holds now.
        fresh = ["--refresh-package", rebuilt, "--reinstall-package", rebuilt] if rebuilt else []
        run_command([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), *fresh,
                     "-r", str(requirements)], timeout=1200, log_file=log_file, env=env)
        (venv / READY).write_text(requirements_text)
        log.info("built venv %s", venv)


LAUNCHER = VenvLauncher
