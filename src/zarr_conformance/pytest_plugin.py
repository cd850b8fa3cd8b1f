"""pytest plugin: the matrix as test items (`test_read[tensorstore-v3/sharding/index-start]`).

Only options and fixtures live here; the work is in the runner, imported lazily. A test module asks
for the `zc_cell` fixture in functions named test_read / test_write / test_roundtrip / test_reject;
the plugin parametrises them with the planned cells, runs every selected cell in one matrix run (long
-lived workers, adapters in parallel) the first time an item needs a result, and each item then
passes, fails, skips (unsupported) or xfails (a known result from expectations/) on its cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

KINDS = {"test_read": "read", "test_write": "write", "test_roundtrip": "roundtrip", "test_reject": "reject"}
_SELECTED = pytest.StashKey[list]()
_RESULTS = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zarr-conformance")
    group.addoption("--zc-impl", action="append", default=[], metavar="ID",
                    help="matrix: only these implementations (repeatable)")
    group.addoption("--zc-timeout", type=float, default=60.0, help="matrix: seconds per cell")
    group.addoption("--zc-out", type=Path, default=None,
                    help="matrix: also write results.json, index.html and summary.md into this folder")
    group.addoption("--zc-expectations", type=Path, default=None,
                    help="matrix: folder of <impl>.toml files (default: <rootdir>/expectations)")


def _specs(config: pytest.Config) -> list[Any]:
    from zarr_conformance.adapters import registry

    return registry.select(config.getoption("zc_impl") or None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "zc_cell" not in metafunc.fixturenames:
        return
    from zarr_conformance.fixtures.catalogue import catalogue
    from zarr_conformance.runners.model import Kind
    from zarr_conformance.runners.plan import plan

    kind = KINDS.get(metafunc.function.__name__)
    if kind is None:
        raise pytest.UsageError(f"zc_cell is for functions named {sorted(KINDS)}, not {metafunc.function.__name__}")
    cells = plan(catalogue(), _specs(metafunc.config), {Kind(kind)})
    metafunc.parametrize("zc_cell", cells, ids=[c.test_id for c in cells])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # After -k / -m deselection: exactly these cells will run.
    config.stash[_SELECTED] = [item.callspec.params["zc_cell"] for item in items
                               if hasattr(item, "callspec") and "zc_cell" in item.callspec.params]


@pytest.fixture(scope="session")
def zc_matrix(request: pytest.FixtureRequest) -> dict[Any, Any]:
    """Cell -> CellResult for every selected cell, from one matrix run."""
    config = request.config
    if _RESULTS not in config.stash:
        from zarr_conformance.paths import cache_dir, default_expectations
        from zarr_conformance.runners.interrupt import stop_on_signals
        from zarr_conformance.runners.run import RunOptions, execute

        expectations = config.getoption("zc_expectations") or Path(str(config.rootpath)) / "expectations"
        options = RunOptions(specs=_specs(config), cache=cache_dir(), cells=config.stash.get(_SELECTED, []),
                             timeout=config.getoption("zc_timeout"),
                             expectations_dir=expectations if expectations.is_dir() else default_expectations())
        with stop_on_signals():  # Ctrl-C or SIGTERM: the partial run is kept, then pytest stops
            run = execute(options)
            config.stash[_RESULTS] = {r.cell: r for r in run.results}
            config.stash[_RESULTS]["__run__"] = run
            out = config.getoption("zc_out")
            if out is not None:
                from zarr_conformance.reports.outputs import write_all

                write_all(run, out)
        if run.interruption is not None:
            pytest.exit(f"zarr-conformance: {run.interruption.reason}"
                        + (f"; partial results in {out}" if out is not None else ""), run.interruption.exit_code)
    return config.stash[_RESULTS]


def check_cell(cell: Any, matrix: dict[Any, Any]) -> None:
    """Turn a cell's result into the pytest outcome; called by the matrix test functions."""
    __tracebackhide__ = True
    from zarr_conformance.runners.model import Outcome, Status

    run = matrix["__run__"]
    if run.golden_changes_at_start:
        pytest.fail(f"golden stores changed before the run, no cell ran: {run.golden_changes_at_start[:5]}")
    if run.golden_changes:
        pytest.fail(f"golden stores changed during the run: {run.golden_changes[:5]}")
    result = matrix[cell]
    text = f"{result.status.value}: {result.message}" if result.message else result.status.value
    if result.outcome is not Outcome.EXPECTED:
        known = f" (expectations say {result.expected_status.value}: {result.expectation_reason})" \
            if result.outcome is Outcome.UNEXPECTED else " (not in expectations/)"
        pytest.fail(f"{text}{known}\nreproduce: {result.reproduce}", pytrace=False)
    if result.status in (Status.UNSUPPORTED, Status.SKIP):
        pytest.skip(text)
    if result.status is not Status.PASS:
        link = f" {result.expectation_issue}" if result.expectation_issue else ""
        pytest.xfail(f"known {text} -- {result.expectation_reason}{link}")
