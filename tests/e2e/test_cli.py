"""The CLI as a user runs it: a real run of the reference adapter, its files, its exit code."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zarr_conformance.reports import results_json


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zarr_conformance.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "CI": "1"})


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("run")
    done = _cli("run", "--impl", "reference", "--out", str(out / "report"), cwd=out)
    return done, out / "report"


def test_run_writes_valid_results_and_report(reference_run) -> None:
    done, out = reference_run
    assert done.returncode == 0, done.stdout + done.stderr
    document = results_json.read(out / "results.json")  # validates against the schema
    statuses = {r["status"] for r in document["results"]}
    assert statuses == {"pass"}
    assert {r["kind"] for r in document["results"]} == {"read", "write", "reject"}
    assert [i["id"] for i in document["implementations"]] == ["reference"]
    assert "reference" in done.stdout and "cells" in done.stdout
    html = (out / "index.html").read_text()
    assert "<script src" not in html and "stylesheet" not in html  # self-contained
    assert html.count('data-status="pass"') >= len(document["results"]) - 1


def test_schema_refuses_a_broken_document(reference_run) -> None:
    _, out = reference_run
    document = json.loads((out / "results.json").read_text())
    document["results"][0]["status"] = "flaky"
    with pytest.raises(Exception, match="does not match its schema"):
        results_json.validate(document)


def test_narrowing_by_kind_and_pattern(tmp_path: Path) -> None:
    done = _cli("run", "--impl", "reference", "--kind", "read", "-k", "v3/sharding", "--out", "r", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document = results_json.read(tmp_path / "r" / "results.json")
    assert document["results"] and all(r["kind"] == "read" and r["fixture"].startswith("v3/sharding")
                                       for r in document["results"])


def test_unknown_implementation_is_a_clear_error(tmp_path: Path) -> None:
    done = _cli("run", "--impl", "nonesuch", cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown implementation(s) ['nonesuch']" in done.stderr


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed (apt-get install chromium)")
def test_report_renders_in_a_browser(reference_run, tmp_path: Path) -> None:
    _, out = reference_run
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (out / "index.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'id="implementations"' in dom.stdout
    assert dom.stdout.count("<details>") >= 140


def test_unwritable_output_folder_fails_before_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = _cli("run", "--impl", "reference", "--out", str(blocker / "report"), cwd=tmp_path)
    assert done.returncode == 2
    assert "cannot write the output folder" in done.stderr
    assert "fixtures:" not in done.stderr  # nothing ran


def test_expectation_file_without_reason_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "reference.toml").write_text('[[expect]]\nfixture = "x"\nstatus = "fail"\n')
    done = _cli("run", "--impl", "reference", "--expectations", "exp", "--out", "r", cwd=tmp_path)
    assert done.returncode == 2
    assert "entry 1: 'reason' is required" in done.stderr


def test_bench_times_reads_and_writes(tmp_path: Path) -> None:
    done = _cli("bench", "--impl", "reference", "-k", "v2/dtype/int32", "--repeat", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if "reference" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[0] == "reference" and float(cells[1]) > 0 and cells[2] == "2"  # int32-le and int32-be
    assert float(cells[3]) > 0 and cells[4] == "2"


def test_check_reports_every_implementation_on_a_store(tmp_path: Path) -> None:
    from zarr_conformance.fixtures import golden
    from zarr_conformance.fixtures.catalogue import by_id, catalogue
    from zarr_conformance.paths import cache_dir

    store = golden.build(catalogue(), cache_dir()).store(by_id("v2/dtype/int16-be"))
    done = _cli("check", str(store), "--impl", "reference", "--json", "v.json", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    verdicts = json.loads((tmp_path / "v.json").read_text())
    assert [(a["path"], [v["status"] for v in a["verdicts"]]) for a in verdicts] == [("data", ["agrees"])]


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed (apt-get install chromium)")
def test_report_filters_run_in_a_browser(tmp_path: Path) -> None:
    """The filter script, run by a real browser: '#status=fail' hides every row without a failure."""
    from zarr_conformance.reports import html

    document = {
        "run": {"harness_version": "0", "started_at": "s", "finished_at": "f", "platform": "p",
                "fixtures_digest": "0" * 64},
        "implementations": [{"id": i, "name": i, "version": "1", "launcher": "python", "available": True,
                             "detail": ""} for i in ("a", "b")],
        "fixtures": [{"id": f, "zarr_format": 2, "must_reject": False, "tags": {"feature": "x"}}
                     for f in ("v2/ok", "v2/broken")],
        "results": [{"kind": "read", "fixture": f, "writer": "reference", "reader": r, "status": s,
                     "expected_status": "pass", "outcome": "expected", "message": "", "duration_s": 0.0}
                    for f, r, s in (("v2/ok", "a", "pass"), ("v2/ok", "b", "pass"), ("v2/broken", "a", "pass"),
                                    ("v2/broken", "b", "fail"))],
    }
    page = tmp_path / "index.html"
    html.write(document, page)
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri() + "#status=fail"],
                         capture_output=True, text=True, timeout=120).stdout
    shown = [m.group(2) for m in re.finditer(r'<tr class="([^"]*)" data-fixture="([^"]+)"', dom)
             if "hidden" not in m.group(1)]
    assert shown == ["v2/broken"]  # the read table's row with a failure; everything else hidden
