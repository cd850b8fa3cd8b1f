"""The pytest plugin, run in a pytester sandbox: items per cell, outcomes from the expectations."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

MATRIX = """
from zarr_conformance.pytest_plugin import check_cell

def test_read(zc_cell, zc_matrix):
    check_cell(zc_cell, zc_matrix)

def test_write(zc_cell, zc_matrix):
    check_cell(zc_cell, zc_matrix)
"""


def test_items_are_cells_and_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_m=MATRIX)
    result = pytester.runpytest_subprocess("--zc-impl", "reference", "-k", "v2/dtype/int32", "-v")
    result.assert_outcomes(passed=4)  # read and write of int32-le and int32-be
    result.stdout.fnmatch_lines(["*test_read?reference-v2/dtype/int32-le? PASSED*"])


def test_a_known_failure_that_passes_fails_the_item(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_m=MATRIX)
    pytester.mkdir("expectations")
    (pytester.path / "expectations" / "reference.toml").write_text(
        '[[expect]]\nfixture = "v2/dtype/int32-le"\nkind = "read"\nstatus = "fail"\nreason = "pretend"\n')
    result = pytester.runpytest_subprocess("--zc-impl", "reference", "-k", "dtype/int32-le")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*pass (expectations say fail: pretend)*"])
