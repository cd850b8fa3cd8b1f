"""The report's answers, checked in a real browser (Debian's chromium, headless, from disk, no network):
the view per implementation, why a cell is expected, who is to blame for a roundtrip failure, where
implementations really disagree, filters on every table, and the page without scripts. Also the other
outputs made from the same document: junit.xml and summary.md."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from zarr_conformance.reports import html, junit, surprises

SCRATCH = "/root/.cache/zarr-conformance/scratch/run-abc123/"
ISSUE = "https://github.com/example/lib/issues/1"
chromium = pytest.mark.skipif(not shutil.which("chromium"),
                              reason="Debian chromium not installed (apt-get install chromium)")


def _r(kind: str, fixture: str, writer: str, reader: str | None, status: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "fixture": fixture, "writer": writer, "reader": reader, "status": status,
            "expected_status": status, "outcome": "expected", "message": "", "duration_s": 0.01, **extra}


def document() -> dict[str, Any]:
    same_wrong = {"message": "values differ", "differences": ["values: 4 of 4 differ"], "defect": "values"}
    results = [
        _r("read", "v2/x/agree", "reference", "a", "pass"), _r("read", "v2/x/agree", "reference", "b", "pass"),
        _r("read", "v2/x/differ", "reference", "a", "pass"),
        _r("read", "v2/x/differ", "reference", "b", "fail", **same_wrong),
        _r("read", "v2/x/err-unsup", "reference", "a", "error", message="refused"),
        _r("read", "v2/x/err-unsup", "reference", "b", "unsupported"),
        _r("read", "v2/x/pass-err", "reference", "a", "pass"),
        _r("read", "v2/x/pass-err", "reference", "b", "error", message="cannot open"),
        _r("read", "v2/y/scratch", "reference", "a", "fail", expected_status="fail", defect="values",
           message=f"{SCRATCH}w/store.zarr: bad chunk\n" + "{" + "x" * 2000 + "}",
           expectation={"reason": "known bug: chunks read in the wrong order", "issue": ISSUE,
                        "documented": "docs/limits.md"}),
        _r("read", "v2/y/scratch", "reference", "b", "pass"),
        _r("write", "v2/x/agree", "w", None, "fail", message="the reference decoder rejects the store"),
        _r("write", "v2/x/differ", "w", None, "pass"),
        _r("roundtrip", "v2/x/agree", "w", "reference", "fail", **same_wrong),
        _r("roundtrip", "v2/x/agree", "w", "a", "fail", **same_wrong),
        _r("roundtrip", "v2/x/agree", "w", "b", "fail", **same_wrong),
        _r("roundtrip", "v2/x/differ", "w", "reference", "pass"),
        _r("roundtrip", "v2/x/differ", "w", "a", "pass"),
        _r("roundtrip", "v2/x/differ", "w", "b", "fail", **same_wrong),
    ]
    results[3].update(outcome="new", expected_status="pass")
    return {
        "schema_version": 1,
        "run": {"harness_version": "0", "started_at": "2026-01-01T00:00:00Z", "finished_at": "f", "platform": "p",
                "fixtures_digest": "0" * 64},
        "implementations": [{"id": i, "name": i, "version": "1", "launcher": "python", "available": True,
                             "detail": ""} for i in ("reference", "a", "b", "w")],
        "fixtures": [{"id": f, "zarr_format": 2, "must_reject": False, "tags": {"feature": f.split("/")[1]}}
                     for f in ("v2/x/agree", "v2/x/differ", "v2/x/err-unsup", "v2/x/pass-err", "v2/y/scratch")],
        "results": results,
    }


def _browser(page: Path, fragment: str, profile: Path, *extra: str) -> str:
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--virtual-time-budget=3000", *extra, "--dump-dom",
                           page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "index.html"
    html.write(document(), path)
    return path


def _shown_rows(dom: str, table_id: str | None = None) -> list[str]:
    if table_id:
        dom = dom[dom.index(f'id="{table_id}"'):]
        dom = dom[:dom.index("</table>")]
    return [m.group(2) + ("|" + m.group(3) if m.group(3) else "")
            for m in re.finditer(r'<tr class="([^"]*)" data-fixture="([^"]+)"(?: data-writer="([^"]+)")?', dom)
            if "hidden" not in m.group(1).split()]


def _impl_view(dom: str, impl: str) -> str:
    start = dom.index(f'id="impl={impl}"')
    return dom[dom.rindex("<details", 0, start):dom.index("</details>\n", start)]


@chromium
def test_a_link_opens_one_implementations_view(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, "#impl=b", tmp_path / "profile")
    view = _impl_view(dom, "b")
    assert "open" in view[:200] and "hidden" not in view[:200]
    for other in ("a", "w", "reference"):
        assert 'class="impl-view hidden"' in _impl_view(dom, other)[:200]
    # b as reader, feature x: agree, differ, pass-err and w's 'differ' store tried (1 passes); its
    # 'unsupported' is not tried, and w's 'agree' store is w's fault, not b's.
    row = re.search(r'<td class="fx">x</td>\s*<td class="st (r\w+)">(\d+)/(\d+)</td>', view)
    assert row and row.groups() == ("r1", "1", "4")


@chromium
def test_a_cell_says_why_before_its_trimmed_message(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, "", tmp_path / "profile")
    assert "/scratch/run-abc123" not in dom and "&lt;scratch&gt;/w/store.zarr: bad chunk" in dom
    assert "more characters" in dom and "x" * 1000 not in dom  # the spec dump is cut
    why = dom.index("Why: known bug: chunks read in the wrong order")
    assert dom.index(f'<a href="{ISSUE}">', why) < dom.index("&lt;scratch&gt;/w/store.zarr", why)
    assert "Documented: docs/limits.md" in dom[why:why + 500]


@chromium
def test_a_cell_link_opens_its_detail(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, "#cell=read%20b-v2/x/differ", tmp_path / "profile")
    cell = re.search(r'<td [^>]*data-cell="read b-v2/x/differ"><details( open="")?>', dom)
    assert cell and cell.group(1)  # opened by the link
    assert len(re.findall(r"<details open", dom)) == 1


@chromium
def test_a_writers_broken_store_is_charged_to_the_writer(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, "#impl=w", tmp_path / "profile")
    writer_table = _impl_view(dom, "w").split("as writer")[1]
    charged = re.search(r'<td class="fx">x</td>\s*<td class="st r50">1/2</td>\s*<td class="charged">(\d+)</td>',
                        writer_table)
    assert charged and charged.group(1) == "3"  # reference, a and b could not read w's 'agree' store
    pairs = dom[dom.index('id="roundtrip"'):]
    pairs = pairs[:pairs.index("</table>")]
    a_cell = re.search(r'<th>w</th>.*?</td>\s*<td class="st (r\w+)"[^>]*><details><summary>. (\d+)/(\d+)', pairs, re.S)
    assert a_cell and a_cell.groups() == ("r100", "1", "1")  # a: its one own roundtrip passes
    assert "+1w" in pairs


@chromium
def test_disagree_lists_only_rows_where_returned_values_differ(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, "#disagree", tmp_path / "profile")
    matrix = dom[dom.index("<h2>Reading the golden fixtures</h2>"):dom.index("<h2>Writing")]
    # not err-unsup (no answer at all), not pass-err (one answer): only rows with two different answers
    assert _shown_rows(matrix) == ["v2/x/differ", "v2/y/scratch"]
    # w's 'agree' store: three readers fail the same way (no disagreement); its 'differ' store: a passes, b not
    assert _shown_rows(dom, "roundtrip-fixtures") == ["v2/x/differ|w"]


@chromium
def test_status_filter_applies_to_every_table(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, "#status=error", tmp_path / "profile")
    matrix = dom[dom.index("<h2>Reading the golden fixtures</h2>"):dom.index("<h2>Writing")]
    assert _shown_rows(matrix) == ["v2/x/err-unsup", "v2/x/pass-err"]
    assert _shown_rows(dom, "roundtrip-fixtures") == []  # no roundtrip errored
    pairs = dom[dom.index('id="roundtrip"'):]
    pairs = pairs[:pairs.index("</table>")]
    assert pairs.count("data-statuses") == pairs.count("visibility: hidden") == 3
    rows = re.findall(r'<tr class="impl-row( hidden)?" data-statuses="([^"]*)"', dom)
    assert rows and all((hidden == "") == ("error" in statuses.split()) for hidden, statuses in rows)


def _screenshot(page: Path, fragment: str, profile: Path, png: Path, *extra: str) -> Path:
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--window-size=800,300",
                           "--hide-scrollbars", *extra, f"--screenshot={png}", page.as_uri() + fragment],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]
    return png


NOTE_COLOUR = (0xFF, 0xF8, 0xD6)  # the <noscript> note's background


def _scripts_off(profile: Path) -> Path:
    """A chromium profile whose content settings block JavaScript (as a user who turned scripts off;
    --blink-settings=scriptEnabled=false would also stop --dump-dom and --screenshot working)."""
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(
        '{"profile": {"default_content_setting_values": {"javascript": 2}}}')
    return profile


@chromium
def test_without_scripts_the_page_says_so_and_shows_everything(page: Path, tmp_path: Path) -> None:
    from tests.e2e.png_pixels import count

    dom = _browser(page, "#impl=b&disagree", _scripts_off(tmp_path / "p0"))
    assert 'id="noscript-note"' in dom
    assert "impl-view hidden" not in dom and not re.search(r'<tr class="[^"]*\bhidden\b', dom)  # nothing hidden
    off = _screenshot(page, "#disagree", _scripts_off(tmp_path / "p1"), tmp_path / "off.png")
    on = _screenshot(page, "#disagree", tmp_path / "p2", tmp_path / "on.png")
    assert count(off, NOTE_COLOUR) > 5000  # the note is on screen when scripts are off ...
    assert count(on, NOTE_COLOUR) == 0  # ... and only then


def test_report_is_self_contained(page: Path) -> None:
    text = page.read_text()
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', text)  # nothing fetched: works from disk offline
    assert "<noscript>" in text


def test_junit_has_one_case_per_cell_with_the_expectation(tmp_path: Path) -> None:
    doc = document()
    junit.write(doc, tmp_path / "junit.xml")
    root = ET.parse(tmp_path / "junit.xml").getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(doc["results"]) == int(root.get("tests"))
    by_name = {(c.get("classname"), c.get("name")): c for c in cases}
    new = by_name[("read.b", "b-v2/x/differ")]
    assert new.find("failure") is not None and "new: fail" in new.find("failure").get("message")
    assert "values: 4 of 4 differ" in new.find("failure").text
    known = by_name[("read.a", "a-v2/y/scratch")]
    skipped = known.find("skipped")
    assert skipped is not None and "known bug: chunks read in the wrong order" in skipped.get("message")
    assert ISSUE in skipped.get("message") and "<scratch>" not in skipped.get("message")
    props = {p.get("name"): p.get("value") for p in known.iter("property")}
    assert props["issue"] == ISSUE and props["documented"] == "docs/limits.md"
    assert by_name[("roundtrip.w->b", "w->b-v2/x/agree")].find("skipped") is not None  # expected
    assert int(root.get("failures")) == 1 and int(root.get("errors")) == 0
    assert "reproduce: zarr-conformance run --impl b --kind read -k 'read b-v2/x/differ'" in \
        new.find("system-out").text


def test_summary_lists_new_and_unexpected_cells_with_how_to_rerun(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document()
    doc["results"][4].update(outcome="unexpected", expected_status="fail",
                             expectation={"reason": "fails on purpose", "issue": "", "documented": ""})
    monkeypatch.delenv("GITHUB_RUN_ID", raising=False)
    monkeypatch.delenv("ZARR_CONFORMANCE_REPORT_URL", raising=False)
    text = surprises.markdown(doc, surprises.report_url("https://example.org/report/"))
    assert text.startswith("Full report: https://example.org/report/")
    assert "- **new** `fail` read b `v2/x/differ`: values differ" in text
    assert "`zarr-conformance run --impl b --kind read -k 'read b-v2/x/differ'`" in text
    assert "**unexpected** `error` read a `v2/x/err-unsup` (expected fail: fails on purpose): refused" in text
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    assert surprises.report_url(None) == "https://github.com/o/r/actions/runs/42"
    ok = copy.deepcopy(doc)
    for r in ok["results"]:
        r["outcome"] = "expected"
    assert "Every cell is as expected" in surprises.markdown(ok)


def test_run_keeps_a_history_and_shows_changes_by_default(tmp_path: Path) -> None:
    def run() -> None:
        done = subprocess.run([sys.executable, "-m", "zarr_conformance.cli", "run", "--impl", "reference",
                               "--kind", "read", "-k", "v2/dtype/int32*", "--out", "rep"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, env={**os.environ, "CI": "1"})
        assert done.returncode == 0, done.stderr

    run()
    assert not (tmp_path / "rep" / "history").exists()
    assert 'id="changes"' not in (tmp_path / "rep" / "index.html").read_text()
    run()
    (kept,) = (tmp_path / "rep" / "history").glob("results-*.json")
    page = (tmp_path / "rep" / "index.html").read_text()
    assert 'id="changes"' in page and "0 new failures, 0 new passes" in page
    assert ET.parse(tmp_path / "rep" / "junit.xml").getroot().get("tests") == "2"
