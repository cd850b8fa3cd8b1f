"""A whole run: golden stores, implementations, the planned cells on one thread per worker, results."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import platform
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from zarr_conformance.adapters.launchers import sandbox
from zarr_conformance.adapters.launchers.base import Mounts
from zarr_conformance.adapters.launchers.sandbox import writable_dir
from zarr_conformance.adapters.spec import AdapterSpec
from zarr_conformance.errors import HarnessError
from zarr_conformance.fixtures import golden as golden_stores
from zarr_conformance.fixtures.cases import Case
from zarr_conformance.fixtures.catalogue import catalogue
from zarr_conformance.fixtures.negative import valid_twin
from zarr_conformance.runners import expectations as expect
from zarr_conformance.runners.cells import CellContext, Scratch, run_cell
from zarr_conformance.runners.events import CellFinished, CellsPlanned, Listener, Phase, ignore
from zarr_conformance.runners.implementations import Implementation, abort_all, ready_all, stop_all
from zarr_conformance.runners.interrupt import Interrupted, Interruption, signum_of
from zarr_conformance.runners.model import Cell, CellResult, Kind
from zarr_conformance.runners.placeholders import FIXTURES, SCRATCH, Placeholders
from zarr_conformance.runners.plan import plan
from zarr_conformance.runners.worker import WorkerStopped

log = logging.getLogger(__name__)
ORDER = {Kind.WRITE: 0, Kind.READ: 1, Kind.REJECT: 1, Kind.ROUNDTRIP: 2}
STOP_GRACE_S = 30.0  # how long a stopping run waits for a worker thread (a container start, say)


@dataclass
class RunOptions:
    specs: list[AdapterSpec]
    cache: Path
    kinds: set[Kind] | None = None
    pattern: str | None = None
    timeout: float = 60.0
    expectations_dir: Path | None = None
    cases: tuple[Case, ...] | None = None  # default: the catalogue
    cells: list[Cell] | None = None  # an explicit selection (the pytest plugin), else planned
    forced_launchers: dict[str, str] = field(default_factory=dict)
    keep_scratch: bool = False


@dataclass
class RunResults:
    started_at: str
    finished_at: str
    fixtures_digest: str
    implementations: list[Implementation]
    cases: tuple[Case, ...]
    results: list[CellResult]
    golden_changes: list[str]  # at the end of the run
    unused_expectations: list[expect.Expectation]
    interruption: Interruption | None = None  # a signal stopped the run: `results` are the cells that ran
    # Found before any cell ran: the golden stores changed since they were built, so no cell was run.
    golden_changes_at_start: list[str] = field(default_factory=list)

    @property
    def harness_faults(self) -> list[CellResult]:
        """Cells where the judge itself failed: bugs of the harness (the run exits 2)."""
        return [r for r in self.results if r.harness_fault]

    @property
    def platform(self) -> str:
        return f"{platform.system()} {platform.machine()}, python {platform.python_version()}"


def with_required_writes(cells: list[Cell]) -> list[Cell]:
    """Roundtrip cells need their writer's write cell: add the ones a narrowed selection left out."""
    have = {(c.writer, c.fixture) for c in cells if c.kind is Kind.WRITE}
    extra = {Cell(Kind.WRITE, c.fixture, c.writer, None) for c in cells
             if c.kind is Kind.ROUNDTRIP and (c.writer, c.fixture) not in have}
    return sorted(extra, key=lambda c: (c.writer, c.fixture)) + cells


def execute(options: RunOptions, listener: Listener = ignore) -> RunResults:
    started = _now()
    sandbox.mode()  # a bad $ZARR_CONFORMANCE_SANDBOX stops the run before anything starts
    cases = options.cases or catalogue()
    cells = with_required_writes(options.cells if options.cells is not None else
                                 plan(cases, options.specs, options.kinds, options.pattern))
    if not cells:
        raise HarnessError(f"no cell matches the selection ({_selection(options)}): nothing to run")
    listener(Phase("fixtures", f"{len(cases)} cases"))
    # Every broken store comes with its valid twin: a refusal counts only if the twin is read.
    twins = {c.id: valid_twin(c) for c in cases if c.must_reject}
    golden = golden_stores.build(tuple(cases) + tuple(twins.values()), options.cache)
    at_start = golden_stores.verify(golden)
    if at_start:  # the stores no longer hold what the oracle says they hold: no cell would mean anything
        log.error("golden stores in %s changed since they were built: %s", golden.root, at_start[:5])
        return RunResults(started, _now(), golden.digest, [], cases, [], golden_stores.verify(golden), [],
                          golden_changes_at_start=at_start)
    expectations = expect.Index(expect.load(options.expectations_dir, [s.id for s in options.specs])
                                if options.expectations_dir else [])
    scratch_root = Path(tempfile.mkdtemp(prefix="run-", dir=_scratch_parent(options.cache)))
    writable_dir(scratch_root, scratch_root)
    mounts = Mounts(read_only=(golden.root,), read_write=(scratch_root,))
    needed = {c.worker for c in cells} | {c.writer for c in cells if c.kind is Kind.ROUNDTRIP}
    specs = [s for s in options.specs if s.id in needed]
    impls: list[Implementation] = []
    results: list[CellResult] = []
    interruption = None
    try:
        listener(Phase("environments", ", ".join(s.id for s in specs)))
        impls = ready_all(specs, options.cache, mounts, listener, options.forced_launchers)
        listener(CellsPlanned(len(cells)))
        try:
            _run_cells(cells, cases, impls, golden, Scratch(scratch_root), options, expectations, listener, results,
                       twins)
        except (Interrupted, KeyboardInterrupt) as e:  # keep what ran; the caller writes it, marked
            interruption = Interruption(signal.Signals(signum_of(e)).name, len(cells), len(results))
    finally:
        try:
            t0 = time.perf_counter()
            stop_all(impls, graceful=interruption is None)
            log.debug("workers stopped in %.1f s", time.perf_counter() - t0)
        finally:  # even if a signal lands in the middle of stopping the workers
            if not options.keep_scratch:
                t0 = time.perf_counter()
                shutil.rmtree(scratch_root, ignore_errors=True)
                log.debug("scratch removed in %.1f s", time.perf_counter() - t0)
    t0 = time.perf_counter()
    changes = golden_stores.verify(golden)
    log.debug("golden stores verified in %.1f s", time.perf_counter() - t0)
    order = {c: i for i, c in enumerate(cells)}
    results.sort(key=lambda r: order[r.cell])
    return RunResults(started, _now(), golden.digest, impls, cases, results, changes,
                      expect.unused(expectations, results) if interruption is None else [], interruption)


def _selection(options: RunOptions) -> str:
    kinds = ", ".join(sorted(k.value for k in options.kinds)) if options.kinds else "all kinds"
    pattern = f", -k {options.pattern!r}" if options.pattern else ""
    return f"implementations {', '.join(s.id for s in options.specs)}; {kinds}{pattern}"


def _scratch_parent(cache: Path) -> Path:
    parent = cache / "scratch"
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _run_cells(cells: list[Cell], cases: tuple[Case, ...], impls: list[Implementation], golden, scratch: Scratch,
               options: RunOptions, expectations: expect.Index, listener: Listener,
               results: list[CellResult], twins: dict[str, Case]) -> None:
    """Run `cells` on one thread per worker, appending to `results`. On a signal in the main thread the
    threads stop taking cells, the workers are killed (a waiting request returns at once, no restart),
    and the signal's exception goes on up with `results` holding the cells that finished before it."""
    by_case = {c.id: c for c in cases}
    by_impl = {i.spec.id: i for i in impls}
    stable = Placeholders({scratch.root: SCRATCH, golden.root: FIXTURES})
    ctx = CellContext(golden, scratch, options.timeout,
                      {i.spec.id: i.disabled if i.disabled is not None else {} for i in impls}, twins)
    queues: dict[str, list[Cell]] = {}
    for cell in sorted(cells, key=lambda c: ORDER[c.kind]):
        queues.setdefault(cell.worker, []).append(cell)
    lock = threading.Lock()
    stopping = threading.Event()
    harness_errors: list[BaseException] = []

    def work(impl_id: str) -> None:
        impl = by_impl[impl_id]
        # One output folder per worker, emptied after each cell: making and removing a folder per
        # cell cost more harness time than judging the cell.
        out_dir = writable_dir(scratch.root / "out" / impl_id, scratch.root)
        made: set[Path] = set()
        try:
            for cell in _ready_first(queues[impl_id], scratch):
                if stopping.is_set():
                    return
                if cell.kind is Kind.WRITE:  # the folder the writer creates its store in
                    parent = scratch.store_of(cell.writer, cell.fixture).parent
                    if parent not in made:
                        made.add(writable_dir(parent, scratch.root))
                try:
                    result = run_cell(cell, by_case[cell.fixture], impl.spec, impl.handle, ctx, out_dir)
                except WorkerStopped:
                    return
                result.message = stable(result.message)
                _empty(out_dir)
                if stopping.is_set():
                    return  # the stop cut this cell short (its worker was killed): not a result
                if cell.kind is Kind.WRITE:
                    scratch.produced[(cell.writer, cell.fixture)] = result.status.value
                    scratch.write_done(cell.writer, cell.fixture).set()
                expect.apply(result, expectations)
                result.reproduce = reproduce_command(cell)
                with lock:
                    results.append(result)
                listener(CellFinished(result))
        except BaseException as e:  # a harness bug: stop the run loudly
            harness_errors.append(e)
            raise
        finally:  # never leave a roundtrip reader waiting on a write this thread will not do
            for cell in queues[impl_id]:
                if cell.kind is Kind.WRITE:
                    scratch.write_done(cell.writer, cell.fixture).set()

    threads = [threading.Thread(target=work, args=(i,), name=f"worker-{i}") for i in queues]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    except BaseException:  # Interrupted (a signal), KeyboardInterrupt
        stopping.set()
        abort_all(impls)
        for t in threads:
            t.join(timeout=STOP_GRACE_S)
        raise
    if harness_errors:
        raise harness_errors[0]


def _ready_first(cells: list[Cell], scratch: Scratch) -> Iterator[Cell]:
    """`cells` in order, except that a roundtrip whose writer has not finished that write yet gives way
    to the next one whose writer has: a reader waiting on one slow writer left its core idle. With
    none ready, the first is taken (its cell waits for the write)."""
    pending = deque(cells)
    while pending:
        ready = next((i for i, c in enumerate(pending) if c.kind is not Kind.ROUNDTRIP
                      or scratch.write_done(c.writer, c.fixture).is_set()), 0)
        cell = pending[ready]
        del pending[ready]
        yield cell


def _empty(folder: Path) -> None:
    """Remove what a cell left in its output folder, keeping the folder (and its owner) for the next."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return  # the run is stopping: its scratch folder is already gone
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def reproduce_command(cell: Cell) -> str:
    impl = cell.worker if cell.kind is not Kind.ROUNDTRIP else f"{cell.writer} --impl {cell.reader}"
    return f"zarr-conformance run --impl {impl} --kind {cell.kind.value} -k '{cell.fixture}'"
