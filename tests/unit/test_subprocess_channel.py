"""The subprocess channel: lines both ways, stderr kept for crash messages, memory bounded."""

from __future__ import annotations

import sys
import time

from zarr_conformance.adapters.launchers.base import Prepared, SubprocessChannel


def _wait_exit(channel: SubprocessChannel, seconds: float = 30) -> int | None:
    deadline = time.monotonic() + seconds
    while channel.exit_code() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return channel.exit_code()


def test_lines_round_trip() -> None:
    echo = "import sys\nfor line in sys.stdin: sys.stdout.write(line); sys.stdout.flush()"
    channel = SubprocessChannel(Prepared(launcher="python", argv=(sys.executable, "-c", echo)))
    try:
        channel.send(b'{"id": 1}\n')
        assert channel.lines.get(timeout=30) == b'{"id": 1}\n'
    finally:
        channel.kill()


def test_memory_limit_stops_a_runaway_allocation() -> None:
    hog = "import sys; sys.stderr.write('start\\n'); sys.stderr.flush(); x = bytearray(2 * 1024**3)"
    channel = SubprocessChannel(Prepared(launcher="python", argv=(sys.executable, "-c", hog), memory_limit_mb=512))
    code = _wait_exit(channel)
    assert code not in (None, 0)
    assert channel.lines.get(timeout=5) is None  # stdout closed
    time.sleep(0.2)
    assert "MemoryError" in channel.stderr_tail()
    channel.kill()


def test_without_a_limit_the_same_allocation_succeeds() -> None:
    alloc = "x = bytearray(2 * 1024**3)"
    channel = SubprocessChannel(Prepared(launcher="python", argv=(sys.executable, "-c", alloc)))
    assert _wait_exit(channel) == 0
    channel.kill()


def test_peak_memory_is_the_largest_of_the_process_tree(tmp_path) -> None:
    """The harness starts bwrap (or a shell here), the library runs below it: the walk finds the
    grandchild that holds 150 MB, and a stopped worker has nothing left to read."""
    from zarr_conformance.adapters.launchers.base import Mounts

    hold = ("import sys; x = bytearray(150 * 1024**2); x[::4096] = b'x' * len(x[::4096]); "
            "print('ready', flush=True); sys.stdin.read()")
    argv = ("/bin/sh", "-c", f'"{sys.executable}" -c "{hold}"; true')
    channel = SubprocessChannel(Prepared(launcher="python", argv=argv), Mounts(read_write=(tmp_path,)))
    try:
        assert channel.lines.get(timeout=30) == b"ready\n"
        peak = channel.peak_rss()
        assert peak is not None and 150 * 1024**2 < peak < 1024**3, peak
    finally:
        channel.kill()
    assert channel.peak_rss() is None
