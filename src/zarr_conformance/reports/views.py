"""The report's questions, answered from a results document: whose fault a roundtrip failure is, where
implementations really disagree, and what one implementation fails on (as reader and as writer).

Blame. A roundtrip W -> R that does not pass is charged to the writer W when W's own write cell of
that case did not pass (the reference decoder rejected or misread W's store, or its metadata is not
what was asked) or the reference decoder, reading W's store as a roundtrip reader, did not pass
either: then R is not at fault for W's store. Otherwise it is charged to the reader R.

Disagreement. Only an answer counts: a cell whose implementation returned values (status pass or
fail). A row (a golden fixture read by every reader, or one writer's store read by every reader)
disagrees when two answers on it differ: one reader's values match the oracle and another's do not,
or two readers fail with different differences. An error, crash, timeout, unsupported or skipped cell
is no answer, so "one refuses, another reads" or "one errors, one is unsupported" is not a
disagreement (the status filters show those)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

ANSWERS = ("pass", "fail")
NOT_TRIED = ("unsupported", "skip")
Key = tuple[str, str, str, Any]


def _key(r: dict[str, Any]) -> Key:
    return (r["kind"], r["fixture"], r["writer"], r["reader"])


def blamed_on_writer(document: dict[str, Any]) -> set[Key]:
    """Keys of the roundtrip cells charged to their writer (see the module's docstring)."""
    writes = {(r["fixture"], r["writer"]): r["status"] for r in document["results"] if r["kind"] == "write"}
    by_reference = {(r["fixture"], r["writer"]): r["status"] for r in document["results"]
                    if r["kind"] == "roundtrip" and r["reader"] == "reference"}
    out = set()
    for r in document["results"]:
        if r["kind"] != "roundtrip" or r["status"] in ("pass", *NOT_TRIED):
            continue
        pair = (r["fixture"], r["writer"])
        if writes.get(pair, "pass") not in ("pass", *NOT_TRIED) or \
                by_reference.get(pair, "pass") not in ("pass", *NOT_TRIED):
            out.add(_key(r))
    return out


def _answer(r: dict[str, Any]) -> str:
    if r["status"] == "pass":
        return "pass"
    return "fail:" + "|".join(r.get("differences") or []) if r.get("differences") else "fail:" + r.get("message", "")


def disagreements(document: dict[str, Any]) -> tuple[set[str], set[tuple[str, str]]]:
    """(golden fixtures whose readers disagree, (fixture, writer) roundtrip rows whose readers disagree)."""
    answers: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in document["results"]:
        if r["kind"] in ("read", "reject", "roundtrip") and r["status"] in ANSWERS:
            row = (r["kind"] if r["kind"] == "roundtrip" else "read", r["fixture"],
                   r["writer"] if r["kind"] == "roundtrip" else "")
            answers[row].add(_answer(r))
    fixtures = {f for (kind, f, _), a in answers.items() if kind == "read" and len(a) > 1}
    roundtrips = {(f, w) for (kind, f, w), a in answers.items() if kind == "roundtrip" and len(a) > 1}
    return fixtures, roundtrips


def rate_class(passed: int, tried: int) -> str:
    """Colour by pass rate, not by the worst cell: r100 (all), r90, r50, r1 (some), r0 (none), rnone."""
    if not tried:
        return "rnone"
    share = passed / tried
    return "r100" if passed == tried else "r90" if share >= .9 else "r50" if share >= .5 else "r1" if passed else "r0"


def _row(feature: str, cells: list[dict[str, Any]], disagree: bool, charged: int = 0) -> dict[str, Any]:
    counts = Counter(r["status"] for r in cells)
    tried = len(cells) - sum(counts[s] for s in NOT_TRIED)
    return {"feature": feature, "counts": dict(counts), "tried": tried, "passed": counts["pass"],
            "rate": rate_class(counts["pass"], tried), "statuses": sorted(counts), "disagree": disagree,
            "bad": [r for r in cells if r["status"] not in ("pass", *NOT_TRIED)], "charged": charged}


def implementation_views(document: dict[str, Any], blamed: set[Key], disagree: set[str],
                         disagree_rt: set[tuple[str, str]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """impl -> {"reader": rows, "writer": rows}, a row per feature. As reader: its read, reject and
    roundtrip cells, less the roundtrip failures charged to the writer. As writer: its write cells,
    and the roundtrip failures of other readers charged to it."""
    feature_of = {f["id"]: f["tags"].get("feature", "?") for f in document["fixtures"]}
    reading: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    writing: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    charged: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in document["results"]:
        feature = feature_of.get(r["fixture"], "?")
        if r["kind"] == "write":
            writing[r["writer"]][feature].append(r)
        elif r["kind"] == "roundtrip" and _key(r) in blamed:
            charged[r["writer"]][feature].append(r)
        else:
            reading[r["reader"]][feature].append(r)

    def disagrees(cells: list[dict[str, Any]]) -> bool:
        return any(r["fixture"] in disagree if r["kind"] != "roundtrip" else (r["fixture"], r["writer"]) in disagree_rt
                   for r in cells)

    views = {}
    for impl in (i["id"] for i in document["implementations"]):
        reader_rows = [_row(f, cells, disagrees(cells)) for f, cells in sorted(reading[impl].items())]
        features = sorted(set(writing[impl]) | set(charged[impl]))
        writer_rows = []
        for f in features:
            row = _row(f, writing[impl][f], False, len(charged[impl][f]))
            row["bad"] += charged[impl][f]
            row["statuses"] = sorted(set(row["statuses"]) | {r["status"] for r in charged[impl][f]})
            row["disagree"] = disagrees(charged[impl][f])
            writer_rows.append(row)
        views[impl] = {"reader": reader_rows, "writer": writer_rows}
    return views
