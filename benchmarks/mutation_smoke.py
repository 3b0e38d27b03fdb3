"""Mutation smoke test: plant known bugs in the code and count how many the tests catch.

Run from a checkout: ``python benchmarks/mutation_smoke.py [--area core|engine|endpoints]
[--only ID ...] [--list] [--timeout SECONDS]``.

Each *mutant* is one small behaviour change — a flipped comparison, a swapped operand, a changed
constant — written as a short code snippet and its replacement in one file of the scoring core,
the vectorised cohort engine or the trial endpoints. For each mutant the script copies the package
and the tests to a temporary directory, applies the change there (the checkout is never touched),
and runs a fast subset of the tests for that area with ``pytest -x``. A mutant is *killed* when a
test fails and *survives* when all pass; a surviving mutant is a bug the suite would let through.

Mutants are keyed by their snippet, not by line numbers, so the list survives refactoring: a
mutant whose snippet is no longer in its file (or is there more than once) is *skipped* and
listed, and should then be updated or removed. The kill rate counts applied mutants only.

This takes minutes (each mutant runs part of the suite), so it is not part of CI; run it after
changing the tests or the code it covers, and add a mutant when you fix a bug the suite missed.
Prints one line per mutant and the kill rate; exits 0 whatever the rate (it is a report).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

# The fast test subset run against each area's mutants (files that do not exist are left out).
TESTS = {
    "core": [
        "tests/test_scoring.py",
        "tests/test_bands.py",
        "tests/test_validation.py",
        "tests/test_empty_intervals.py",
        "tests/test_missing_required.py",
        "tests/test_enzyme_ties.py",
        "tests/test_printo.py",
        "tests/test_instruments_in_assessments.py",
        "tests/test_properties.py",
    ],
    "engine": [
        "tests/test_cohort.py",
        "tests/test_enzyme_ties.py",
        "tests/test_empty_intervals.py",
        "tests/test_missing_required.py",
        "tests/test_cohort_exact.py",
    ],
    "endpoints": [
        "tests/test_series.py",
        "tests/test_doi.py",
        "tests/test_confirmation_run.py",
        "tests/test_deterioration_conventions.py",
        "tests/test_landmark.py",
        "tests/test_series_table.py",
        "tests/test_series_properties.py",
    ],
}


class Mutant(NamedTuple):
    id: str
    area: str
    path: str
    snippet: str
    replacement: str
    what: str


M = Mutant
# fmt: off
MUTANTS: tuple[Mutant, ...] = (
    # -- scoring core -----------------------------------------------------------------------
    M("core-direction", "core", "myoresponse/scoring.py",
      "if better is Better.HIGHER:\n        improvement = -improvement",
      "if better is Better.LOWER:\n        improvement = -improvement",
      "improvement measured the wrong way"),
    M("core-range-denominator", "core", "myoresponse/scoring.py",
      "(hi if lo is _ZERO else hi - lo)",
      "(hi if lo is _ZERO else hi + lo)",
      "percent of hi + lo instead of the range"),
    M("core-scale-top-open", "core", "myoresponse/scoring.py",
      "if lo_n * d > n * lo_d or n * hi_d > hi_n * d:",
      "if lo_n * d > n * lo_d or n * hi_d >= hi_n * d:",
      "the top of a scale rejected"),
    M("core-haq-range", "core", "myoresponse/scoring.py",
      '"haq": (_ZERO, Fraction(3)),',
      '"haq": (_ZERO, Fraction(4)),',
      "HAQ-DI scale 0-4"),
    M("core-das-range", "core", "myoresponse/scoring.py",
      '"das": (_ZERO, Fraction(20)),',
      '"das": (_ZERO, Fraction(10)),',
      "DAS scale 0-10"),
    M("core-cmas-range", "core", "myoresponse/scoring.py",
      '"cmas": (_ZERO, Fraction(52)),',
      '"cmas": (_ZERO, Fraction(50)),',
      "CMAS scale 0-50"),
    M("core-missing-policy", "core", "myoresponse/scoring.py",
      "if options.missing is MissingPolicy.ERROR:",
      "if options.missing is not MissingPolicy.ERROR:",
      "missing policy inverted"),
    M("core-required-dropped", "core", "myoresponse/scoring.py",
      "for key in criteria.required:",
      "for key in ():",
      "required measures not enforced under missing='zero'"),
    M("core-relative-enzyme", "core", "myoresponse/scoring.py",
      "change = _HUNDRED * (b - f) / b", "change = _HUNDRED * (b - f) / f",
      "relative enzyme change divided by the follow-up"),
    M("core-enzyme-range", "core", "myoresponse/scoring.py",
      "multiple.numerator * uln.numerator,",
      "multiple.numerator * uln.numerator * 2,",
      "enzyme range k + ULN"),
    M("core-mmt8-protocol", "core", "myoresponse/scoring.py",
      "if stated is not None and sheet.maximum != stated:",
      "if stated is not None and sheet.maximum == stated:",
      "MMT-8 sheet/maximum agreement check inverted"),
    M("core-enzyme-tie", "core", "myoresponse/enzymes.py",
      "if ratio > best_ratio:", "if ratio >= best_ratio:",
      "most-abnormal tie goes to the later enzyme"),
    M("core-uln-zero", "core", "myoresponse/enzymes.py",
      "if positive and value.numerator <= 0:",
      "if positive and value.numerator < 0:",
      "a ULN of 0 accepted"),
    M("core-ukat", "core", "myoresponse/enzymes.py",
      "EnzymeUnit.UKAT_PER_L: Fraction(60)", "EnzymeUnit.UKAT_PER_L: Fraction(6)",
      "1 ukat/L = 6 U/L"),
    M("core-ck-multiple", "core", "myoresponse/enzymes.py",
      "Enzyme.CK: Fraction(15),", "Enzyme.CK: Fraction(10),",
      "default CK multiple 10"),
    M("core-edge-upper", "core", "myoresponse/criteria.py",
      "if rest == 0 and band_edges is BandEdges.UPPER_INCLUSIVE:",
      "if rest == 0 and band_edges is not BandEdges.UPPER_INCLUSIVE:",
      "printed band edges read as lower-inclusive"),
    M("core-edge-lower", "core", "myoresponse/criteria.py",
      "        return bisect_right(edges, whole)\n",
      "        return bisect_left(edges, whole)\n",
      "a change just above an edge (or on it, lower-inclusive) put in the band below"),
    M("core-threshold-strict", "core", "myoresponse/criteria.py",
      "if score * denominator >= number * over:",
      "if score * denominator > number * over:",
      "thresholds exclusive"),
    M("core-empty-range", "core", "myoresponse/measures.py",
      "if not lo < hi:", "if not lo <= hi:",
      "an empty chq_phs_range [50, 50] accepted"),
    M("core-zero-maximum", "core", "myoresponse/measures.py",
      "if number.numerator <= 0:", "if number.numerator < 0:",
      "a global_max/mmt_max of 0 accepted"),
    M("core-negative-measure", "core", "myoresponse/measures.py",
      "if number.numerator < 0:",
      "if number.numerator < -1:",
      "negative measures down to -1 accepted"),
    M("core-direction-zero", "core", "myoresponse/result.py",
      "        if change > 0:\n            return cls.IMPROVED",
      "        if change >= 0:\n            return cls.IMPROVED",
      "no change reported as improved"),
    M("core-direction-table", "core", "myoresponse/scoring.py",
      "0: Direction.UNCHANGED}", "0: Direction.IMPROVED}",
      "no change reported as improved (the scorer's direction table)"),
    M("core-partial", "core", "myoresponse/result.py",
      "return bool(self.missing)", "return False",
      "partial never set"),
    # -- vectorised cohort engine -------------------------------------------------------------
    M("engine-enzyme-tie", "engine", "myoresponse/tables/_enzyme.py",
      "better = np.greater(left, right,", "better = np.greater_equal(left, right,",
      "most-abnormal tie goes to the later enzyme"),
    M("engine-threshold-strict", "engine", "myoresponse/tables/_engine.py",
      "reached += (ws.tis >= threshold).view(np.int8)",
      "reached += (ws.tis > threshold).view(np.int8)",
      "thresholds exclusive"),
    M("engine-edges-lookup", "engine", "myoresponse/tables/_bands.py",
      "band += (diffs * a > b) if upper_inclusive else (diffs * a >= b)",
      "band += (diffs * a >= b) if upper_inclusive else (diffs * a >= b)",
      "printed edges read as lower-inclusive in the lookup table"),
    M("engine-edges-compare", "engine", "myoresponse/tables/_engine.py",
      'above = np.greater if ws.upper_inclusive else np.greater_equal',
      'above = np.greater_equal if ws.upper_inclusive else np.greater_equal',
      "printed edges read as lower-inclusive in the comparison path"),
    M("engine-row-scale-zero", "engine", "myoresponse/tables/_engine.py",
      "ok_scale = values > 0",
      "ok_scale = values >= 0",
      "path through the range check or its required measures)"),
    M("engine-row-direction", "engine", "myoresponse/tables/_engine.py",
      "diff = nb - nf if rule.better is Better.LOWER else nf - nb",
      "diff = nf - nb if rule.better is Better.LOWER else nf - nb",
      "per-row-scale measures scored the wrong way"),
    M("engine-direction", "engine", "myoresponse/tables/_engine.py",
      "first, second = (nb, nf) if rule.better is Better.LOWER else (nf, nb)",
      "first, second = (nf, nb) if rule.better is Better.LOWER else (nf, nb)",
      "fixed-scale lower-is-better measures scored the wrong way"),
    M("engine-worsened", "engine", "myoresponse/tables/_engine.py",
      'worse = np.less(c, 0.0, out=ws.work("worse", np.bool_))',
      'worse = np.less_equal(c, 0.0, out=ws.work("worse", np.bool_))',
      "unchanged counted as worsened"),
    M("engine-required", "engine", "myoresponse/tables/_engine.py",
      "if options.missing is MissingPolicy.ERROR or rule.key in criteria.required:",
      "if options.missing is MissingPolicy.ERROR and rule.key in criteria.required:",
      "missing measures scored under missing='error'"),
    M("engine-uln-zero", "engine", "myoresponse/tables/_enzyme.py",
      "ws.problems.add(outside(u, ulns, 0, 0.0, None, strict_lo=True))",
      "ws.problems.add(outside(u, ulns, 0, 0.0, None, strict_lo=False))",
      "a ULN of 0 not sent to the scalar path (equivalent since the table reader sends "
      "rows with a ULN <= 0 to the scalar path first)"),
    M("engine-reader-not-positive", "engine", "myoresponse/tables/pairs.py",
      "return ~((values > 0) & (values < np.inf)) & ~np.isnan(values)",
      "return ~((values >= 0) & (values < np.inf)) & ~np.isnan(values)",
      "a scale or ULN cell of 0 not sent to the scalar path by the table reader "
      "(equivalent alone: the engine's own checks still send the row there)"),
    M("engine-multiple-fraction", "engine", "myoresponse/tables/_enzyme.py",
      "factor = 100.0 * k.denominator * POW10[ulns.d]",
      "factor = 100.0 * k.numerator * POW10[ulns.d]",
      "fractional enzyme multiples mis-scaled"),
    M("engine-relative-zero", "engine", "myoresponse/tables/_enzyme.py",
      "ws.problems.add((chosen == ENZYMES.index(enzyme)) & (b == 0))",
      "ws.problems.add((chosen == ENZYMES.index(enzyme)) & (b == 1))",
      "relative rule with a baseline of 0 not sent to the scalar path"),
    M("engine-strict-lo", "engine", "myoresponse/tables/_decimal.py",
      "low_ok = low > lo if strict_lo else low >= lo",
      "low_ok = low >= lo if strict_lo else low >= lo",
      "bound check not strict where it must be (equivalent for ULNs, see engine-uln-zero)"),
    # -- trial endpoints ----------------------------------------------------------------------
    M("endpoints-confirmation-run", "endpoints", "myoresponse/endpoints/series.py",
      "first_run = range(runs[0][0], runs[0][0] + rule.consecutive) if runs else range(0)",
      "first_run = range(runs[0][0], runs[0][1]) if runs else range(0)",
      "the whole worsening run reported as the confirmation"),
    M("endpoints-run-length", "endpoints", "myoresponse/endpoints/series.py",
      "if index - start >= length:", "if index - start > length:",
      "a run exactly `consecutive` long not counted"),
    M("endpoints-rise-strict", "endpoints", "myoresponse/endpoints/deterioration.py",
      "return measure.followup - measure.baseline >= by",
      "return measure.followup - measure.baseline > by",
      "a rise of exactly 2 cm not a worsening"),
    M("endpoints-rise-scaled", "endpoints", "myoresponse/endpoints/deterioration.py",
      "rise = self.global_cm * global_max / _TEN", "rise = self.global_cm",
      "the 2 cm threshold not scaled to the VAS"),
    M("endpoints-count-strict", "endpoints", "myoresponse/endpoints/deterioration.py",
      "if len(worse) >= self.measures_count:", "if len(worse) > self.measures_count:",
      "3 of 5 measures read as more than 3"),
    M("endpoints-enzyme-counted", "endpoints", "myoresponse/endpoints/deterioration.py",
      'if key != "enzyme" and self.worse_by(result, key, self.measures_percent)',
      "if self.worse_by(result, key, self.measures_percent)",
      "the enzyme counted among the worse measures"),
    M("endpoints-sustained-deterioration", "endpoints", "myoresponse/endpoints/series.py",
      "_RANK[v.result.category] >= _RANK[wanted] and i not in deteriorated",
      "_RANK[v.result.category] >= _RANK[wanted]",
      "sustained response ignores confirmed deterioration"),
    M("endpoints-first-reached", "endpoints", "myoresponse/endpoints/series.py",
      "lambda v, c=category: _RANK[v.result.category] >= _RANK[c]",
      "lambda v, c=category: _RANK[v.result.category] > _RANK[c]",
      "first visit reaching a category needs the category above"),
    M("endpoints-confirmed-at", "endpoints", "myoresponse/endpoints/series.py",
      "return self.visits[-1] if self.visits else None",
      "return self.visits[0] if self.visits else None",
      "confirmed_at is the first visit of the run"),
    M("endpoints-extramuscular", "endpoints", "myoresponse/endpoints/deterioration.py",
      'if _rose(result, "extramuscular", rise):', 'if _rose(result, "patient_global", rise):',
      "extramuscular rise read from the patient global"),
    M("endpoints-improved-strict", "endpoints", "myoresponse/endpoints/definitions.py",
      "return self.percent >= threshold", "return self.percent > threshold",
      "improvement of exactly the threshold not counted"),
    M("endpoints-worse-strict", "endpoints", "myoresponse/endpoints/definitions.py",
      "return -self.percent > threshold if strictly else -self.percent >= threshold",
      "return -self.percent > threshold if strictly else -self.percent > threshold",
      "worsening of exactly the threshold not counted"),
    M("endpoints-max-worsened", "endpoints", "myoresponse/endpoints/definitions.py",
      "and len(worsened) <= self.max_worsened", "and len(worsened) < self.max_worsened",
      "the allowed number of worse measures off by one"),
    M("endpoints-from-zero", "endpoints", "myoresponse/endpoints/definitions.py",
      "return self.baseline == 0 and self.followup is not None and self.followup > 0",
      "return self.baseline == 0 and self.followup is not None and self.followup >= 0",
      "0 -> 0 read as a change from zero"),
    M("endpoints-landmark-threshold", "endpoints", "myoresponse/endpoints/landmark.py",
      "met = score >= threshold and not confirmed", "met = score > threshold and not confirmed",
      "a TIS exactly on the responder threshold not a response"),
    M("endpoints-landmark-deterioration", "endpoints", "myoresponse/endpoints/landmark.py",
      "confirmed_at is not None and confirmed_at <= index",
      "confirmed_at is not None and confirmed_at < index",
      "deterioration confirmed at the landmark visit itself ignored"),
    M("endpoints-landmark-window", "endpoints", "myoresponse/endpoints/landmark.py",
      "if distance <= window and (best is None or distance < best[0]):",
      "if distance < window and (best is None or distance < best[0]):",
      "a visit exactly at the window's edge not the landmark"),
    M("endpoints-landmark-tie", "endpoints", "myoresponse/endpoints/landmark.py",
      "if distance <= window and (best is None or distance < best[0]):",
      "if distance <= window and (best is None or distance <= best[0]):",
      "of two visits equally near the landmark day, the later"),
)
# fmt: on


class Outcome(NamedTuple):
    mutant: Mutant
    status: str  # killed, survived, skipped
    seconds: float
    detail: str


def _copy_checkout(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    for name in ("myoresponse", "tests"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, target / name)
    if (ROOT / "docs").exists():  # some tests read the docs and their examples
        shutil.copytree(ROOT / "docs", target / "docs", ignore=ignore)


def _pytest(copy: Path, files: list[str], timeout: float) -> tuple[int, str]:
    """Run ``pytest -x`` on ``files`` inside ``copy``; the return code and the first failure."""
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    shutil.rmtree(copy / ".hypothesis", ignore_errors=True)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *files]
    try:
        run = subprocess.run(
            command, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s"
    failed = [line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    return run.returncode, failed[0] if failed else run.stdout.strip().splitlines()[-1:][0]


def _check_isolated(copy: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(copy))
    where = subprocess.run(
        [sys.executable, "-c", "import myoresponse; print(myoresponse.__file__)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(copy.resolve()):
        sys.exit(f"the copy does not import its own package (got {where}); aborting")


def run(mutants: list[Mutant], timeout: float) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="myoresponse-mutants-") as tmp:
        copy = Path(tmp)
        _copy_checkout(copy)
        _check_isolated(copy)
        for area in sorted({m.area for m in mutants}):
            files = [f for f in TESTS[area] if (copy / f).exists()]
            code, detail = _pytest(copy, files, timeout)
            if code != 0:
                sys.exit(f"the unmutated {area} tests do not pass ({detail}); fix them first")
        for mutant in mutants:
            path = copy / mutant.path
            original = path.read_text(encoding="utf-8") if path.exists() else ""
            found = original.count(mutant.snippet)
            if found != 1:
                why = "snippet not found" if found == 0 else f"snippet found {found} times"
                outcomes.append(Outcome(mutant, "skipped", 0.0, why))
                print(f"{mutant.id:36} skipped   {why}", flush=True)
                continue
            path.write_text(original.replace(mutant.snippet, mutant.replacement), "utf-8")
            files = [f for f in TESTS[mutant.area] if (copy / f).exists()]
            start = time.perf_counter()
            try:
                code, detail = _pytest(copy, files, timeout)
            finally:
                path.write_text(original, encoding="utf-8")
            seconds = time.perf_counter() - start
            status = "survived" if code == 0 else "killed"
            outcomes.append(Outcome(mutant, status, seconds, detail))
            shown = mutant.what if status == "survived" else detail
            print(f"{mutant.id:36} {status:9} {seconds:6.1f} s  {shown}", flush=True)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", choices=sorted(TESTS), action="append")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--timeout", type=float, default=600.0, help="per mutant, in seconds")
    args = parser.parse_args(argv)
    chosen = [
        m
        for m in MUTANTS
        if (not args.area or m.area in args.area) and (not args.only or m.id in args.only)
    ]
    if args.list:
        for m in chosen:
            print(f"{m.id:36} {m.path:36} {m.what}")
        return 0
    if not chosen:
        parser.error("no mutant matches")
    print(f"{len(chosen)} mutants; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    outcomes = run(chosen, args.timeout)
    applied = [o for o in outcomes if o.status != "skipped"]
    killed = [o for o in applied if o.status == "killed"]
    print()
    for area in sorted({o.mutant.area for o in outcomes}):
        mine = [o for o in applied if o.mutant.area == area]
        dead = sum(o.status == "killed" for o in mine)
        print(f"{area:10} {dead}/{len(mine)} killed")
    rate = 100 * len(killed) / len(applied) if applied else 0.0
    print(
        f"kill rate: {len(killed)}/{len(applied)} applied mutants ({rate:.0f} %); "
        f"{len(outcomes) - len(applied)} skipped"
    )
    for o in outcomes:
        if o.status == "survived":
            print(f"  survived: {o.mutant.id} ({o.mutant.path}): {o.mutant.what}")
        elif o.status == "skipped":
            print(f"  skipped:  {o.mutant.id} ({o.mutant.path}): {o.detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
