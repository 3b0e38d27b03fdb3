"""The ``myoresponse`` command: score JSON assessments or a CSV cohort; print the JSON Schema.

Standard output carries only JSON (or the output CSV); messages for people go to standard error.
An output file (``-o``) is written whole or not at all. Exit status: 0 when every item/row
scored, 1 when at least one is an error, 2 when the input cannot be read or the output cannot be
written, 64 for a command-line mistake (usage), 70 for an internal error (a defect to report), 130
when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import IO, Any, NoReturn, TextIO

from myoresponse._exact import written
from myoresponse._version import __version__
from myoresponse.errors import InputFormatError, MyoresponseError, UnvalidatedSubtypeWarning
from myoresponse.io._json_text import Unreadable, dump, item_problem, parse, split_id
from myoresponse.io._output import OutputError, atomic_output, check_writable, internal_error
from myoresponse.io.json import assessment_from_json, error_to_json, score_json, score_series_json
from myoresponse.io.report import add_report_command

__all__ = ["EXIT_SOFTWARE", "EXIT_USAGE", "main"]

EXIT_OK, EXIT_ITEM_ERROR, EXIT_UNREADABLE = 0, 1, 2
EXIT_USAGE = 64
"""A mistake on the command line (an unknown flag, a bad flag value, a missing keyword)."""
EXIT_SOFTWARE = 70
"""An internal error of myoresponse (a defect to report), as ``EX_SOFTWARE`` of sysexits.h."""
EXIT_INTERRUPTED = 130

_EXIT_STATUS = """\
exit status: 0 every item/row scored; 1 at least one item/row is an error (shown in its place,
or in the row's error column); 2 the input cannot be read (not UTF-8, not JSON, no usable CSV
header) or the output cannot be written; 64 a command-line mistake; 70 an internal error (please
report it); 130 interrupted. An output file (-o) is written whole or not at all.
"""

_EPILOG = f"""\
examples:
  myoresponse example                     score the built-in adult example and show it
  myoresponse score visit.json            score one assessment object (or an array of them)
  cat cohort.json | myoresponse score -   read the JSON from standard input
  myoresponse score --jsonl items.jsonl   JSON Lines in, one result per line out (streamed)
  myoresponse score --csv cohort.csv --population adult --mmt-max 150 -o scored.csv
                                          score a cohort table, one row per baseline/follow-up
  myoresponse schema -o myoresponse.schema.json
                                          the JSON Schema of assessment and result objects
  python -m myoresponse score visit.json  the same, without the console script
  myoresponse series patient.json         score a visit series and its trial endpoints
  myoresponse series --csv visits.csv --population adult --mmt-max 80 -o endpoints.csv
                                          score a long table, one row per patient visit

Run "myoresponse COMMAND --help" for the options of one command.

{_EXIT_STATUS}"""

_SCORE_EPILOG = f"""\
example:
  myoresponse score --csv cohort.csv --population adult --mmt-max 150 -o scored.csv

JSON: an assessment object or an array of them; an item may carry an "id" (a string or a
number), echoed in its result. --jsonl: one item per line in, one result per line out.

CSV columns: baseline_<key> and followup_<key> for physician_global, patient_global, mmt,
haq (chaq for JDM), extramuscular; baseline_ck, followup_ck, uln_ck (and aldolase, ast, alt,
ldh); optional id, population, mmt_max, global_max. Column names match case-insensitively; an
unknown column that looks like a measure is an error. An empty cell is a missing value.
Output: id, total_improvement_score, category, enzyme, points_<key>, change_<key>,
worsened_count, partial, error.

{_EXIT_STATUS}"""

_SERIES_EPILOG = f"""\
example:
  myoresponse series --csv visits.csv --population adult --mmt-max 80 -o endpoints.csv

JSON: a series object (baseline and visits) or an array of them; --jsonl: one per line.

CSV columns: id, visit (label), optional date (YYYY-MM-DD), and the measure columns without
prefix (physician_global, ..., ck, uln_ck, ...); a patient's rows are contiguous, the first is
the baseline. Output: one row per input row, "patient" rows with the endpoints (first_minimal,
consecutive_response, confirmed_deterioration, landmark_response, ...) and "visit" rows with the
scores, worsening and met_<definition>.

{_EXIT_STATUS}"""


class _Usage(Exception):
    """A command-line mistake: reported with exit status 64."""


class _Parser(argparse.ArgumentParser):
    """argparse with the usage exit status of :data:`EXIT_USAGE` instead of 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


Scorer = Callable[[Any], dict[str, Any]]


# -- JSON ----------------------------------------------------------------------------------------


def load_json(stream: IO[Any]) -> Any:
    """Parse the JSON of ``stream`` keeping decimal numbers exact (as :class:`~decimal.Decimal`)."""
    return parse(stream.read())


def _answer(item: Any, scorer: Scorer, where: str) -> tuple[dict[str, Any], bool]:
    """The output object for one item (its result or its error) and whether it is an error."""
    ident = None
    try:
        ident, body = split_id(item)
        problem = item_problem(body)
        if problem is not None:
            raise problem
        with warnings.catch_warnings():  # the result's "warnings" carry them; shown below
            warnings.simplefilter("ignore", UnvalidatedSubtypeWarning)
            output = scorer(body)
    except MyoresponseError as error:
        print(f"myoresponse: {where}{error}", file=sys.stderr)
        output, failed = error_to_json(error), True
    except RecursionError:
        deep = InputFormatError("is nested too deeply to score")
        print(f"myoresponse: {where}{deep}", file=sys.stderr)
        output, failed = error_to_json(deep), True
    except Exception as error:  # a defect of the library: answer this item, keep the others
        message = internal_error(error)
        print(f"myoresponse: {where}{message}", file=sys.stderr)
        output = {"error": {"type": "InternalError", "message": message, "field": None}}
        failed = True
    else:
        failed = False
        for message in output.get("warnings", ()):
            print(f"myoresponse: {where}warning: {message}", file=sys.stderr)
    if ident is not None:
        output = {"id": ident, **output}
    return output, failed


def _read_input(path: str | None) -> bytes:
    if path in (None, "-"):
        stdin = sys.stdin
        data: bytes | str = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        return data if isinstance(data, bytes) else data.encode("utf-8")
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError as error:
        raise Unreadable(f"cannot read {path}: {error.strerror}") from None


def _run_json(args: argparse.Namespace, scorer: Scorer) -> int:
    """Score the JSON object or array of FILE or standard input; write the JSON output."""
    document = parse(_read_input(args.file))
    if isinstance(document, dict):
        items, single = [document], True
    elif isinstance(document, list):
        items, single = document, False
    else:
        raise Unreadable(
            f"input must be a JSON object or an array of objects, got {type(document).__name__}"
        )
    outputs, errors = [], 0
    for index, item in enumerate(items):
        output, failed = _answer(item, scorer, "" if single else f"item {index}: ")
        outputs.append(output)
        errors += failed
    with atomic_output(args.output) as sink:
        sink.write(dump(outputs[0] if single else outputs, args.compact))
    return EXIT_ITEM_ERROR if errors else EXIT_OK


def _lines(path: str | None) -> Iterator[tuple[bytes, Callable[[], int] | None, int]]:
    """The raw lines of FILE or standard input, with a position reader and the size for progress."""
    if path in (None, "-"):
        stdin = sys.stdin
        if hasattr(stdin, "buffer"):
            for line in stdin.buffer:
                yield line, None, 0
        else:
            for text in stdin:
                yield text.encode("utf-8"), None, 0
        return
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise Unreadable(f"cannot read {path}: {error.strerror}") from None
    with raw:
        size = os.fstat(raw.fileno()).st_size
        for line in raw:
            yield line, raw.tell, size


def _run_jsonl(args: argparse.Namespace, scorer: Scorer) -> int:
    """JSON Lines: one item per line in, one output object per line out, as each is scored."""
    errors = 0
    show = None
    done = 0
    with atomic_output(args.output) as sink:
        for number, (line, position, size) in enumerate(_lines(args.file), 1):
            if show is None and position is not None and _wants_progress(size):
                show = _progress_bar(size, position)
            if not line.strip():
                continue  # a blank line holds no item
            try:
                output, failed = _answer(parse(line, f"line {number}"), scorer, f"line {number}: ")
            except Unreadable as error:
                problem = InputFormatError(str(error))
                print(f"myoresponse: line {number}: {problem}", file=sys.stderr)
                output, failed = error_to_json(problem), True
            errors += failed
            sink.write(dump(output, compact=True))
            if sink is sys.stdout:
                sink.flush()
            done += 1
            if show is not None and done % 1000 == 0:
                show(done)
        if show is not None:
            show(done)
            print(file=sys.stderr)
    return EXIT_ITEM_ERROR if errors else EXIT_OK


# -- CSV -----------------------------------------------------------------------------------------

_TABLE_FLAGS = (
    ("--population", "population"),
    ("--core-set", "core_set"),
    ("--mmt-max", "mmt_max"),
    ("--global-max", "global_max"),
    ("--band-edges", "band_edges"),
    ("--enzyme-rule", "enzyme_rule"),
    ("--missing", "missing"),
    ("--enzyme", "enzyme"),
    ("--subtype", "subtype"),
    ("--column-map", "column_map"),
)
_SERIES_FLAGS = (
    *_TABLE_FLAGS,
    ("--level", "level"),
    ("--consecutive", "consecutive"),
    ("--landmark", "landmark"),
    ("--landmark-day", "landmark_day"),
    ("--window-days", "window_days"),
    ("--responder-threshold", "responder_threshold"),
)
_PROGRESS_BYTES = 1 << 20  # show a progress bar for files over 1 MiB (some 10,000 rows)


def _flag_of(attr: str) -> str:
    return "--" + attr.replace("_", "-")


def _csv_keywords(args: argparse.Namespace, flags: Sequence[tuple[str, str]]) -> dict[str, Any]:
    keywords: dict[str, Any] = {}
    for flag, attr in flags:
        value: Any = getattr(args, attr, None)
        if value is None:
            continue
        if attr in ("mmt_max", "global_max", "responder_threshold"):
            try:
                value = Decimal(value)
            except InvalidOperation:
                raise _Usage(f"{flag} {getattr(args, attr)}: is not a number") from None
        if attr == "column_map":
            from myoresponse.io._exports import read_column_map

            try:
                value = read_column_map(value)
            except MyoresponseError as error:
                raise Unreadable(f"--column-map: {error.reason}") from None
        keywords[attr] = value
    return keywords


def _check_scales(keywords: dict[str, Any], args: argparse.Namespace) -> None:
    """Validate --mmt-max and --global-max now: a bad scale is a command-line mistake."""
    from myoresponse.measures import Scales

    scales = {key: keywords[key] for key in ("mmt_max", "global_max") if key in keywords}
    try:
        Scales(**scales)
    except MyoresponseError as error:
        raise _Usage(_in_flag_terms(error, args)) from None


def _wants_progress(size: int) -> bool:
    return size > _PROGRESS_BYTES and sys.stderr.isatty()


def _progress_bar(total: int, position: Callable[[], int]) -> Callable[[int], None]:
    def show(rows: int) -> None:
        done = min(position() / total, 1.0) if total else 1.0
        bar = "#" * int(done * 30)
        print(f"\rscoring {bar:<30} {done:4.0%}  {rows:,} rows", end="", file=sys.stderr)

    return show


def _text_source(path: str) -> tuple[TextIO, IO[bytes] | None]:
    """The CSV text of ``path`` or standard input (a byte-order mark is dropped) and its file."""
    if path == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:
            return sys.stdin, None
        return io.TextIOWrapper(buffer, encoding="utf-8-sig", newline=""), None
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as error:
        raise Unreadable(f"cannot read {path}: {error.strerror}") from None
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""), raw


def _run_csv(args: argparse.Namespace, flags: Sequence[tuple[str, str]], series: bool) -> int:
    """Score the CSV of ``--csv`` (a cohort table, or with ``series`` a long table); report."""
    from myoresponse.io import csv as csv_stream  # numpy: loaded only for tables

    if args.compact:
        raise _Usage("--compact applies to JSON output; --csv writes a CSV table")
    keywords = _csv_keywords(args, flags)
    _check_scales(keywords, args)
    subtype = keywords.pop("subtype", None) if not series else None
    source, raw = _text_source(args.csv)
    progress = None
    if raw is not None and _wants_progress(os.fstat(raw.fileno()).st_size):
        progress = _progress_bar(os.fstat(raw.fileno()).st_size, raw.tell)
    what = "a long table of visits" if series else "a cohort table"
    stream = csv_stream.score_series_csv if series else csv_stream.score_csv
    try:
        with (
            warnings.catch_warnings(),  # the warnings column carries them; summed up below
            atomic_output(args.output) as sink,
            contextlib.ExitStack() as split,
        ):
            warnings.simplefilter("ignore", UnvalidatedSubtypeWarning)
            extra: dict[str, TextIO] = {}
            patients = getattr(args, "patients_output", None)
            if patients is not None:  # both files are written whole, or neither
                extra["patients_sink"] = split.enter_context(atomic_output(patients))
            summary = stream(
                source,
                sink,
                keywords,
                chunk_rows=args.chunk_rows or csv_stream.CHUNK_ROWS,
                progress=progress,
                **extra,
            )
    except csv_stream.KeywordError as error:
        raise _Usage(_in_flag_terms(error.error, args)) from None
    except csv_stream.MissingKeyword as error:
        raise _Usage(str(error)) from None
    except MyoresponseError as error:
        from myoresponse.tables.terms import as_flags  # a column map's entry named by the flag

        raise Unreadable(f"cannot score {args.csv} as {what}: {as_flags(str(error))}") from None
    except UnicodeDecodeError as error:
        raise Unreadable(
            f"{args.csv} is not UTF-8 text ({error.reason}: byte 0x{error.object[error.start]:02x})"
        ) from None
    finally:
        if progress is not None:
            print(file=sys.stderr)
        if raw is not None:
            source.close()
    if subtype is not None:
        _subtype_note(subtype, keywords.get("population"))
    for note in summary.notes:
        print(f"myoresponse: {note}", file=sys.stderr)
    if isinstance(summary, csv_stream.SeriesCsvSummary):
        return _series_report(summary)
    if summary.errors:
        print(
            f"myoresponse: {summary.errors} of {summary.rows} rows could not be scored "
            f"(see the error column); first: {summary.first_error}",
            file=sys.stderr,
        )
        return EXIT_ITEM_ERROR
    return EXIT_OK


def _in_flag_terms(error: MyoresponseError, args: argparse.Namespace) -> str:
    """A keyword's error in command-line terms: the flags, and the value as typed."""
    attr = (error.field or "").rpartition(".")[2]  # scales.global_max -> global_max
    reason = error.reason
    for flag, name in _SERIES_FLAGS:  # landmark_day -> --landmark-day inside the reason
        if "_" in name:
            reason = re.sub(rf"\b{name}\b", flag, reason)
    if not hasattr(args, attr):
        return str(error)
    typed = getattr(args, attr)
    if typed is None:
        return f"{_flag_of(attr)}: {reason}"
    for shown in (written(error.value), repr(error.value)):
        if error.value is not None and shown in reason:
            return f"{_flag_of(attr)}: {reason.replace(shown, str(typed), 1)}"
    return f"{_flag_of(attr)} {typed}: {reason}"


def _subtype_note(subtype: str, population: str | None) -> None:
    from myoresponse.criteria import Population
    from myoresponse.subtypes import Subtype, subtype_warnings

    try:
        parsed = Subtype.parse(subtype, "--subtype")
    except MyoresponseError as error:
        raise _Usage(f"--subtype {subtype}: {error.reason}") from None
    if population is not None:
        for message in subtype_warnings(Population(population), parsed):
            print(f"myoresponse: warning: {message}", file=sys.stderr)


def _series_report(summary: Any) -> int:
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


# -- commands ------------------------------------------------------------------------------------


def _inputs(args: argparse.Namespace, flags: Sequence[tuple[str, str]], what: str) -> str:
    """Which input form the arguments ask for (json, jsonl, csv); a usage error for a mix."""
    if args.csv is not None and (args.file is not None or args.jsonl):
        raise _Usage("give one input: FILE (JSON), --jsonl [FILE] or --csv IN.csv")
    if args.csv is not None:
        return "csv"
    given = [flag for flag, attr in flags if getattr(args, attr, None) is not None]
    if given:
        raise _Usage(
            f"{', '.join(given)} only apply with --csv; a JSON {what} carries its own "
            "population, scales and options"
        )
    return "jsonl" if args.jsonl else "json"


def _cmd_score(args: argparse.Namespace) -> int:
    form = _inputs(args, _TABLE_FLAGS, "assessment")
    if form == "csv":
        return _run_csv(args, _TABLE_FLAGS, series=False)
    return (_run_jsonl if form == "jsonl" else _run_json)(args, score_json)


def _cmd_series(args: argparse.Namespace) -> int:
    form = _inputs(args, _SERIES_FLAGS, "series")
    if args.patients_output is not None:
        _check_split(args, form)
    if form == "csv":
        return _run_csv(args, _SERIES_FLAGS, series=True)
    return (_run_jsonl if form == "jsonl" else _run_json)(args, score_series_json)


def _check_split(args: argparse.Namespace, form: str) -> None:
    """``--patients-output`` needs ``--csv`` and two distinct files (no standard output)."""
    if form != "csv":
        raise _Usage("--patients-output applies to --csv; JSON output has one result per series")
    if args.output in (None, "-") or args.patients_output == "-":
        raise _Usage(
            "--patients-output writes two files: give -o VISITS.csv and --patients-output "
            "PATIENTS.csv, neither of them - (standard output)"
        )
    if os.path.abspath(args.output) == os.path.abspath(args.patients_output):
        raise _Usage(f"-o and --patients-output both name {args.output}: give two files")


def schema_text() -> str:
    """The JSON Schema of the assessment, result and error objects (shipped as package data)."""
    return resources.files("myoresponse").joinpath("data/schema.json").read_text(encoding="utf-8")


def _cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.compact:
        text = dump(json.loads(text), compact=True)
    with atomic_output(args.output) as sink:
        sink.write(text)
    return EXIT_OK


def example_assessment() -> dict[str, Any]:
    """The built-in adult example assessment (the one in the interface documentation)."""
    text = resources.files("myoresponse").joinpath("data/example_assessment.json").read_text()
    loaded: dict[str, Any] = parse(text)
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
        where = "standard output" if args.output in (None, "-") else args.output
        print(f"\nThe JSON result object ({where}):", file=sys.stderr)
    with atomic_output(args.output) as sink:
        sink.write(dump(result.to_dict(), args.compact))
    return EXIT_OK


# -- the parser: one function per subcommand ----------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number of rows")
    return value


def _output_arguments(command: argparse.ArgumentParser) -> None:
    """``-o`` and ``--compact``: every command that writes output has both."""
    command.add_argument(
        "-o", "--output", metavar="OUT", help="write the output to OUT (whole or not at all)"
    )
    command.add_argument("--compact", action="store_true", help="print JSON on one line")


def _input_arguments(command: argparse.ArgumentParser, what: str) -> None:
    """FILE, ``--jsonl`` and ``--csv``: the three input forms of ``score`` and ``series``."""
    command.add_argument(
        "file", nargs="?", metavar="FILE", help='JSON input; omit or "-" for stdin'
    )
    command.add_argument(
        "--jsonl", action="store_true", help="FILE is JSON Lines: one item per line, streamed"
    )
    command.add_argument("--csv", metavar="IN.csv", help=f'score {what} ("-" for stdin)')
    _output_arguments(command)


def _table_flags(command: argparse.ArgumentParser, title: str, description: str) -> Any:
    """The keyword flags that ``score --csv`` and ``series --csv`` share; returns the group."""
    group = command.add_argument_group(title, description)
    group.add_argument("--population", choices=["adult", "juvenile"])
    group.add_argument("--core-set", choices=["imacs", "printo"])
    group.add_argument("--mmt-max", metavar="N", help="maximum MMT score: 80, 150 or 260")
    group.add_argument("--global-max", metavar="N", help="top of the VAS/Likert scales (10)")
    group.add_argument("--band-edges", choices=["upper-inclusive", "lower-inclusive"])
    group.add_argument("--enzyme-rule", choices=["range", "relative"])
    group.add_argument("--missing", choices=["error", "zero"])
    group.add_argument("--enzyme", metavar="NAME", help="follow this enzyme (CK, aldolase, ...)")
    group.add_argument("--subtype", metavar="NAME", help="DM, PM, JDM, IMNM, ... for all")
    group.add_argument(
        "--column-map",
        metavar="MAP.json",
        help='rename the CSV\'s columns first: a JSON object such as {"pga_vas": '
        '"physician_global"}',
    )
    group.add_argument(
        "--chunk-rows", type=_positive, default=None, metavar="N", help=argparse.SUPPRESS
    )
    return group


def _add_score(commands: Any) -> None:
    score = commands.add_parser(
        "score",
        help="score JSON assessments (FILE, stdin or --jsonl), or a CSV cohort with --csv",
        description="Score one JSON assessment object, or an array of them, and print the "
        "result object(s) as JSON on standard output; or, with --csv, score a cohort table "
        "(one row per baseline/follow-up pair) and write the scored table as CSV.",
        epilog=_SCORE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _input_arguments(score, "a CSV cohort table")
    _table_flags(
        score,
        "cohort tables (CSV)",
        "keywords that apply to every row; per-row population, mmt_max and global_max columns "
        "take precedence where a cell is not empty",
    )
    score.set_defaults(run=_cmd_score)


def _add_series(commands: Any) -> None:
    series = commands.add_parser(
        "series",
        help="score JSON visit series (trial endpoints), or a CSV long table with --csv",
        description="Score one JSON series object (baseline and visits), or an array of them, "
        "and print the series result object(s) as JSON on standard output: every visit's 2016 "
        "result, the IMACS 2004 DOI or PRINTO 20/50/70, and the endpoints; or, with --csv, "
        "score a long table (one row per patient visit) and write one row per visit plus one "
        "summary row per patient as CSV.",
        epilog=_SERIES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _input_arguments(series, "a CSV long table of visits")
    group = _table_flags(
        series,
        "long tables (CSV)",
        "one row per patient visit: id, visit, optional date and the measure columns without "
        "prefix; the keywords apply to every patient, per-patient population, subtype, mmt_max "
        "and global_max columns take precedence where a cell is not empty",
    )
    group.add_argument(
        "--level",
        choices=["minimal", "moderate", "major"],
        help="consecutive response level (minimal)",
    )
    group.add_argument(
        "--consecutive", type=int, metavar="N", help="visits for a consecutive response (2)"
    )
    group.add_argument(
        "--landmark", metavar="LABEL", help="landmark responder at the visit LABEL ('week 16')"
    )
    group.add_argument(
        "--landmark-day",
        type=int,
        metavar="N",
        help="landmark responder at the visit nearest day N after baseline (needs --window-days)",
    )
    group.add_argument(
        "--window-days", type=int, metavar="N", help="landmark visit window, ± N days inclusive"
    )
    group.add_argument(
        "--responder-threshold",
        metavar="TIS",
        help="landmark responder's lowest Total Improvement Score (20 adult, 30 juvenile)",
    )
    group.add_argument(
        "--patients-output",
        metavar="PATIENTS.csv",
        help="write two tidy tables instead of one long one: one row per follow-up visit to -o "
        "and one row per patient to PATIENTS.csv (both whole or neither)",
    )
    series.set_defaults(run=_cmd_series)


def _add_schema(commands: Any) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the assessment and result objects",
        description="Print the JSON Schema (draft 2020-12) of the assessment object, the result "
        "object and the error object of the JSON interface.",
        epilog="example:\n  myoresponse schema -o myoresponse.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _output_arguments(schema)
    schema.set_defaults(run=_cmd_schema)


def _add_example(commands: Any) -> None:
    example = commands.add_parser(
        "example",
        help="score the built-in example assessment and print the result",
        description="Show the built-in adult example assessment on standard error and print "
        "its result object on standard output: a template for your own JSON. With --compact, "
        "only the result, on one line.",
        epilog="example:\n  myoresponse example --compact -o result.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _output_arguments(example)
    example.set_defaults(run=_cmd_example)


def _add_report(commands: Any) -> None:
    add_report_command(commands, _table_flags)  # the case-series report (io/report.py)


_COMMANDS: tuple[Callable[[Any], None], ...] = (
    _add_score,
    _add_series,
    _add_schema,
    _add_example,
    _add_report,
)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="myoresponse",
        description="Score the 2016 ACR/EULAR myositis response criteria (adult DM/PM and JDM). "
        "A calculation aid, not a medical device.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"myoresponse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _COMMANDS:
        add(commands)
    return parser


def _no_output_over_input(args: argparse.Namespace) -> None:
    """Refuse an output file that is an input file: the results would replace the data they
    were computed from (the scores do not carry the input's columns)."""
    inputs = [getattr(args, name, None) for name in ("csv", "file", "column_map")]
    for flag, name in (("-o", "output"), ("--patients-output", "patients_output")):
        output = getattr(args, name, None)
        if output in (None, "-"):
            continue
        for given in inputs:
            if given in (None, "-") or not _same_file(given, output):
                continue
            raise _Usage(
                f"{flag} {output} is the input file; the results would replace the data they "
                "are computed from: write them to another file"
            )


def _same_file(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet): compare the paths
        return os.path.abspath(first) == os.path.abspath(second)


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command; every expected failure becomes one line and an exit status."""
    try:
        _no_output_over_input(args)
        if getattr(args, "output", None) not in (None, "-"):
            check_writable(args.output)  # before any work
        status: int = args.run(args)
        return status
    except _Usage as error:
        print(f"myoresponse: {error} (see myoresponse {args.command} --help)", file=sys.stderr)
        return EXIT_USAGE
    except (Unreadable, OutputError) as error:
        print(f"myoresponse: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:
        raise
    except OSError as error:  # e.g. the disk filled up while writing
        print(f"myoresponse: {error.filename or 'output'}: {error.strerror}", file=sys.stderr)
        return EXIT_UNREADABLE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module's docstring)."""
    try:
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # --help, --version, or a usage error
            return stop.code if isinstance(stop.code, int) else EXIT_USAGE
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return _run(args)
    except KeyboardInterrupt:
        print("myoresponse: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        _quiet_stdout()
        return EXIT_OK
    except Exception as error:  # a defect: one line, no partial output file, a distinct status
        print(f"myoresponse: {internal_error(error)}", file=sys.stderr)
        return EXIT_SOFTWARE


def _quiet_stdout() -> None:
    """Point standard output at the null device so that the exit flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
