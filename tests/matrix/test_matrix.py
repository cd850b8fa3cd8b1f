"""The conformance matrix as pytest items; the plugin parametrises `zc_cell` and runs the matrix once."""

from __future__ import annotations

from zarr_conformance.pytest_plugin import check_cell


def test_read(zc_cell, zc_matrix) -> None:
    check_cell(zc_cell, zc_matrix)


def test_reject(zc_cell, zc_matrix) -> None:
    check_cell(zc_cell, zc_matrix)


def test_write(zc_cell, zc_matrix) -> None:
    check_cell(zc_cell, zc_matrix)


def test_roundtrip(zc_cell, zc_matrix) -> None:
    check_cell(zc_cell, zc_matrix)
