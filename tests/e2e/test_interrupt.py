"""Ctrl-C and SIGTERM during `zarr-conformance run`, for real: the CLI in a subprocess, a worker that
hangs on one cell, a signal. The run must stop at once, with no traceback, leaving partial results
marked incomplete, the report, no worker process and no scratch folder, and exit 128 + the signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli_process import Cli
from tests.fake_adapters.faulty.specs import FOLDER
from zarr_conformance.reports import results_json

ROOT = Path(__file__).parents[2]


def plugin_site(folder: Path) -> Path:
    """A site folder that installs the hanging faulty worker as the adapter `faulty-hang`."""
    dist = folder / "zc_faulty_hang-0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zc-faulty-hang\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(
        "[zarr_conformance.adapters]\nfaulty-hang = tests.fake_adapters.faulty.hang\n")
    return folder


@pytest.fixture(scope="module")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's own cache (golden stores only: reference and faulty need no environment build), so the
    scratch folder it leaves, or not, is this run's alone."""
    return tmp_path_factory.mktemp("cache")


def _workers_alive() -> list[str]:
    """Processes running the faulty worker (a worker left behind would be one of these)."""
    mine = str(FOLDER / "worker.py").encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if entry.name.isdigit() and mine in cmdline and b"hang" in cmdline:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_and_keeps_what_ran(signum: int, private_cache: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CI": "1", "ZARR_CONFORMANCE_CACHE": str(private_cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(plugin_site(tmp_path / "site")), str(ROOT)])}
    out = tmp_path / "report"
    # The faulty worker hangs on v2/dtype/int32-le; the timeout is far beyond the test's patience.
    cli = Cli(["run", "--impl", "reference", "--impl", "faulty-hang", "--kind", "read", "-k", "v2/dtype/*",
               "--timeout", "600", "--out", str(out)], cwd=tmp_path, env=env)
    try:
        cli.wait_for("faulty-hang: ready", timeout=300)
        cli.wait_for("cells", timeout=60)  # a progress line: cells are being run
        time.sleep(2)  # the faulty worker reaches its hang; the reference's cells are done
        assert _workers_alive(), "the hanging worker should be running now"
        sent = time.monotonic()
        cli.proc.send_signal(signum)
        code = cli.finish(timeout=60)
        took = time.monotonic() - sent
    finally:
        if cli.proc.poll() is None:
            cli.proc.kill()
    stderr = "".join(cli.stderr)
    assert code == 128 + signum, stderr
    assert took < 30, f"{took:.0f} s to stop"
    assert "Traceback" not in stderr and "Traceback" not in cli.stdout, stderr
    name = signal.Signals(signum).name
    assert f"interrupted by {name}" in stderr

    document = results_json.read(out / "results.json")  # valid against the schema
    incomplete = document["incomplete"]
    assert incomplete["signal"] == name
    assert 0 < incomplete["cells_done"] < incomplete["cells_planned"]
    assert incomplete["cells_done"] == len(document["results"])
    assert {r["status"] for r in document["results"] if r["reader"] == "reference"} == {"pass"}
    # The cell cut short by the signal is not a result (it neither crashed nor timed out on its own).
    assert not [r for r in document["results"] if r["fixture"] == "v2/dtype/int32-le" and r["reader"] == "faulty-hang"]
    assert (out / "index.html").is_file()
    assert list((private_cache / "scratch").iterdir()) == []
    assert _workers_alive() == []


MATRIX = """
from zarr_conformance.pytest_plugin import check_cell

def test_read(zc_cell, zc_matrix):
    check_cell(zc_cell, zc_matrix)
"""


def test_a_signal_stops_the_pytest_plugins_run(private_cache: Path, tmp_path: Path) -> None:
    """The same through the pytest plugin: SIGTERM mid-matrix ends pytest with 143 and a partial results.json."""
    (tmp_path / "test_matrix.py").write_text(MATRIX)
    env = {**os.environ, "CI": "1", "ZARR_CONFORMANCE_CACHE": str(private_cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(plugin_site(tmp_path / "site")), str(ROOT)])}
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--zc-impl", "faulty-hang",
                             "--zc-impl", "reference", "-k", "v2/dtype", "--zc-timeout", "600", "--zc-out",
                             str(tmp_path / "out"), "test_matrix.py"], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while not _workers_alive() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(3)  # the faulty worker reaches its hang
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, output
    assert "Traceback" not in output, output
    assert "interrupted by SIGTERM" in output
    document = results_json.read(tmp_path / "out" / "results.json")
    assert document["incomplete"]["signal"] == "SIGTERM"
    assert list((private_cache / "scratch").iterdir()) == []
    assert _workers_alive() == []
