"""What changed between two results files: new failures, new passes, other status changes, cells
that appeared or disappeared. Cells are keyed by (kind, fixture, writer, reader)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GOOD = ("pass", "unsupported", "skip")

Key = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class Change:
    kind: str
    fixture: str
    writer: str
    reader: str | None
    before: str | None  # None: the cell did not exist
    after: str | None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "fixture": self.fixture, "writer": self.writer, "reader": self.reader,
                "before": self.before, "after": self.after, "message": self.message}


@dataclass
class Diff:
    new_failures: list[Change] = field(default_factory=list)  # was good, now bad: regressions
    failing_new_cells: list[Change] = field(default_factory=list)  # did not exist, and is bad
    new_passes: list[Change] = field(default_factory=list)  # was bad, now pass
    changed: list[Change] = field(default_factory=list)  # bad to another bad, good to another good
    added: int = 0
    removed: int = 0

    @property
    def empty(self) -> bool:
        return not (self.new_failures or self.new_passes or self.changed)


def _key(r: dict[str, Any]) -> Key:
    return (r["kind"], r["fixture"], r["writer"], r["reader"])


def diff(before: dict[str, Any], after: dict[str, Any]) -> Diff:
    old = {_key(r): r for r in before["results"]}
    new = {_key(r): r for r in after["results"]}
    out = Diff(added=len(new.keys() - old.keys()), removed=len(old.keys() - new.keys()))
    for key, r in new.items():
        was = old.get(key, {}).get("status")
        now = r["status"]
        if was == now:
            continue
        change = Change(*key, before=was, after=now, message=r["message"])
        if now not in GOOD and was is None:
            out.failing_new_cells.append(change)
        elif now not in GOOD and was in GOOD:
            out.new_failures.append(change)
        elif now == "pass" and was is not None and was not in GOOD:
            out.new_passes.append(change)
        elif was is not None:
            out.changed.append(change)
    return out


def markdown(d: Diff, limit: int = 50) -> str:
    lines = [f"{len(d.new_failures)} new failures, {len(d.new_passes)} new passes, {len(d.changed)} other "
             f"changes; {d.added} cells added ({len(d.failing_new_cells)} of them not passing), {d.removed} removed."]
    for title, changes in (("New failures", d.new_failures), ("New passes", d.new_passes),
                           ("Other changes", d.changed), ("New cells not passing", d.failing_new_cells)):
        if not changes:
            continue
        lines += ["", f"### {title}", "", "| kind | fixture | writer | reader | before | after |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {c.kind} | {c.fixture} | {c.writer} | {c.reader or ''} | {c.before or '(none)'} | {c.after} |"
                  for c in changes[:limit]]
        if len(changes) > limit:
            lines.append(f"| ... {len(changes) - limit} more | | | | | |")
    return "\n".join(lines)
