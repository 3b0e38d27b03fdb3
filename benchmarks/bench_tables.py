"""Benchmark of the table paths against each other, as ratios measured in one run (issue 9).

Run from a checkout: ``python benchmarks/bench_tables.py [--full] [--repeat N] [--only 1 2]
[--steady-allocator]``.

Prints, with the machine's core count:

1. a long visit table (``score_series_many``) per visit row against ``score_many`` per pair on
   the same baseline/visit pairs (target: within 5×; the long table's rows include each
   patient's baseline row, so the whole times are also compared, per follow-up visit);
   2,000 patients × 6 visits by default, 20,000 with ``--full``;
2. a cohort with 20 % incomplete rows under ``missing="error"`` against the same cohort complete
   (target: within 1.5×); 200,000 pairs by default, 1,000,000 with ``--full``;
3. ``score_many`` on a DataFrame (DataFrame out) against the dict path (target: within 1.3×;
   skipped without pandas);
4. ``score_many`` against a minimal float numpy implementation of the same criteria that knows
   the data's decimals (one ``searchsorted`` band lookup per measure), with the number of rows
   where the two disagree (target: within 1.5×, 0 mismatches);
5. ``score_many`` with glucocorticoid dose columns against the same cohort without them.

``--steady-allocator`` runs the benchmark again with glibc's mmap threshold at its largest
(32 MiB) and a trim threshold of 4 GiB, so that both sides of a ratio reuse freed memory as a
long-running process does. With the default allocator a call may pay fresh-page faults (kernel
time, about 2 µs per 4 KiB page on the development VM) depending on what the process freed
before, and a single run of a section can be off by a third.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cohort import cohort

from myoresponse import ADULT, Category, score_many, score_series_many
from myoresponse.enzymes import DEFAULT_RANGE_MULTIPLES, Enzyme


def best_of(repeat: int, *runs: Callable[[], Any]) -> list[float]:
    """The best wall time of each run over ``repeat`` rounds, the runs taking turns in each
    round (so that a burst of load, or of fresh-page faults, hits every side alike)."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


# -- 1. the long table ----------------------------------------------------------------------------


def long_table(patients: int, visits: int, seed: int = 9) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    rows = patients * visits
    labels = ["baseline", *(f"week {4 * k}" for k in range(1, visits))]

    def vas() -> Any:
        return rng.integers(0, 101, rows) / 10

    return {
        "id": np.repeat([f"P{p:06d}" for p in range(patients)], visits),
        "visit": np.tile(labels, patients),
        "physician_global": vas(),
        "patient_global": vas(),
        "mmt": rng.integers(40, 151, rows).astype(float),
        "haq": rng.integers(0, 25, rows) / 8,
        "ck": rng.integers(20, 6000, rows).astype(float),
        "uln_ck": np.full(rows, 200.0),
        "extramuscular": vas(),
    }


def pairs_of(table: dict[str, Any], visits: int) -> dict[str, Any]:
    """The baseline/visit pairs of a long table with ``visits`` rows per patient, in order."""
    rows = table["id"].size
    position = np.arange(rows) % visits
    follow = np.flatnonzero(position > 0)
    base = follow - position[follow]
    out: dict[str, Any] = {}
    for key in ("physician_global", "patient_global", "mmt", "haq", "ck", "extramuscular"):
        out[f"baseline_{key}"] = table[key][base]
        out[f"followup_{key}"] = table[key][follow]
    out["uln_ck"] = table["uln_ck"][follow]
    return out


def bench_long(patients: int, repeat: int) -> None:
    visits = 6
    table = long_table(patients, visits)
    pairs = pairs_of(table, visits)
    count = pairs["uln_ck"].size
    keywords = {"population": "adult", "mmt_max": 150, "missing": "zero"}
    # alternately, wall and CPU time, as in section 2
    series, many = [float("inf")] * 2, [float("inf")] * 2
    runs: tuple[tuple[list[float], Callable[[], Any]], ...] = (
        (series, lambda: score_series_many(table, **keywords)),
        (many, lambda: score_many(pairs, **keywords)),
    )
    for _ in range(repeat):
        for best, run in runs:
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            best[0] = min(best[0], time.perf_counter() - wall)
            best[1] = min(best[1], time.process_time() - cpu)
    rows = table["id"].size
    print(f"1. long table {patients:,} patients x {visits} visits ({rows:,} rows, {count:,} pairs)")
    print("   (wall, CPU)")
    per = f"({series[0] / rows * 1e6:.2f} us/visit row)"
    print(f"   score_series_many: {series[0] * 1e3:9.1f} ms  {series[1] * 1e3:9.1f} ms  {per}")
    per = f"({many[0] / count * 1e6:.2f} us/pair)"
    print(f"   score_many pairs:  {many[0] * 1e3:9.1f} ms  {many[1] * 1e3:9.1f} ms  {per}")
    # the measure: time per row of the long table (a baseline row is a visit row too)
    # against time per pair; the stricter one below divides by the follow-up visits only
    row_ratio = [series[i] / rows / (many[i] / count) for i in (0, 1)]
    print(f"   ratio per visit row: {row_ratio[0]:7.1f} x  {row_ratio[1]:9.1f} x  (target <= 5 x)")
    ratios = f"{series[0] / many[0]:7.1f} x  {series[1] / many[1]:9.1f} x"
    print(f"   per follow-up visit: {ratios}  (whole times: {count:,} pairs)")


# -- 2. incomplete rows ---------------------------------------------------------------------------


def bench_incomplete(rows: int, repeat: int) -> None:
    complete = cohort(rows)
    incomplete = {name: values.copy() for name, values in complete.items()}
    rng = np.random.default_rng(20)
    gone = rng.random(rows) < 0.2
    which = rng.integers(0, 3, rows)  # patient global (most often), HAQ, extramuscular
    for index, name in enumerate(("patient_global", "haq", "extramuscular")):
        side = "followup" if index == 0 else "baseline"
        incomplete[f"{side}_{name}"][gone & (which == index)] = np.nan
    keywords = {"population": "adult", "mmt_max": 150, "missing": "error"}
    # the two runs alternate, so that a burst of load on a shared machine hits both alike; the
    # process CPU time is printed beside the wall time (it leaves out time spent waiting for a core)
    full, part = [float("inf")] * 2, [float("inf")] * 2
    for _ in range(repeat):
        for best, columns in ((full, complete), (part, incomplete)):
            wall, cpu = time.perf_counter(), time.process_time()
            score_many(columns, **keywords)
            best[0] = min(best[0], time.perf_counter() - wall)
            best[1] = min(best[1], time.process_time() - cpu)
    errors = int((score_many(incomplete, **keywords)["error"] != "").sum())
    print(f"2. {rows:,} pairs, {errors / rows:.0%} incomplete under missing='error' (wall, CPU)")
    print(f"   complete:          {full[0] * 1e3:9.1f} ms  {full[1] * 1e3:9.1f} ms")
    print(f"   20 % incomplete:   {part[0] * 1e3:9.1f} ms  {part[1] * 1e3:9.1f} ms")
    ratios = f"{part[0] / full[0]:9.2f} x  {part[1] / full[1]:9.2f} x"
    print(f"   ratio:             {ratios}  (target <= 1.5 x)")


# -- 3. DataFrame in and out ----------------------------------------------------------------------


def bench_frame(rows: int, repeat: int) -> None:
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        print("3. DataFrame in/out: skipped (pandas is not installed)")
        return
    columns = cohort(rows)
    frame = pd.DataFrame(columns)
    keywords = {"population": "adult", "mmt_max": 150}
    plain, framed = best_of(
        repeat,
        lambda: score_many(columns, **keywords),
        lambda: score_many(frame, **keywords),
    )
    print(f"3. {rows:,} pairs as a DataFrame (DataFrame out) against a dict of arrays")
    print(f"   dict:              {plain * 1e3:9.1f} ms")
    print(f"   DataFrame:         {framed * 1e3:9.1f} ms")
    print(f"   ratio:             {framed / plain:9.2f} x   (target <= 1.3 x)")


# -- 4. a minimal float implementation ------------------------------------------------------------

# the data's decimals, known in advance: VAS in tenths, HAQ in eighths, whole MMT and enzymes
_UNITS = {"physician_global": 10, "patient_global": 10, "mmt": 1, "haq": 8, "extramuscular": 10}
_K_CK = float(DEFAULT_RANGE_MULTIPLES[Enzyme.CK])  # whole numbers: exact products
_K_AST = float(DEFAULT_RANGE_MULTIPLES[Enzyme.AST])
_RANGES = {"physician_global": 10, "patient_global": 10, "mmt": 150, "haq": 3, "extramuscular": 10}


def minimal(columns: dict[str, Any]) -> tuple[Any, Any]:
    """TIS and category index per row in plain float numpy: exact integer units per measure, one
    correctly rounded quotient for the change, one ``searchsorted`` for the band."""
    total = np.zeros(columns["uln_ck"].size)
    for rule in ADULT.measures:
        edges = np.array([float(e) for e in rule.edges])
        points = np.array([float(p) for p in rule.points])
        if rule.key == "enzyme":  # the most abnormal of CK and AST at baseline, range rule
            b_ck, b_ast = columns["baseline_ck"], columns["baseline_ast"]
            ck_first = b_ck * columns["uln_ast"] >= b_ast * columns["uln_ck"]
            b = np.where(ck_first, b_ck, b_ast)
            f = np.where(ck_first, columns["followup_ck"], columns["followup_ast"])
            span = np.where(ck_first, _K_CK * columns["uln_ck"], _K_AST * columns["uln_ast"])
            change = 100 * (b - f) / span
        else:
            unit = _UNITS[rule.key]
            b = np.rint(columns[f"baseline_{rule.key}"] * unit)
            f = np.rint(columns[f"followup_{rule.key}"] * unit)
            gain = b - f if rule.key != "mmt" else f - b
            change = 100 * gain / (_RANGES[rule.key] * unit)
        total += points[np.searchsorted(edges, change, side="left")]
    thresholds = np.array([float(t) for _, t in ADULT.thresholds])
    return total, np.searchsorted(thresholds, total, side="right")


def bench_minimal(rows: int, repeat: int) -> None:
    columns = cohort(rows)
    keywords = {"population": "adult", "mmt_max": 150}
    many, floor = best_of(repeat, lambda: score_many(columns, **keywords), lambda: minimal(columns))
    out = score_many(columns, **keywords)
    total, reached = minimal(columns)
    names = np.array([c.value for c in (Category.NONE, *(c for c, _ in ADULT.thresholds))])
    wrong = (out["total_improvement_score"] != total) | (out["category"] != names[reached])
    print(f"4. {rows:,} pairs: score_many against a minimal float numpy implementation")
    print(f"   score_many:        {many * 1e3:9.1f} ms")
    print(f"   minimal float:     {floor * 1e3:9.1f} ms")
    print(f"   ratio:             {many / floor:9.2f} x   (target <= 1.5 x)")
    print(f"   mismatches:        {int(wrong.sum()):9d}     (target 0)")


# -- 5. glucocorticoid columns ------------------------------------------------------------------


def bench_steroids(rows: int, repeat: int) -> None:
    """A registry's dose columns (few distinct doses, some not recorded): each distinct set of
    cells is read once (the text columns are still grouped by a sort of their cells)."""
    columns = cohort(rows)
    rng = np.random.default_rng(5)
    dosed = dict(columns)
    dosed["baseline_prednisone_mg_per_day"] = rng.choice([np.nan, 5, 7.5, 10, 20, 40, 60], rows)
    dosed["followup_steroid_drug"] = rng.choice(["prednisone", "methylprednisolone"], rows)
    dosed["followup_steroid_dose_mg"] = rng.choice([2.5, 4, 5, 8, 10, 16], rows)
    keywords = {"population": "adult", "mmt_max": 150}
    plain, doses = best_of(
        repeat, lambda: score_many(columns, **keywords), lambda: score_many(dosed, **keywords)
    )
    print(f"5. {rows:,} pairs with glucocorticoid columns (both forms) against none")
    print(f"   without:           {plain * 1e3:9.1f} ms")
    print(f"   with:              {doses * 1e3:9.1f} ms")
    print(f"   ratio:             {doses / plain:9.2f} x   (no target; was about 40 x)")


_STEADY = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(4 << 30)}
"""glibc's largest mmap threshold (an array of up to 32 MiB comes from the heap) and a trim
threshold that keeps freed memory for the next call."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's full sizes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", type=int, nargs="+", choices=range(1, 6), help="run these sections only"
    )
    parser.add_argument(
        "--steady-allocator",
        action="store_true",
        help="run with glibc's mmap and trim thresholds fixed (see below)",
    )
    args = parser.parse_args()
    if args.steady_allocator and _STEADY.keys() - os.environ.keys():
        # glibc serves a large array from memory it holds or from fresh pages by thresholds that
        # move with what the process freed before; fixed, both sides of a ratio reuse memory as a
        # long-running process does, and fresh-page faults (kernel time) leave the figures
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **_STEADY})
    warnings.simplefilter("ignore")
    allocator = "fixed thresholds" if args.steady_allocator else "default"
    print(f"cores (os.cpu_count): {os.cpu_count()}; numpy {np.__version__}; allocator {allocator}")
    rows = 1_000_000 if args.full else 200_000
    sections: tuple[tuple[Callable[[int, int], None], int], ...] = (
        (bench_long, 20_000 if args.full else 2_000),
        (bench_incomplete, rows),
        (bench_frame, rows),
        (bench_minimal, rows),
        (bench_steroids, rows),
    )
    for number, (bench, size) in enumerate(sections, start=1):
        if args.only is None or number in args.only:
            bench(size, args.repeat)


if __name__ == "__main__":
    main()
