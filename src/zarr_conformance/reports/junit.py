"""results.json as JUnit XML (junit.xml beside it) for CI systems that read JUnit.

One test case per cell, named by its test id, its classname `<kind>.<implementation>` (a roundtrip:
`roundtrip.<writer>-><reader>`), one test suite per kind. A cell that is not as expected is a
`<failure>` (wrong values: `fail`) or an `<error>` (the library raised, crashed, timed out); a known
result listed in expectations/ is `<skipped>` with the expectation's reason and issue, so a JUnit
reader turns red exactly when `run` exits 1. Unsupported and skipped cells are `<skipped>` too."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from zarr_conformance.reports.cellinfo import expectation, reproduce, test_id, trim

_FAILURES = {"fail"}


def _classname(r: dict[str, Any]) -> str:
    if r["kind"] == "roundtrip":
        return f"roundtrip.{r['writer']}->{r['reader']}"
    return f"{r['kind']}.{r['writer'] if r['kind'] == 'write' else r['reader']}"


def _why(r: dict[str, Any]) -> str:
    e = expectation(r)
    parts = [e["reason"], e["issue"] and f"upstream: {e['issue']}",
             e["documented"] and f"documented: {e['documented']}"]
    return "; ".join(p for p in parts if p)


def _case(r: dict[str, Any]) -> ET.Element:
    case = ET.Element("testcase", name=test_id(r), classname=_classname(r), time=f"{r['duration_s']:.3f}")
    status, outcome = r["status"], r["outcome"]
    message = trim(r.get("message", ""))
    first = (message.splitlines() or [status])[0]
    if status == "pass" and outcome == "expected":
        pass
    elif outcome == "expected" or status in ("unsupported", "skip"):
        why = _why(r)
        label = f"expected {status}" if status not in ("unsupported", "skip") else status
        ET.SubElement(case, "skipped", message=f"{label}: {why or first}"[:500])
    else:
        tag = "failure" if status in _FAILURES or status == "pass" else "error"
        text = (f"{outcome}: {status} (expected {r['expected_status']})"
                + (f"; defect: {r['defect']}" if r.get("defect") else ""))
        element = ET.SubElement(case, tag, message=f"{text}: {first}"[:500], type=status)
        element.text = "\n".join(x for x in (message, *(r.get("differences") or []), _why(r)) if x)
    properties = ET.SubElement(case, "properties")
    for name, value in (("status", status), ("outcome", outcome), ("expected_status", r["expected_status"]),
                        ("defect", r.get("defect") or ""), *expectation(r).items()):
        if value:
            ET.SubElement(properties, "property", name=name, value=str(value))
    ET.SubElement(case, "system-out").text = f"reproduce: {reproduce(r)}"
    return case


def to_xml(document: dict[str, Any]) -> ET.ElementTree:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in document["results"]:
        by_kind[r["kind"]].append(r)
    root = ET.Element("testsuites", name="zarr-conformance")
    totals: dict[str, float] = defaultdict(float)
    for kind, results in by_kind.items():
        suite = ET.SubElement(root, "testsuite", name=kind, timestamp=document["run"]["started_at"])
        counts: dict[str, float] = defaultdict(float)
        for r in results:
            case = _case(r)
            suite.append(case)
            counts["tests"] += 1
            counts["time"] += r["duration_s"]
            for tag in ("failure", "error", "skipped"):
                counts[tag] += case.find(tag) is not None
        for attr, key in (("tests", "tests"), ("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            suite.set(attr, str(int(counts[key])))
            totals[attr] += counts[key]
        suite.set("time", f"{counts['time']:.3f}")
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(int(totals[attr])))
    ET.indent(root)
    return ET.ElementTree(root)


def write(document: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    to_xml(document).write(path, encoding="utf-8", xml_declaration=True)
