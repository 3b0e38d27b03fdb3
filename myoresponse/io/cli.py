"""The ``myoresponse`` command: score JSON assessments or a CSV cohort; print the JSON Schema.

Standard output carries only JSON (or the output CSV); messages for people go to standard error.
Exit status: 0 when every item/row scored, 1 when at least one is an error, 2 when the input
itself is unreadable.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, NoReturn, TextIO

from myoresponse._version import __version__
from myoresponse.errors import MyoresponseError, UnvalidatedSubtypeWarning
from myoresponse.io._exports import read_column_map
from myoresponse.io.csv import CHUNK_ROWS, CsvSummary, SeriesCsvSummary, score_csv, score_series_csv
from myoresponse.io.json import assessment_from_json, error_to_json, score_json, score_series_json
from myoresponse.io.report import add_report_command

__all__ = ["main"]

EXIT_OK, EXIT_ITEM_ERROR, EXIT_UNREADABLE = 0, 1, 2

_EPILOG = """\
examples:
  myoresponse example                     score the built-in adult example and show it
  myoresponse score visit.json            score one assessment object (or an array of them)
  cat cohort.json | myoresponse score -   read the JSON from standard input
  myoresponse score --csv cohort.csv --population adult --mmt-max 150 -o scored.csv
                                          score a cohort table, one row per baseline/follow-up
  myoresponse schema > myoresponse.schema.json
                                          the JSON Schema of assessment and result objects
  python -m myoresponse score visit.json  the same, without the console script
  myoresponse series patient.json         score a visit series and its trial endpoints
  myoresponse series --csv visits.csv --population adult --mmt-max 80 -o endpoints.csv
                                          score a long table, one row per patient visit

CSV columns: baseline_<key> and followup_<key> for physician_global, patient_global, mmt,
haq (chaq for JDM), extramuscular; baseline_ck, followup_ck, uln_ck (and aldolase, ast, alt,
ldh); optional id, population, mmt_max, global_max. An empty cell is a missing value. Output:
id, total_improvement_score, category, enzyme, points_<key>, change_<key>, worsened_count,
partial, error.

series --csv columns: id, visit (label), optional date (YYYY-MM-DD), and the measure columns
without prefix (physician_global, ..., ck, uln_ck, ...); a patient's rows are contiguous, the
first is the baseline. Output: one row per input row, "patient" rows with the endpoints
(first_minimal, consecutive_response, confirmed_deterioration, landmark_response, ...) and
"visit" rows with the scores, worsening and met_<definition>.

exit status: 0 every item/row scored; 1 at least one item/row is an error (shown in its place,
or in the row's error column); 2 the input is unreadable (not JSON, not an object or array of
objects, a CSV file without a usable header).
"""


class _Unreadable(Exception):
    """The input as a whole cannot be read: not JSON, or the wrong top-level shape."""


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def load_json(stream: TextIO) -> Any:
    """Parse JSON keeping decimal numbers exact (as :class:`~decimal.Decimal`)."""
    try:
        return json.load(stream, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise _Unreadable(f"input is not valid JSON: {error}") from None


Scorer = Callable[[Any], dict[str, Any]]


def _score_document(document: Any, scorer: Scorer = score_json) -> tuple[Any, int]:
    """Score an object or an array of objects; return the output document and the error count."""
    if isinstance(document, dict):
        items, single = [document], True
    elif isinstance(document, list):
        items, single = document, False
    else:
        raise _Unreadable(
            f"input must be a JSON object or an array of objects, got {type(document).__name__}"
        )
    outputs: list[dict[str, Any]] = []
    errors = 0
    for index, item in enumerate(items):
        where = "" if single else f"item {index}: "
        try:
            with warnings.catch_warnings():  # the result's "warnings" carry them; shown below
                warnings.simplefilter("ignore", UnvalidatedSubtypeWarning)
                outputs.append(scorer(item))
        except MyoresponseError as error:
            errors += 1
            outputs.append(error_to_json(error))
            print(f"myoresponse: {where}{error}", file=sys.stderr)
        else:
            for message in outputs[-1].get("warnings", ()):
                print(f"myoresponse: {where}warning: {message}", file=sys.stderr)
    return (outputs[0] if single else outputs), errors


def _emit(document: Any, compact: bool) -> None:
    json.dump(document, sys.stdout, indent=None if compact else 2, allow_nan=False)
    sys.stdout.write("\n")


def _cmd_score(args: argparse.Namespace) -> int:
    if args.csv is not None:
        if args.file is not None:
            print("myoresponse: give either FILE (JSON) or --csv IN.csv, not both", file=sys.stderr)
            return EXIT_UNREADABLE
        return _cmd_score_csv(args)
    given = [flag for flag, attr in _CSV_FLAGS if getattr(args, attr) is not None]
    if given:
        print(
            f"myoresponse: {', '.join(given)} only apply with --csv; a JSON assessment carries "
            "its own population, scales and options",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    return _score_json_input(args, score_json)


def _cmd_series(args: argparse.Namespace) -> int:
    if args.csv is not None:
        if args.file is not None:
            print("myoresponse: give either FILE (JSON) or --csv IN.csv, not both", file=sys.stderr)
            return EXIT_UNREADABLE
        return _run_csv(args, _SERIES_CSV_FLAGS, score_series_csv, "a long table of visits")
    given = [flag for flag, attr in _SERIES_CSV_FLAGS if getattr(args, attr) is not None]
    if given:
        print(
            f"myoresponse: {', '.join(given)} only apply with --csv; a JSON series carries "
            "its own population, scales, options and endpoints",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    return _score_json_input(args, score_series_json)


def _score_json_input(args: argparse.Namespace, scorer: Scorer) -> int:
    """Read JSON from FILE or standard input, score it with ``scorer``, write the JSON out."""
    try:
        if args.file in (None, "-"):
            document = load_json(sys.stdin)
        else:
            try:
                with open(args.file, encoding="utf-8") as stream:
                    document = load_json(stream)
            except OSError as error:
                raise _Unreadable(f"cannot read {args.file}: {error.strerror}") from None
        output, errors = _score_document(document, scorer)
    except _Unreadable as error:
        print(f"myoresponse: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.output is not None:
        with open(args.output, "w", encoding="utf-8") as sink:
            json.dump(output, sink, indent=None if args.compact else 2, allow_nan=False)
            sink.write("\n")
    else:
        _emit(output, args.compact)
    return EXIT_ITEM_ERROR if errors else EXIT_OK


_CSV_FLAGS = (
    ("--population", "population"),
    ("--core-set", "core_set"),
    ("--mmt-max", "mmt_max"),
    ("--global-max", "global_max"),
    ("--band-edges", "band_edges"),
    ("--enzyme-rule", "enzyme_rule"),
    ("--missing", "missing"),
    ("--enzyme", "enzyme"),
    ("--column-map", "column_map"),
)
_SERIES_CSV_FLAGS = (
    *_CSV_FLAGS,
    ("--subtype", "subtype"),
    ("--level", "level"),
    ("--consecutive", "consecutive"),
    ("--landmark", "landmark"),
    ("--landmark-day", "landmark_day"),
    ("--window-days", "window_days"),
    ("--responder-threshold", "responder_threshold"),
)
_PROGRESS_BYTES = 1 << 20  # show a progress bar for files over 1 MiB (some 10,000 rows)


def _csv_keywords(
    args: argparse.Namespace, flags: Sequence[tuple[str, str]] = _CSV_FLAGS
) -> dict[str, Any]:
    keywords: dict[str, Any] = {}
    for _, attr in flags:
        value = getattr(args, attr)
        if value is None:
            continue
        if attr in ("mmt_max", "global_max", "responder_threshold"):
            try:
                value = Decimal(value)
            except InvalidOperation:
                raise _Unreadable(
                    f"--{attr.replace('_', '-')}: {value!r} is not a number"
                ) from None
        if attr == "column_map":
            value = read_column_map(value)
        keywords[attr] = value
    return keywords


def _progress_bar(total: int, position: Callable[[], int]) -> Callable[[int], None]:
    def show(rows: int) -> None:
        done = min(position() / total, 1.0) if total else 1.0
        bar = "#" * int(done * 30)
        print(f"\rscoring {bar:<30} {done:4.0%}  {rows:,} rows", end="", file=sys.stderr)

    return show


def _cmd_score_csv(args: argparse.Namespace) -> int:
    return _run_csv(args, _CSV_FLAGS, score_csv, "a cohort table")


def _run_csv(
    args: argparse.Namespace,
    flags: Sequence[tuple[str, str]],
    stream: Callable[..., CsvSummary | SeriesCsvSummary],
    what: str,
) -> int:
    """Read the CSV of ``--csv`` with ``stream`` (score_csv, score_series_csv); report; exit."""
    try:
        keywords = _csv_keywords(args, flags)
        if args.csv == "-":
            source: TextIO = sys.stdin
            raw = None
        else:
            try:
                raw = open(args.csv, "rb")  # noqa: SIM115 - closed below
            except OSError as error:
                raise _Unreadable(f"cannot read {args.csv}: {error.strerror}") from None
            source = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        progress = None
        if raw is not None and sys.stderr.isatty():
            size = os.fstat(raw.fileno()).st_size
            if size > _PROGRESS_BYTES:
                progress = _progress_bar(size, raw.tell)
        try:
            with warnings.catch_warnings():  # the warnings column carries them; summed up below
                warnings.simplefilter("ignore", UnvalidatedSubtypeWarning)
                if args.output is None:
                    summary = stream(
                        source, sys.stdout, keywords, chunk_rows=args.chunk_rows, progress=progress
                    )
                else:
                    with open(args.output, "w", encoding="utf-8", newline="") as sink:
                        summary = stream(
                            source, sink, keywords, chunk_rows=args.chunk_rows, progress=progress
                        )
        finally:
            if progress is not None:
                print(file=sys.stderr)
            if raw is not None:
                source.close()
    except MyoresponseError as error:
        print(f"myoresponse: cannot score {args.csv} as {what}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (_Unreadable, UnicodeDecodeError) as error:
        print(f"myoresponse: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as error:
        print(f"myoresponse: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return EXIT_UNREADABLE
    if isinstance(summary, SeriesCsvSummary):
        return _series_report(summary)
    if summary.errors:
        print(
            f"myoresponse: {summary.errors} of {summary.rows} rows could not be scored "
            f"(see the error column); first: {summary.first_error}",
            file=sys.stderr,
        )
        return EXIT_ITEM_ERROR
    return EXIT_OK


def _series_report(summary: SeriesCsvSummary) -> int:
    if summary.warned:
        print(
            f"myoresponse: warning: {summary.warned} of {summary.patients} patients have "
            f"warnings (see the warnings column); first: {summary.first_warning}",
            file=sys.stderr,
        )
    if summary.errors:
        print(
            f"myoresponse: {summary.errors} of {summary.patients} patients could not be scored "
            f"(see the error column); first: {summary.first_error}",
            file=sys.stderr,
        )
        return EXIT_ITEM_ERROR
    return EXIT_OK


def schema_text() -> str:
    """The JSON Schema of the assessment, result and error objects (shipped as package data)."""
    return resources.files("myoresponse").joinpath("data/schema.json").read_text(encoding="utf-8")


def _cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return EXIT_OK


def example_assessment() -> dict[str, Any]:
    """The built-in adult example assessment (the one in the interface documentation)."""
    text = resources.files("myoresponse").joinpath("data/example_assessment.json").read_text()
    loaded: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return loaded


def _cmd_example(args: argparse.Namespace) -> int:
    assessment = example_assessment()
    result = assessment_from_json(assessment).score()
    if not args.compact:
        print(
            "Built-in example: an adult with DM, MMT-8 bilateral (0-150), CK and AST panel.",
            file=sys.stderr,
        )
        print(result.explain(), file=sys.stderr)
        print("\nThe JSON result object (standard output):", file=sys.stderr)
    _emit(result.to_dict(), args.compact)
    return EXIT_OK


def _json_arguments(command: argparse.ArgumentParser) -> None:
    """The arguments of a command that reads JSON from FILE or standard input."""
    command.add_argument(
        "file", nargs="?", metavar="FILE", help='JSON input; omit or "-" for stdin'
    )
    command.add_argument("--compact", action="store_true", help="print JSON on one line")
    command.add_argument(
        "-o", "--output", metavar="OUT", help="write the output to OUT instead of standard output"
    )


def _table_flags(group: Any) -> None:
    """The keyword flags that ``score --csv`` and ``series --csv`` share."""
    group.add_argument("--population", choices=["adult", "juvenile"])
    group.add_argument("--core-set", choices=["imacs", "printo"])
    group.add_argument("--mmt-max", metavar="N", help="maximum MMT score: 80, 150 or 260")
    group.add_argument("--global-max", metavar="N", help="top of the VAS/Likert scales (10)")
    group.add_argument("--band-edges", choices=["upper-inclusive", "lower-inclusive"])
    group.add_argument("--enzyme-rule", choices=["range", "relative"])
    group.add_argument("--missing", choices=["error", "zero"])
    group.add_argument("--enzyme", metavar="NAME", help="follow this enzyme (CK, aldolase, ...)")
    group.add_argument(
        "--column-map",
        metavar="MAP.json",
        help='rename the CSV\'s columns first: a JSON object such as {"pga_vas": '
        '"physician_global"}',
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="myoresponse",
        description="Score the 2016 ACR/EULAR myositis response criteria (adult DM/PM and JDM). "
        "A calculation aid, not a medical device.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"myoresponse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    score = commands.add_parser(
        "score",
        help="score JSON assessments from FILE or standard input, or a CSV cohort with --csv",
        description="Score one JSON assessment object, or an array of them, and print the "
        "result object(s) as JSON on standard output; or, with --csv, score a cohort table "
        "(one row per baseline/follow-up pair) and write the scored table as CSV.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _json_arguments(score)
    table = score.add_argument_group(
        "cohort tables (CSV)",
        "keywords that apply to every row; per-row population, mmt_max "
        "and global_max columns take precedence where a cell is not empty",
    )
    table.add_argument("--csv", metavar="IN.csv", help='score a CSV cohort table ("-" for stdin)')
    _table_flags(table)
    table.add_argument(
        "--chunk-rows", type=int, default=CHUNK_ROWS, metavar="N", help=argparse.SUPPRESS
    )
    score.set_defaults(run=_cmd_score)
    series = commands.add_parser(
        "series",
        help="score JSON visit series (trial endpoints) from FILE or standard input, or a CSV "
        "long table with --csv",
        description="Score one JSON series object (baseline and visits), or an array of them, "
        "and print the series result object(s) as JSON on standard output: every visit's 2016 "
        "result, the IMACS 2004 DOI or PRINTO 20/50/70, and the endpoints; or, with --csv, "
        "score a long table (one row per patient visit) and write one row per visit plus one "
        "summary row per patient as CSV.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _json_arguments(series)
    long_table = series.add_argument_group(
        "long tables (CSV)",
        "one row per patient visit: id, visit, optional date and the measure columns without "
        "prefix; the keywords apply to every patient, per-patient population, subtype, mmt_max "
        "and global_max columns take precedence where a cell is not empty",
    )
    long_table.add_argument(
        "--csv", metavar="IN.csv", help='score a CSV long table of visits ("-" for stdin)'
    )
    _table_flags(long_table)
    long_table.add_argument("--subtype", metavar="NAME", help="DM, PM, JDM, IMNM, ... for all")
    long_table.add_argument(
        "--level",
        choices=["minimal", "moderate", "major"],
        help="consecutive response level (minimal)",
    )
    long_table.add_argument(
        "--consecutive", type=int, metavar="N", help="visits for a consecutive response (2)"
    )
    long_table.add_argument(
        "--landmark", metavar="LABEL", help="landmark responder at the visit LABEL ('week 16')"
    )
    long_table.add_argument(
        "--landmark-day",
        type=int,
        metavar="N",
        help="landmark responder at the visit nearest day N after baseline (needs --window-days)",
    )
    long_table.add_argument(
        "--window-days", type=int, metavar="N", help="landmark visit window, ± N days inclusive"
    )
    long_table.add_argument(
        "--responder-threshold",
        metavar="TIS",
        help="landmark responder's lowest Total Improvement Score (20 adult, 30 juvenile)",
    )
    long_table.add_argument(
        "--chunk-rows", type=int, default=CHUNK_ROWS, metavar="N", help=argparse.SUPPRESS
    )
    series.set_defaults(run=_cmd_series)
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the assessment and result objects",
        description="Print the JSON Schema (draft 2020-12) of the assessment object, the result "
        "object and the error object of the JSON interface.",
    )
    schema.set_defaults(run=_cmd_schema)
    example = commands.add_parser(
        "example",
        help="score the built-in example assessment and print the result",
        description="Show the built-in adult example assessment on standard error and print "
        "its result object on standard output: a template for your own JSON.",
    )
    example.add_argument("--compact", action="store_true", help="print only the result, one line")
    example.set_defaults(run=_cmd_example)
    add_report_command(commands, _table_flags)  # the case-series report (io/report.py)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_UNREADABLE
    try:
        status: int = args.run(args)
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
