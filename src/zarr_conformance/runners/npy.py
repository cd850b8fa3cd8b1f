"""Reading a worker's .npy answer without trusting it: the header's claim (shape x item size) is checked
against the bytes the file really holds and against what the answer can reasonably be, before a
byte is allocated. A header that claims 2**40 elements costs one cell, not the harness."""

from __future__ import annotations

import io
import math
import os
import stat
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

# The most a values file may claim, whatever the cell: past this the harness would risk its own
# memory on one answer ($ZARR_CONFORMANCE_MAX_ANSWER_MB overrides).
DEFAULT_MAX_ANSWER_MB = 4096


class UnusableValues(Exception):
    """A values file the harness cannot read or will not load (truncated, lying, oversized, not .npy):
    the answer cannot be judged, which is the adapter's fault, never a conformance verdict."""


def max_answer_bytes() -> int:
    return int(os.environ.get("ZARR_CONFORMANCE_MAX_ANSWER_MB", DEFAULT_MAX_ANSWER_MB)) * 2**20


def budget(expected_bytes: int) -> int:
    """What an answer to an array of `expected_bytes` may claim: generous (a wider dtype, strings as
    fixed-width unicode), so a plain wrong answer is still loaded and judged as wrong, but bounded."""
    return min(max(16 * expected_bytes, 64 * 2**20), max_answer_bytes())


def load_npy(path: Path, limit: int | None = None) -> np.ndarray:
    """The array in `path`, refusing a header that claims more than the file holds or than `limit`."""
    limit = max_answer_bytes() if limit is None else limit
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or a device would block or never end
            raise UnusableValues(f"values file {path.name} is not a regular file")
        with open(path, "rb") as f:
            shape, fortran, dtype = _header(f)
            claimed = math.prod(shape) * dtype.itemsize
            held = os.fstat(f.fileno()).st_size - f.tell()
            if claimed > limit:
                raise UnusableValues(f"values file {path.name} claims shape {list(shape)} of {dtype.str} "
                                     f"({_size(claimed)}), more than this answer may hold ({_size(limit)}); "
                                     f"not loaded")
            if claimed > held:
                raise UnusableValues(f"values file {path.name} is truncated or its header lies: it claims "
                                     f"shape {list(shape)} of {dtype.str} ({claimed} bytes), the file holds "
                                     f"{held} bytes of values")
            count = math.prod(shape)
            values = np.fromfile(f, dtype=dtype, count=count) if count else np.empty(0, dtype)
    except OSError as e:
        raise UnusableValues(f"values file {path.name}: {e.strerror or e}") from None  # no scratch names
    return values.reshape(shape, order="F" if fortran else "C")


def _header(f) -> tuple[tuple[int, ...], bool, np.dtype]:  # type: ignore[no-untyped-def]
    try:
        version = npy_format.read_magic(f)
        shape, fortran, dtype = _parsed_header(f, version)
    except (ValueError, EOFError) as e:  # numpy's words for "not an .npy file" and "bad header"
        raise UnusableValues(f"values file {Path(f.name).name} is not a readable .npy file: {e}") from None
    if dtype.hasobject:
        raise UnusableValues(f"values file {Path(f.name).name} holds Python objects (dtype {dtype}); "
                             f"values must be plain data")
    if any(n < 0 for n in shape):
        raise UnusableValues(f"values file {Path(f.name).name} claims a negative shape {list(shape)}")
    return tuple(int(n) for n in shape), bool(fortran), dtype


# Parsed headers by their bytes: the answers of a run repeat a few headers thousands of times, and
# numpy parses each with ast.literal_eval (a twentieth of the harness's time per cell).
_PARSED: dict[tuple[bool, bytes], tuple[tuple[int, ...], bool, np.dtype]] = {}
MAX_PARSED, MAX_CACHED_HEADER = 4096, 4096


def _parsed_header(f, version: tuple[int, int]) -> tuple[tuple[int, ...], bool, np.dtype]:  # type: ignore[no-untyped-def]
    """numpy's own reading of the header (length field and text) that follows the magic in `f`,
    remembered by its bytes; `f` is left just after the header, as numpy leaves it."""
    first = version == (1, 0)
    read = npy_format.read_array_header_1_0 if first else npy_format.read_array_header_2_0
    length = f.read(2 if first else 4)
    size = int.from_bytes(length, "little") if len(length) == (2 if first else 4) else 0
    raw = length + (f.read(size) if size <= MAX_CACHED_HEADER else b"")
    if size > MAX_CACHED_HEADER:  # never cached: numpy reads (and judges) it from the file itself
        f.seek(-len(length), os.SEEK_CUR)
        return read(f)  # type: ignore[no-any-return]
    key = (first, raw)
    found = _PARSED.get(key)
    if found is None:
        found = read(io.BytesIO(raw))  # the same bytes, the same verdict (and error) as from the file
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n} bytes"
