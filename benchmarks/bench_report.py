"""Benchmark of the case-series report on a large synthetic long table.

Run from a checkout with the report extra: ``python benchmarks/bench_report.py [--patients N]``.

Builds N (default 10,000) synthetic adult patients with a baseline and two follow-up visits
(VAS 0.1 cm, HAQ multiples of 1/8, MMT-8 0–150, CK with its ULN, prednisone mg/day), writes them
as a CSV file and times, separately:

- :func:`~myoresponse.report.case_series` (scoring every visit with ``score_series_many`` and
  choosing the follow-up), and its time per patient;
- :func:`~myoresponse.report.summarise` on that case series;
- :func:`~myoresponse.report.writing.write_report` (figures as PNG and SVG, report.html,
  summary.json, patients.csv);
- the whole ``myoresponse report FILE -o DIR`` command, as a user runs it (target: well under a
  minute for 10,000 patients).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from myoresponse.report import case_series, summarise
from myoresponse.report.example import read_columns
from myoresponse.report.writing import write_report


def long_table(patients: int, seed: int = 2016) -> dict[str, list[Any]]:
    """Three visits per patient (baseline, month 3, month 6), gradually improving on average."""
    rng = np.random.default_rng(seed)
    rows = patients * 3
    ident = np.repeat([f"P{n:05d}" for n in range(patients)], 3)
    visit = np.tile(["baseline", "month 3", "month 6"], patients)
    start = np.datetime64("2024-01-01") + rng.integers(0, 365, patients)
    offsets = np.stack(
        [
            np.zeros(patients, int),
            rng.integers(80, 100, patients),
            rng.integers(170, 195, patients),
        ],
        axis=1,
    ).ravel()
    date = (np.repeat(start, 3) + offsets.astype("timedelta64[D]")).astype(str)
    gain = np.tile([0.0, 0.5, 1.0], patients) * np.repeat(rng.uniform(0, 1, patients), 3)

    def vas() -> list[float]:
        base = np.repeat(rng.integers(30, 100, patients), 3) / 10
        return list(np.round(base * (1 - 0.8 * gain), 1))

    mmt_base = np.repeat(rng.integers(70, 130, patients), 3)
    haq_base = np.repeat(rng.integers(4, 24, patients), 3)
    ck_base = np.repeat(rng.integers(300, 5000, patients), 3)
    dose = np.repeat(rng.choice([10, 15, 20, 25, 30], patients), 3)
    return {
        "id": list(ident),
        "visit": list(visit),
        "date": list(date),
        "physician_global": vas(),
        "patient_global": vas(),
        "mmt": list(
            np.minimum(150, np.round(mmt_base + (150 - mmt_base) * gain * 0.8)).astype(int)
        ),
        "haq": list(np.round(haq_base * (1 - 0.7 * gain)) / 8),
        "extramuscular": vas(),
        "ck": list(np.round(ck_base * (1 - 0.9 * gain)).astype(int)),
        "uln_ck": [200] * rows,
        "prednisone_mg_per_day": list(np.round(dose * (1 - 0.8 * gain) * 2) / 2),
    }


def _timed(label: str, run: Any) -> Any:
    start = time.perf_counter()
    value = run()
    seconds = time.perf_counter() - start
    print(f"{label:<38} {seconds:8.2f} s")
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=10_000)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; patients: {args.patients:,} (3 visits each)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "visits.csv"
        table = long_table(args.patients)
        with path.open("w", newline="") as sink:
            writer = csv.writer(sink)
            writer.writerow(list(table))
            writer.writerows(zip(*table.values(), strict=True))
        with path.open(newline="") as stream:
            columns = read_columns(stream)
        keywords = {"population": "adult", "mmt_max": 150}
        series, scoring = _timed(
            "case_series (score + choose)", lambda: case_series(columns, **keywords)
        )
        print(f"{'  per patient':<38} {1000 * scoring / args.patients:8.3f} ms")
        summary, _ = _timed("summarise", lambda: summarise(series))
        _timed(
            "write_report (figures, html, csv, json)",
            lambda: write_report(series, Path(folder) / "api", summary=summary),
        )
        command = [
            sys.executable, "-m", "myoresponse", "report", str(path),
            "--population", "adult", "--mmt-max", "150", "-o", str(Path(folder) / "cli"),
        ]  # fmt: skip
        done, seconds = _timed(
            "myoresponse report (whole command)",
            lambda: subprocess.run(command, capture_output=True, text=True),
        )
        print(f"exit status {done.returncode}; target: well under 60 s ({seconds / 60:.0%} of it)")
        print(f"major response: {summary.at_least['major']['count']:,} of {summary.n_evaluable:,}")


if __name__ == "__main__":
    main()
