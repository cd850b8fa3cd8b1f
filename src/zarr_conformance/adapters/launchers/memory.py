"""Peak resident memory of a worker, read from /proc just before it is stopped.

A sandboxed worker is not the process the harness started: bubblewrap forks, and the library runs in
a descendant. So the whole process tree below the started pid is walked (by each process's parent
pid in /proc/<pid>/stat; /proc/<pid>/task/<tid>/children is not on every kernel), and the largest
VmHWM ("high water mark" of the resident set) of its processes is the worker's peak. A child that
already exited (ncdump, say) is gone from /proc and not counted."""

from __future__ import annotations

import os
from collections import defaultdict


def tree_peak_rss(pid: int) -> int | None:
    """The largest VmHWM in bytes among `pid` and its descendants, or None when none can be read."""
    children: dict[int, list[int]] = defaultdict(list)
    for name in os.listdir("/proc"):
        if name.isdigit():
            parent = _parent(int(name))
            if parent is not None:
                children[parent].append(int(name))
    peak, todo, seen = None, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        found = _high_water_mark(current)
        if found is not None:
            peak = max(peak or 0, found)
        todo += children.get(current, [])
    return peak


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None  # gone already
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")"
    fields = stat[stat.rfind(b")") + 2:].split()
    return int(fields[1]) if len(fields) > 1 else None


def _high_water_mark(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024  # the kernel writes kB
    except (OSError, ValueError, IndexError):
        pass
    return None  # gone, or a kernel thread (no VmHWM)
