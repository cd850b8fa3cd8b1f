"""The package as pip builds it: a wheel that carries everything `run` needs from any folder (every
adapter's files whatever their kind, expectations, the report template and schema), and a
non-editable install from the repository that runs."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from zarr_conformance.adapters.launchers.venv import uv_binary

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "zarr_conformance"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([uv_binary(), "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)], check=True,
                   timeout=600, env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    (found,) = out.glob("zarr_conformance-*.whl")
    return found


def _package_files() -> set[str]:
    """Every file of the package in this checkout that git would keep (tracked or new, not ignored)."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                             "src/zarr_conformance"], check=True, capture_output=True).stdout
    files = {p.decode() for p in listed.split(b"\0") if p}
    return {f.removeprefix("src/") for f in files if (ROOT / f).is_file() and "/tests/" not in f}


def test_the_wheel_carries_adapters_expectations_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(_package_files() - names)
    assert not missing, f"not in the wheel: {missing[:20]}"
    kinds = {Path(n).suffix or Path(n).name for n in names if n.startswith("zarr_conformance/adapters/")}
    assert {".py", ".java", ".txt", ".xml", "Dockerfile"} <= kinds  # workers, pinned requirements, poms
    assert "zarr_conformance/reports/templates/report.html.j2" in names
    assert "zarr_conformance/reports/results.schema.json" in names
    expectations = {Path(n).name for n in names if n.startswith("zarr_conformance/expectations/")}
    assert expectations == {p.name for p in (ROOT / "expectations").glob("*.toml")}
    assert not [n for n in names if "/target/" in n or "/node_modules/" in n or "__pycache__" in n]


@pytest.mark.slow
def test_a_non_editable_install_runs_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    uv = uv_binary()
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("PYTHONPATH", None)
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env, timeout=300)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(ROOT)],
                   check=True, env=env, timeout=900)
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = subprocess.run([str(venv / "bin" / "zarr-conformance"), "run", "--impl", "reference", "--kind", "read",
                           "-k", "v3/sharding*", "--out", "r"], cwd=work, env={**env, "CI": "1"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no expectations folder found" not in done.stderr  # the installed package's own
    assert (work / "r" / "index.html").is_file() and (work / "r" / "junit.xml").is_file()
    import_path = subprocess.run([str(venv / "bin" / "python"), "-c", "import zarr_conformance; "
                                  "print(zarr_conformance.__file__)"], capture_output=True, text=True, env=env,
                                 cwd=work).stdout
    assert str(venv) in import_path  # the installed copy ran, not this checkout
