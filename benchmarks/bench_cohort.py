"""Benchmark of cohort scoring: ``score_many`` against the scalar path and a bare numpy pass.

Run from a checkout: ``python benchmarks/bench_cohort.py [--rows N] [--sample N] [--no-csv]``.

Prints, for N (default 1,000,000) adult rows on realistic grids (VAS 0.1 cm, HAQ multiples of
1/8, integer MMT-8 bilateral 0–150, integer CK and AST with their ULNs; 16 input columns):

- the ``score_many`` time and its per-row time;
- the per-row time of the scalar path (``score`` on ``Visit`` objects), timed on a sample of rows
  and extrapolated;
- their ratio (target: at least 300×);
- the ratio of ``score_many`` to one bare numpy pass over the same input columns, reading every
  input once (``np.isnan`` of each column; target: within 15×), and, for reference, to a sum
  reduction of each column;
- the wall time and peak resident memory of ``myoresponse score --csv`` on the same rows written
  as a CSV file (target: peak RSS under 1 GiB).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from myoresponse import Scales, Visit, score, score_many


def cohort(rows: int, seed: int = 2016) -> dict[str, Any]:
    rng = np.random.default_rng(seed)

    def vas() -> Any:
        return rng.integers(0, 101, rows) / 10

    return {
        "baseline_physician_global": vas(),
        "followup_physician_global": vas(),
        "baseline_patient_global": vas(),
        "followup_patient_global": vas(),
        "baseline_mmt": rng.integers(40, 151, rows).astype(float),
        "followup_mmt": rng.integers(40, 151, rows).astype(float),
        "baseline_haq": rng.integers(0, 25, rows) / 8,
        "followup_haq": rng.integers(0, 25, rows) / 8,
        "baseline_ck": rng.integers(20, 6000, rows).astype(float),
        "followup_ck": rng.integers(20, 6000, rows).astype(float),
        "uln_ck": np.full(rows, 200.0),
        "baseline_ast": rng.integers(10, 400, rows).astype(float),
        "followup_ast": rng.integers(10, 400, rows).astype(float),
        "uln_ast": np.full(rows, 40.0),
        "baseline_extramuscular": vas(),
        "followup_extramuscular": vas(),
    }


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def scalar_per_row(columns: dict[str, Any], sample: int) -> float:
    scales = Scales(mmt_max=150, enzyme_uln={"CK": 200, "AST": 40})

    def visit(kind: str, row: int) -> Visit:
        value = {
            name: float(columns[f"{kind}_{name}"][row])
            for name in ("physician_global", "patient_global", "mmt", "haq", "extramuscular")
        }
        enzymes = {
            "CK": float(columns[f"{kind}_ck"][row]),
            "AST": float(columns[f"{kind}_ast"][row]),
        }
        return Visit(**value, enzymes=enzymes)

    start = time.perf_counter()
    for row in range(sample):
        score(visit("baseline", row), visit("followup", row), population="adult", scales=scales)
    return (time.perf_counter() - start) / sample


def csv_run(columns: dict[str, Any], rows: int) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB) of ``myoresponse score --csv`` on the rows, and how."""
    names = list(columns)
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "cohort.csv")
        target = os.path.join(folder, "scored.csv")
        with open(source, "w", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(names)
            text = [np.char.mod("%.10g", columns[name]) for name in names]
            for start in range(0, rows, 100_000):
                writer.writerows(
                    zip(*(t[start : start + 100_000].tolist() for t in text), strict=True)
                )
        command = [
            sys.executable,
            "-m",
            "myoresponse",
            "score",
            "--csv",
            source,
            "-o",
            target,
            "--population",
            "adult",
            "--mmt-max",
            "150",
        ]
        timed = os.path.exists("/usr/bin/time")
        if timed:
            command = ["/usr/bin/time", "-v", *command]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"CSV run failed ({done.returncode}): {done.stderr[-2000:]}")
        if timed:
            line = next(x for x in done.stderr.splitlines() if "Maximum resident" in x)
            peak = int(line.rsplit(":", 1)[1]) / 1024
            how = "/usr/bin/time -v"
        else:
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            how = "getrusage(RUSAGE_CHILDREN)"
    return wall, peak, how


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=3000, help="rows timed on the scalar path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-csv", action="store_true", help="skip the CSV command run")
    args = parser.parse_args()

    columns = cohort(args.rows)
    inputs = list(columns.values())
    print(
        f"rows: {args.rows:,}; input columns: {len(inputs)}; cores (os.cpu_count): "
        f"{os.cpu_count()}; numpy {np.__version__}"
    )

    many = best_of(args.repeat, lambda: score_many(columns, population="adult", mmt_max=150))
    bare = best_of(args.repeat, lambda: [np.isnan(column) for column in inputs])
    reduce = best_of(args.repeat, lambda: [column.sum() for column in inputs])
    per_row = scalar_per_row(columns, args.sample)

    print(f"score_many:            {many * 1e3:9.1f} ms  ({many / args.rows * 1e9:.0f} ns/row)")
    print(
        f"scalar path:           {per_row * 1e6:9.1f} us/row  (sample of {args.sample:,} rows; "
        f"{per_row * args.rows:.0f} s extrapolated)"
    )
    print(f"speed-up per row:      {per_row * args.rows / many:9.0f} x   (target >= 300 x)")
    print(f"bare numpy pass:       {bare * 1e3:9.1f} ms  (np.isnan of each input column)")
    print(f"score_many / bare:     {many / bare:9.1f} x   (target <= 15 x)")
    print(f"score_many / sum-reduce of each column ({reduce * 1e3:.1f} ms): {many / reduce:.1f} x")

    if not args.no_csv:
        wall, peak, how = csv_run(columns, args.rows)
        print(
            f"CSV command:           {wall:9.1f} s wall, peak RSS {peak:.0f} MiB ({how}; "
            "target < 1024 MiB)"
        )


if __name__ == "__main__":
    main()
