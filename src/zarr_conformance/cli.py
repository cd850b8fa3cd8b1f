"""The command line: `zarr-conformance run | fixtures | expectations | report`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import NoReturn

from zarr_conformance.paths import DEFAULT_OUT, cache_dir
from zarr_conformance.runners.model import Kind


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    from zarr_conformance.commands.inputs import positive_number
    from zarr_conformance.commands.selection import add_options as add_implementation_options

    p = _Parser(prog="zarr-conformance", description=__doc__)
    p.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="build what is needed, run the matrix, write results.json and the report")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default ./{DEFAULT_OUT})")
    add_implementation_options(run)
    run.add_argument("-k", dest="pattern", metavar="PATTERN",
                     help="only cells whose '<kind> <test id>' contains PATTERN (a glob if it has * ? [)")
    run.add_argument("--kind", action="append", default=[], choices=[k.value for k in Kind],
                     help="only cells of this kind (repeatable); roundtrips bring their write cells")
    run.add_argument("--timeout", type=positive_number(float), default=60.0,
                     help="seconds one cell may take (default 60)")
    run.add_argument("--expectations", type=Path, default=None,
                     help="folder of <impl>.toml expectation files (default ./expectations, else the "
                          "project's own)")
    run.add_argument("--launcher", action="append", default=[], metavar="ID=LAUNCHER",
                     help="force a launcher, e.g. jzarr=jvm or zarr-java=docker")
    run.add_argument("--keep-scratch", action="store_true", help="keep written stores (in the cache's scratch/)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--baseline", type=Path, default=None,
                     help="an earlier results.json: the report shows what changed since (default: the previous "
                          "run's results.json in the output folder, kept in its history/)")
    run.add_argument("--fail-on", choices=["new", "never"], default="new",
                     help="exit 1 when a cell is new or unexpected (not as expectations/ says: 'new', the "
                          "default), or only on a harness error ('never')")
    run.add_argument("--report-url", default=None, metavar="URL",
                     help="where the report will be published: summary.md links it (default "
                          "$ZARR_CONFORMANCE_REPORT_URL, or the GitHub Actions run page)")

    ck = sub.add_parser("check", help="read any store with every implementation and compare what they read")
    ck.add_argument("stores", type=Path, nargs="+", metavar="STORE",
                    help="a Zarr store, or a folder of stores (found below it; a store is not searched further)")
    add_implementation_options(ck)
    ck.add_argument("--timeout", type=positive_number(float), default=120.0,
                    help="seconds one read may take (default 120)")
    ck.add_argument("--max-megabytes", type=positive_number(float), default=512.0,
                    help="read larger arrays in sampled boxes of this much in all (default 512)")
    ck.add_argument("--sample-seed", type=int, default=0, metavar="N",
                    help="another reproducible choice of sampled boxes (default 0)")
    ck.add_argument("--json", type=Path, default=None,
                    help="also write the verdicts as JSON, and the HTML report beside it (FILE.html)")
    ck.add_argument("--out", type=Path, default=None,
                    help="output folder: check.json and check.html (as --json DIR/check.json)")

    bn = sub.add_parser("bench", help="each implementation's read and write times on the same fixtures")
    add_implementation_options(bn)
    bn.add_argument("-k", dest="pattern", metavar="PATTERN", help="only cells matching (as for run)")
    bn.add_argument("--repeat", type=positive_number(int), default=3,
                    help="how many times to run the cells (default 3)")

    fx = sub.add_parser("fixtures", help="list the catalogue or build the golden stores")
    fx.add_argument("action", choices=["list", "build"])

    ex = sub.add_parser("expectations", help="write expectation files from a results file")
    ex.add_argument("action", choices=["update"])
    ex.add_argument("results", type=Path, help="results.json")
    ex.add_argument("--dir", type=Path, default=Path("expectations"))

    rp = sub.add_parser("report", help="render index.html and a Markdown summary from a results.json "
                                       "(or check.html from a check.json)")
    rp.add_argument("results", type=Path)
    rp.add_argument("--out", type=Path, default=None, help="folder (default: beside the results file)")
    rp.add_argument("--baseline", type=Path, default=None, help="an earlier results.json: show what changed")
    rp.add_argument("--report-url", default=None, metavar="URL", help="where the report is published (summary.md)")

    df = sub.add_parser("diff", help="what changed between two results files (Markdown)")
    df.add_argument("old", type=Path)
    df.add_argument("new", type=Path)
    df.add_argument("--fail-on-new-failures", action="store_true", help="exit 1 when a cell newly fails")
    return p


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `zarr-conformance diff ... | head` ends quietly
    args = _parser().parse_args(argv)
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s")
    from zarr_conformance.errors import HarnessError
    from zarr_conformance.runners.interrupt import Interrupted, stop_on_signals

    try:
        with stop_on_signals():
            return _dispatch(args)
    except HarnessError as e:
        return _fail(str(e))
    except Interrupted as e:  # before any cell ran (a run stopped later writes its partial results)
        print(f"zarr-conformance: {e}; nothing written", file=sys.stderr)
        return 128 + e.signum
    except OSError as e:  # a file the user named, seen too late to say it better: still one line
        logging.getLogger(__name__).debug("unexpected OSError", exc_info=True)
        return _fail(f"{e.strerror or e}: {e.filename}" if e.filename else str(e))


def _fail(message: str) -> int:
    first, _, rest = message.partition("\n")
    print(f"zarr-conformance: error: {first}", file=sys.stderr)
    if rest:  # a build's output tail, say: the error line first, details after it
        print(rest, file=sys.stderr)
    return 2


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        from zarr_conformance.commands.run import run_command

        return run_command(args)
    if args.command == "check":
        from zarr_conformance.commands.check import check_command

        return check_command(args)
    if args.command == "bench":
        from zarr_conformance.commands.bench import bench_command

        return bench_command(args.impl, args.impl_source, args.pattern, args.repeat)
    if args.command == "fixtures":
        from zarr_conformance.commands.fixtures import fixtures_command

        return fixtures_command(args.action, cache_dir())
    if args.command == "expectations":
        from zarr_conformance.commands.expectations import update_command

        return update_command(args.results, args.dir)
    if args.command == "report":
        from zarr_conformance.commands.report import report_command

        return report_command(args.results, args.out, args.baseline, args.report_url)
    if args.command == "diff":
        from zarr_conformance.commands.diff import diff_command

        return diff_command(args.old, args.new, args.fail_on_new_failures)
    return 2


if __name__ == "__main__":
    sys.exit(main())
