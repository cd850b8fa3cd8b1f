"""`run --impl ID@VERSION` and `--impl-source` as a maintainer uses them: real builds of zarr-python 2
(a released version from PyPI, a local checkout, a git repository), the version the worker says in
hello, and a rebuild exactly when the source's content changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from zarr_conformance.paths import cache_dir

NARROW = ("--kind", "read", "-k", "v2/dtype/int32*", "--no-progress")


def _run(cwd: Path, out: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "zarr_conformance.cli", "run", *args, *NARROW, "--out", out],
                          cwd=cwd, capture_output=True, text=True, timeout=900, env={**os.environ, "CI": "1"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    document = json.loads((cwd / out / "results.json").read_text())
    (impl,) = document["implementations"]
    assert impl["available"], impl["detail"]
    assert {r["status"] for r in document["results"]} == {"pass"}
    impl["stderr"] = done.stderr
    return impl


def _venv(impl: dict) -> Path:
    name = next(part.split()[1] for part in impl["detail"].replace(";", ",").split(",")
                if part.strip().startswith("venv "))
    return cache_dir() / "envs" / name


def test_a_released_version_replaces_the_pin(tmp_path: Path) -> None:
    impl = _run(tmp_path, "r", "--impl", "zarr-python-2@2.18.6")  # pinned: 2.18.7
    assert impl["version"] == "2.18.6"  # what the worker's hello says zarr.__version__ is
    assert impl["source"] == "version 2.18.6"
    assert "from version 2.18.6" in impl["stderr"]
    ready = _venv(impl) / ".zc-ready"
    assert "zarr==2.18.6" in ready.read_text().splitlines()
    built = ready.stat().st_mtime_ns
    again = _run(tmp_path, "r2", "--impl", "zarr-python-2@2.18.6")
    assert _venv(again) == _venv(impl) and ready.stat().st_mtime_ns == built  # not rebuilt


@pytest.fixture(scope="module")
def zarr2_sdist(request: pytest.FixtureRequest) -> Path:
    """zarr 2.18.7's source distribution from PyPI (downloaded once, kept in pytest's cache)."""
    folder = Path(request.config.cache.mkdir("zarr-2.18.7-sdist"))
    found = list(folder.glob("zarr-2.18.7.tar.gz"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:", "--no-deps",
                        "zarr==2.18.7", "-d", str(folder)], check=True, timeout=600)
    return folder / "zarr-2.18.7.tar.gz"


def _unpack(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as tar:
        tar.extractall(into, filter="data")
    return into / "zarr-2.18.7"


@pytest.mark.slow
def test_a_local_checkout_rebuilds_only_when_it_changes(zarr2_sdist: Path, tmp_path: Path) -> None:
    checkout = _unpack(zarr2_sdist, tmp_path)
    # A work tree as upstream's: the version file setuptools_scm writes at build time is ignored (else
    # the first build changes the folder's content once).
    (checkout / ".gitignore").write_text("zarr/version.py\nbuild/\n*.egg-info/\n")
    git = ["git", "-C", str(checkout), "-c", f"safe.directory={checkout}", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "2.18.7"], check=True)
    subprocess.run([*git, "tag", "v2.18.7"], check=True)  # setuptools_scm's version: 2.18.7
    first = _run(tmp_path, "a", "--impl", "zarr-python-2", "--impl-source", f"zarr-python-2={checkout}")
    assert first["version"] == "2.18.7" and first["source"].startswith(f"folder {checkout} (content ")
    venv = _venv(first)
    built = (venv / ".zc-ready").stat().st_mtime_ns
    same = _run(tmp_path, "b", "--impl", "zarr-python-2", "--impl-source", f"zarr-python-2={checkout}")
    assert _venv(same) == venv and (venv / ".zc-ready").stat().st_mtime_ns == built  # unchanged: no rebuild
    init = checkout / "zarr" / "__init__.py"
    init.write_text(init.read_text() + "\nZC_LOCAL_CHANGE = True\n")
    changed = _run(tmp_path, "c", "--impl", "zarr-python-2", "--impl-source", f"zarr-python-2={checkout}")
    assert _venv(changed) != venv and changed["source"] != first["source"]
    installed = next(_venv(changed).glob("lib/python3*/site-packages/zarr/__init__.py"))
    assert "ZC_LOCAL_CHANGE = True" in installed.read_text()  # the change is what runs
    assert not venv.exists()  # the superseded build of the same checkout is pruned


@pytest.mark.slow
def test_a_git_repository_is_built_at_its_commit(zarr2_sdist: Path, tmp_path: Path) -> None:
    repo = _unpack(zarr2_sdist, tmp_path)
    git = ["git", "-C", str(repo), "-c", f"safe.directory={repo}", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "a checkout"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    impl = _run(tmp_path, "g", "--impl", "zarr-python-2", "--impl-source", f"zarr-python-2=git+{repo.as_uri()}")
    assert impl["source"] == f"git git+{repo.as_uri()}@{commit}"
    assert impl["version"].startswith("0.1.dev1")  # setuptools_scm's version of an untagged commit
