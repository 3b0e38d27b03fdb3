"""The ``myoresponse`` command: score JSON assessments from a file or standard input.

Standard output carries only JSON; messages for people go to standard error. Exit status: 0 when
every item scored, 1 when at least one item is an error, 2 when the input itself is unreadable.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, NoReturn, TextIO

from . import __version__
from .errors import MyoresponseError, UnvalidatedSubtypeWarning
from .serialisation import assessment_from_json, error_to_json, score_json
from .series import score_series_json

__all__ = ["main"]

EXIT_OK, EXIT_ITEM_ERROR, EXIT_UNREADABLE = 0, 1, 2

_EPILOG = """\
examples:
  myoresponse example                     score the built-in adult example and show it
  myoresponse score visit.json            score one assessment object (or an array of them)
  cat cohort.json | myoresponse score -   read the JSON from standard input
  python -m myoresponse score visit.json  the same, without the console script
  myoresponse series patient.json         score a visit series and its trial endpoints

exit status: 0 every item scored; 1 at least one item is an error (shown in its place);
2 the input is unreadable (not JSON, or not an object or array of objects).
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


def _cmd_score(args: argparse.Namespace, scorer: Scorer = score_json) -> int:
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
    _emit(output, args.compact)
    return EXIT_ITEM_ERROR if errors else EXIT_OK


def _cmd_series(args: argparse.Namespace) -> int:
    return _cmd_score(args, score_series_json)


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
        help="score JSON assessments from FILE or standard input",
        description="Score one JSON assessment object, or an array of them, and print the "
        "result object(s) as JSON on standard output.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("file", nargs="?", metavar="FILE", help='JSON input; omit or "-" for stdin')
    score.add_argument("--compact", action="store_true", help="print JSON on one line")
    score.set_defaults(run=_cmd_score)
    series = commands.add_parser(
        "series",
        help="score JSON visit series (trial endpoints) from FILE or standard input",
        description="Score one JSON series object (baseline and visits), or an array of them, "
        "and print the series result object(s) as JSON on standard output: every visit's 2016 "
        "result, the IMACS 2004 DOI or PRINTO 20/50/70, and the endpoints.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    series.add_argument("file", nargs="?", metavar="FILE", help='JSON input; omit or "-" for stdin')
    series.add_argument("--compact", action="store_true", help="print JSON on one line")
    series.set_defaults(run=_cmd_series)
    example = commands.add_parser(
        "example", help="score the built-in example assessment and print the result"
    )
    example.add_argument("--compact", action="store_true", help="print only the result, one line")
    example.set_defaults(run=_cmd_example)
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
