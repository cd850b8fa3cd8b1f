"""Values files are read without trusting them: the header's claim is checked before any allocation."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from zarr_conformance.runners.npy import UnusableValues, budget, load_npy


def _header_only(path: Path, shape: tuple[int, ...], descr: str = "<i4", extra: bytes = b"") -> Path:
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": descr, "fortran_order": False, "shape": shape})
        f.write(extra)
    return path


def test_a_good_file_loads_in_either_order(tmp_path: Path) -> None:
    values = np.arange(12, dtype=">u2").reshape(3, 4)
    for order in ("C", "F"):
        np.save(tmp_path / f"{order}.npy", np.asarray(values, order=order))
        got = load_npy(tmp_path / f"{order}.npy")
        assert got.dtype == values.dtype and np.array_equal(got, values)
    np.save(tmp_path / "empty.npy", np.zeros((0, 3), "f8"))
    assert load_npy(tmp_path / "empty.npy").shape == (0, 3)


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: _header_only(p, (2**40,), extra=b"\0" * 16), "claims shape [1099511627776] of <i4"),
    (lambda p: _header_only(p, (1000,), extra=b"\0" * 16), "truncated or its header lies: it claims shape [1000] "
                                                           "of <i4 (4000 bytes), the file holds 16 bytes"),
    (lambda p: _header_only(p, (2,), descr="|O"), "holds Python objects"),
    (lambda p: p.write_bytes(b"not an npy file at all"), "not a readable .npy file"),
    (lambda p: None, "No such file or directory"),
    (lambda p: os.mkfifo(p), "not a regular file"),
])
def test_an_untrustworthy_file_is_refused_before_loading(make, words: str, tmp_path: Path) -> None:
    path = tmp_path / "v.npy"
    make(path)
    with pytest.raises(UnusableValues, match="values file v.npy") as caught:
        load_npy(path, limit=budget(80))
    assert words in str(caught.value)


def test_the_budget_is_generous_but_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert budget(0) == 64 * 2**20
    assert budget(10 * 2**20) == 160 * 2**20
    monkeypatch.setenv("ZARR_CONFORMANCE_MAX_ANSWER_MB", "100")
    assert budget(10 * 2**20) == 100 * 2**20
