"""The ``myoresponse report`` command: a case-series report from a long table of visits.

Exit status: 0 when the report is written (patients not evaluable are listed with their reasons);
1 when it is written but at least one patient's rows are invalid (listed in the report); 2 when
the input cannot be read or the report cannot be made (no such file, not a long table, mixed
populations, the ``report`` extra not installed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from myoresponse.errors import MyoresponseError
from myoresponse.report.cases import case_series
from myoresponse.report.example import example_table, read_columns
from myoresponse.report.extra import MissingExtraError, require
from myoresponse.report.words import sentences
from myoresponse.report.writing import write_report

__all__ = ["add_report_command", "run_report"]

_OK, _INVALID_ROWS, _UNREADABLE = 0, 1, 2
_EPILOG = """\
examples:
  myoresponse report --example -o example-report
                      the built-in synthetic case series of 8 patients
  myoresponse report visits.csv --population adult --mmt-max 150 --at "month 6" -o report
  myoresponse report visits.csv --population juvenile --at-day 180 --window 30 -o report

The input is the long table of `myoresponse series --csv` (one row per patient visit: id, visit,
optional date, the measure columns) plus optional glucocorticoid columns: prednisone_mg_per_day,
or steroid_drug, steroid_dose_mg, steroid_frequency (_2, _3, ... for more drugs).
Writes DIR/report.html (or report.md), DIR/summary.json, DIR/patients.csv and DIR/figures/.
Needs the report extra: pip install 'myoresponse[report]'.

exit status: 0 report written; 1 report written, some patients' rows invalid (listed);
2 input unreadable or no report made.
"""
_KEYWORDS = ("population", "core_set", "band_edges", "enzyme_rule", "missing", "enzyme", "subtype")


def add_report_command(commands: Any, table_flags: Callable[[Any, str, str], Any]) -> None:
    """Add the ``report`` subcommand to the ``myoresponse`` command's subparsers.

    ``table_flags(command, title, description)`` adds the scoring flags shared with ``score
    --csv`` and ``series --csv`` (``--population``, ``--mmt-max``, …) as an argument group.
    """
    report = commands.add_parser(
        "report",
        help="write a case-series report (summary, figures, per-patient table) from a long table",
        description="Score a long table of visits (CSV, one row per patient visit) at one "
        "follow-up visit per patient and write a case-series report: the summary in words, "
        "summary.json, patients.csv and the figures.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("file", nargs="?", metavar="FILE", help="the long table (CSV)")
    report.add_argument(
        "--example", action="store_true", help="use the built-in synthetic case series"
    )
    report.add_argument(  # dest "directory": the generic -o check is for an output file
        "-o", "--output", dest="directory", metavar="DIR", required=True, help="output directory"
    )
    report.add_argument("--format", choices=["html", "md"], default="html")
    report.add_argument("--title", metavar="TEXT", help="the report's title")
    table_flags(report, "scoring", "the keywords of series --csv, for every patient")
    when = report.add_argument_group("follow-up visit (default: each patient's last visit)")
    when.add_argument("--at", metavar="LABEL", help='the visit with this label, e.g. "month 6"')
    when.add_argument("--at-day", type=int, metavar="N", help="the visit nearest to day N")
    when.add_argument("--window", type=int, metavar="D", help="... within ±D days (with --at-day)")
    report.set_defaults(run=run_report)


def _fail(message: str) -> int:
    print(f"myoresponse: {message}", file=sys.stderr)
    return _UNREADABLE


def run_report(args: argparse.Namespace) -> int:
    """Run ``myoresponse report``; return the exit status."""
    try:
        require("matplotlib.figure")
        require("scipy.stats")
    except MissingExtraError as error:
        return _fail(str(error).split(" (")[0])
    if getattr(args, "column_map", None):
        return _fail("--column-map is not supported by report; rename the columns first")
    if args.example == (args.file is not None):
        return _fail("give a long table FILE or --example (not both)")
    keywords: dict[str, Any] = {
        name: getattr(args, name) for name in _KEYWORDS if getattr(args, name) is not None
    }
    for name in ("mmt_max", "global_max"):
        value = getattr(args, name)
        if value is not None:
            try:
                keywords[name] = Decimal(value)
            except InvalidOperation:
                return _fail(f"--{name.replace('_', '-')}: {value!r} is not a number")
    source = "the built-in example" if args.example else args.file
    try:
        if args.example:
            columns = example_table()
            keywords.setdefault("population", "adult")
            keywords.setdefault("mmt_max", Decimal(150))
        else:
            with open(args.file, encoding="utf-8-sig", newline="") as stream:
                columns = read_columns(stream)
        series = case_series(
            columns, at=args.at, at_day=args.at_day, window=args.window, **keywords
        )
    except OSError as error:
        return _fail(f"cannot read {source}: {error.strerror}")
    except (MyoresponseError, UnicodeDecodeError) as error:
        return _fail(f"cannot report {source} as a long table of visits: {error}")
    title = args.title or (
        "Case series report: built-in synthetic example" if args.example else "Case series report"
    )
    try:
        summary = write_report(
            series, args.directory, format=args.format, title=title, synthetic=args.example
        )
    except OSError as error:
        return _fail(f"cannot write the report to {args.directory}: {error.strerror}")
    for sentence in sentences(summary):
        print(sentence, file=sys.stderr)
    page = Path(args.directory) / f"report.{args.format}"
    print(f"myoresponse: wrote {page}, summary.json, patients.csv, figures/", file=sys.stderr)
    if summary.errors:
        ident, message = summary.errors[0]
        print(
            f"myoresponse: {len(summary.errors)} of {summary.n_patients} patients have invalid "
            f"rows (listed in the report); first: patient {ident!r}: {message}",
            file=sys.stderr,
        )
        return _INVALID_ROWS
    return _OK
