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

from zarr_conformance.reports import check_json, results_json


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
    assert f"--out {blocker / 'report'}: cannot write there: Not a directory" in done.stderr
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
    document = json.loads((tmp_path / "v.json").read_text())
    check_json.validate(document)
    [checked] = document["stores"]
    assert [(a["path"], a["kind"], [v["status"] for v in a["verdicts"]]) for a in checked["nodes"]] == [
        ("", "group", ["agrees"]), ("data", "array", ["agrees"])]
    assert (tmp_path / "v.html").read_text().count('data-status="agrees"') == 2  # the report beside the JSON
    [reader] = document["implementations"]
    assert reader["id"] == "reference" and reader["peak_rss_bytes"] > 2**20
    assert re.search(r"time [0-9.]+ s \([0-9.]+ s getting the readers ready\); peak RSS: harness \d+ MiB, "
                     r"reference \d+ MiB", done.stdout)


def test_check_over_a_folder_of_golden_stores(tmp_path: Path) -> None:
    """Three golden stores copied into one folder, a fourth broken: three checked, one error line, exit 1."""
    from zarr_conformance.fixtures import golden
    from zarr_conformance.fixtures.catalogue import by_id, catalogue
    from zarr_conformance.paths import cache_dir

    built = golden.build(catalogue(), cache_dir())
    folder = tmp_path / "stores"
    for fixture in ("v2/dtype/int16-be", "v3/dtype/float32", "v3/sharding/3d"):
        shutil.copytree(built.store(by_id(fixture)), folder / fixture.replace("/", "-"))
    (folder / "broken" / "nested").mkdir(parents=True)
    (folder / "broken" / "nested" / "zarr.json").write_text("{")
    for path in (tmp_path, *tmp_path.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    done = _cli("check", str(folder), "--impl", "reference", "--out", "out", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    document = json.loads((tmp_path / "out" / "check.json").read_text())
    check_json.validate(document)
    assert document["run"]["found"] == {str(folder): 4}
    errors = {s["path"]: s["error"] for s in document["stores"] if s["error"]}
    broken = str(folder / "broken" / "nested")
    assert list(errors) == [broken] and "not valid JSON" in errors[broken]
    checked = [s for s in document["stores"] if not s["error"]]
    assert len(checked) == 3 and all(not s["failed"] and s["seconds"] > 0 for s in checked)
    page = (tmp_path / "out" / "check.html").read_text()
    assert all(f"<code>{s['path']}</code>" in page for s in document["stores"])


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


# Bad input: every verb answers one line on stderr and exit code 2, never a traceback. In-process
# (cli.main), so these cost milliseconds; nothing here gets as far as starting a worker.


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI; it must refuse with exit code 2 and exactly one line on stderr, which is returned."""
    __tracebackhide__ = True
    from zarr_conformance.cli import main

    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse's own refusals
        code = e.code
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def bad_results(tmp_path: Path) -> dict[str, Path]:
    """results.json stand-ins, each wrong in its own way, and the words the refusal must use."""
    files = {"missing": tmp_path / "nowhere.json", "folder": tmp_path / "a-folder"}
    files["folder"].mkdir()
    for name, text in (("empty", ""), ("malformed", '{"schema_version": 1,'), ("list", "[1, 2]"),
                       ("schema", '{"schema_version": 1}'), ("binary", "\udcff")):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(text, errors="surrogateescape")
    return files


WORDS = {"missing": "no such file", "folder": "a folder, not a file", "empty": "the file is empty",
         "malformed": "not valid JSON (line 1, column 22", "list": "a JSON list, not a results.json object",
         "schema": "does not match its schema at (root)", "binary": "not a text file"}


def _a_results_file(tmp_path: Path) -> Path:
    """A small valid results.json (no run needed: the schema is all that reading checks)."""
    path = tmp_path / "good.json"
    path.write_text(json.dumps({
        "schema_version": 1,
        "run": {"started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:00:01+00:00",
                "harness_version": "0", "fixtures_digest": "0" * 64, "platform": "p"},
        "implementations": [{"id": "reference", "name": "r", "version": "1", "launcher": "python",
                             "available": True, "detail": ""}],
        "fixtures": [], "results": [{"kind": "read", "fixture": "v2/x", "writer": "reference", "reader": "reference",
                                     "status": "fail", "expected_status": "pass", "outcome": "new", "message": "m",
                                     "duration_s": 0.0}]}))
    return path


@pytest.mark.parametrize("flaw", sorted(WORDS))
def test_diff_refuses_a_bad_results_file(flaw: str, bad_results, tmp_path: Path, capsys) -> None:
    good = _a_results_file(tmp_path)
    assert WORDS[flaw] in _refused(capsys, "diff", str(bad_results[flaw]), str(good))
    assert WORDS[flaw] in _refused(capsys, "diff", str(good), str(bad_results[flaw]))


@pytest.mark.parametrize("flaw", sorted(WORDS))
def test_report_refuses_a_bad_results_file(flaw: str, bad_results, tmp_path: Path, capsys) -> None:
    good = _a_results_file(tmp_path)
    assert WORDS[flaw] in _refused(capsys, "report", str(bad_results[flaw]), "--out", str(tmp_path / "r"))
    line = _refused(capsys, "report", str(good), "--baseline", str(bad_results[flaw]), "--out", str(tmp_path / "r"))
    assert line.startswith(f"zarr-conformance: error: --baseline {bad_results[flaw]}: ") and WORDS[flaw] in line


def test_report_refuses_an_unwritable_output_folder(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a folder under a regular file: unwritable even for root
    line = _refused(capsys, "report", str(_a_results_file(tmp_path)), "--out", str(blocker / "r"))
    assert line == f"zarr-conformance: error: --out {blocker / 'r'}: cannot write there: Not a directory"


@pytest.mark.parametrize("flaw", sorted(WORDS))
def test_expectations_update_refuses_a_bad_results_file(flaw: str, bad_results, tmp_path: Path, capsys) -> None:
    assert WORDS[flaw] in _refused(capsys, "expectations", "update", str(bad_results[flaw]),
                                   "--dir", str(tmp_path / "exp"))
    assert not (tmp_path / "exp").exists() or not list((tmp_path / "exp").iterdir())


def test_expectations_update_refuses_a_bad_folder_or_file(tmp_path: Path, capsys) -> None:
    good = _a_results_file(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert "--dir " in _refused(capsys, "expectations", "update", str(good), "--dir", str(blocker / "exp"))
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "reference.toml").write_text("[[expect]\nfixture =")
    line = _refused(capsys, "expectations", "update", str(good), "--dir", str(tmp_path / "exp"))
    assert "reference.toml: not valid TOML" in line


@pytest.mark.parametrize("flaw", sorted(WORDS))
def test_run_refuses_a_bad_baseline_before_running(flaw: str, bad_results, tmp_path: Path, capsys) -> None:
    line = _refused(capsys, "run", "--impl", "reference", "--baseline", str(bad_results[flaw]),
                    "--out", str(tmp_path / "r"))
    assert line.startswith(f"zarr-conformance: error: --baseline {bad_results[flaw]}: ") and WORDS[flaw] in line


def test_run_refuses_bad_arguments(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cases = {
        ("--out", str(blocker / "r")): "--out ",
        ("--timeout", "-5"): "argument --timeout: must be above zero, got -5",
        ("--timeout", "0"): "argument --timeout: must be above zero, got 0",
        ("--timeout", "soon"): "argument --timeout: expected a number, got 'soon'",
        ("--launcher", "reference=podman"): "unknown launcher 'podman'; known: ",
        ("--launcher", "nonesuch=venv"): "--launcher nonesuch=venv: no such implementation",
        ("--launcher", "zarr-python=venv"): "not among the implementations of this run",
        ("--launcher", "reference"): "--launcher expects ID=LAUNCHER, got 'reference'",
        ("-k", "v2/[dtype"): "an unclosed '[' in the glob",
        ("-k", ""): "an empty pattern",
        ("-k", "no-such-fixture-anywhere"): "no cell matches the selection (implementations reference; all kinds, "
                                            "-k 'no-such-fixture-anywhere'): nothing to run",
        ("--kind", "read", "-k", "v2/*", "-k", "write *"): "no cell matches the selection",
        ("--impl", "nonesuch"): "unknown implementation(s) ['nonesuch']",
        ("--expectations", str(tmp_path / "nowhere")): "no such folder",
    }
    for extra, words in cases.items():
        line = _refused(capsys, "run", "--impl", "reference", "--out", str(tmp_path / "r"), *extra)
        assert words in line, (extra, line)
    assert not (tmp_path / "r" / "results.json").exists()


def test_run_refuses_an_expectations_file_for_an_unknown_implementation(tmp_path: Path, capsys) -> None:
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "zarr-pyhton.toml").write_text('[[expect]]\nfixture = "x"\nstatus = "fail"\nreason = "r"\n')
    line = _refused(capsys, "run", "--impl", "reference", "--expectations", str(tmp_path / "exp"),
                    "--out", str(tmp_path / "r"))
    assert "zarr-pyhton.toml: no implementation 'zarr-pyhton' (known: " in line


def test_check_refuses_bad_input(tmp_path: Path, capsys) -> None:
    store = tmp_path / "store.zarr"
    (store / "a").mkdir(parents=True)
    (store / ".zgroup").write_text('{"zarr_format": 2}')
    (store / "a" / ".zarray").write_text('{"zarr_format": 2, "shape": [3')
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert f"{store / 'a' / '.zarray'}: not valid JSON" in _refused(capsys, "check", str(store), "--impl", "reference")
    (store / "a" / ".zarray").write_text("[]")
    assert "a JSON list, not a metadata object" in _refused(capsys, "check", str(store), "--impl", "reference")
    assert "--json " in _refused(capsys, "check", str(store), "--json", str(blocker / "v.json"))
    assert "a folder, not a file" in _refused(capsys, "check", str(store), "--json", str(tmp_path))
    assert "name the JSON file .json" in _refused(capsys, "check", str(store), "--json", str(tmp_path / "c.html"))
    assert "--json and --out: give one" in _refused(capsys, "check", str(store), "--json", "a.json", "--out", "b")
    assert "must be above zero" in _refused(capsys, "check", str(store), "--timeout", "-5")
    assert "must be above zero" in _refused(capsys, "check", str(store), "--max-megabytes", "0")
    assert "is not a folder" in _refused(capsys, "check", str(tmp_path / "nowhere"))


def test_fixtures_build_refuses_an_unwritable_cache(tmp_path: Path, capsys, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("ZARR_CONFORMANCE_CACHE", str(blocker / "cache"))
    line = _refused(capsys, "fixtures", "build")
    assert line == (f"zarr-conformance: error: the cache folder ($ZARR_CONFORMANCE_CACHE) {blocker / 'cache'}: "
                    f"cannot write there: Not a directory")
    assert "cannot write there" in _refused(capsys, "run", "--impl", "reference", "--out", str(tmp_path / "r"))


def test_bench_refuses_bad_arguments(capsys) -> None:
    for repeat in ("0", "-1"):
        assert f"argument --repeat: must be above zero, got {repeat}" in _refused(capsys, "bench", "--repeat", repeat)
    assert "argument --repeat: expected an integer, got '1.5'" in _refused(capsys, "bench", "--repeat", "1.5")
    assert "no cell matches the selection" in _refused(capsys, "bench", "--impl", "reference", "-k", "zzz-nothing")
    assert "an unclosed '['" in _refused(capsys, "bench", "--impl", "reference", "-k", "[zzz")


def test_a_usage_error_is_one_line(capsys) -> None:
    assert _refused(capsys, "run", "--kind", "sideways").startswith("zarr-conformance run: error: argument --kind")
    assert "invalid choice" in _refused(capsys, "frobnicate")
