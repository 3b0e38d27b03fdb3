"""Benchmark of ``myoresponse score --csv`` against a bare ``csv``-module read and write.

Run from a checkout: ``python benchmarks/bench_csv.py [--rows N] [--repeat K] [--profile]``.

Writes N (default 1,000,000) adult rows of the cohort benchmark (16 measure columns plus ``id``,
realistic grids) to a CSV file, then prints, best of K runs each:

- the wall time of a bare ``csv.reader`` → ``csv.writer`` copy of the file (the floor for any
  program that reads and writes the same table with the :mod:`csv` module);
- the wall time and peak resident memory of ``myoresponse score --csv`` on the file (a separate
  process, measured by ``/usr/bin/time -v`` or ``getrusage``);
- their ratio (target: within 2×) and the peak RSS (target: under 300 MiB), and the ratio of
  CPU times (user + system), which load from other work on a shared machine disturbs less;
- the machine's core count (``os.cpu_count()``): figures from a shared machine are noisy, the
  ratio measured in one run is what to compare.

``--profile`` runs the command in-process under :mod:`cProfile` instead and prints the top entries.
``--against DIR`` also runs the command of another checkout (``DIR`` holds its ``myoresponse``
package, e.g. ``git worktree add /tmp/before main``), interleaved with the others, so that a
change is measured before and after in one run.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_cohort import cohort


def write_table(path: str, rows: int) -> None:
    columns = cohort(rows)
    names = ["id", *columns]
    text = [np.char.mod("%.10g", columns[name]) for name in names[1:]]
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(names)
        for start in range(0, rows, 100_000):
            stop = min(start + 100_000, rows)
            ids = [f"P{n}" for n in range(start, stop)]
            writer.writerows(zip(ids, *(t[start:stop].tolist() for t in text), strict=True))


def bare_copy(source: str, target: str) -> tuple[float, float]:
    """Wall and CPU time of the copy."""
    start, cpu = time.perf_counter(), time.process_time()
    with open(source, newline="") as inp, open(target, "w", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(csv.reader(inp))
    return time.perf_counter() - start, time.process_time() - cpu


ARGS = ["--population", "adult", "--mmt-max", "150"]


def command_run(
    source: str, target: str, checkout: str | None = None
) -> tuple[float, float, float]:
    """Wall time, peak resident memory (MiB) and CPU time (user + system) of the command."""
    command = [sys.executable, "-m", "myoresponse", "score", "--csv", source, "-o", target, *ARGS]
    checkout = checkout or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": checkout}  # run from elsewhere: no other package on the path
    timed = os.path.exists("/usr/bin/time")
    if timed:
        command = ["/usr/bin/time", "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=env, cwd=os.path.dirname(target)
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"CSV run failed ({done.returncode}): {done.stderr[-2000:]}")
    if timed:
        report = dict(x.strip().rsplit(": ", 1) for x in done.stderr.splitlines() if ": " in x)
        cpu = float(report["User time (seconds)"]) + float(report["System time (seconds)"])
        return wall, int(report["Maximum resident set size (kbytes)"]) / 1024, cpu
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # cumulative: an upper bound
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def in_process(source: str, target: str) -> tuple[float, float]:
    """Wall and CPU time of the command run in this process."""
    from myoresponse.io.cli import main

    start, cpu = time.perf_counter(), time.process_time()
    status = main(["score", "--csv", source, "-o", target, *ARGS])
    if status != 0:
        raise SystemExit(f"CSV run failed ({status})")
    return time.perf_counter() - start, time.process_time() - cpu


def profile(source: str, target: str) -> None:
    from myoresponse.io.cli import main

    profiler = cProfile.Profile()
    profiler.runcall(main, ["score", "--csv", source, "-o", target, *ARGS])
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--against", metavar="DIR", help="another checkout to run as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "cohort.csv")
        target = os.path.join(folder, "scored.csv")
        write_table(source, args.rows)
        size = os.path.getsize(source) / 2**20
        print(f"{args.rows:,} rows, {size:.0f} MiB; {os.cpu_count()} cores")
        if args.profile:
            profile(source, target)
            return
        copy = os.path.join(folder, "copy.csv")
        bare, inside, runs, others = [], [], [], []
        for _ in range(args.repeat):  # interleaved, so that load on a shared machine hits all
            bare.append(bare_copy(source, copy))
            inside.append(in_process(source, target))
            runs.append(command_run(source, target))
            if args.against:
                others.append(command_run(source, copy, os.path.abspath(args.against)))
        floor, best = min(run[0] for run in bare), min(run[0] for run in inside)
        wall, peak = min(run[0] for run in runs), max(run[1] for run in runs)
        cpu_floor, cpu_best = min(run[1] for run in bare), min(run[1] for run in inside)
        cpu_own = min(run[2] for run in runs)
        per_row = 1e6 / args.rows
        print(f"bare csv read+write:        {floor:7.2f} s  ({floor * per_row:.2f} µs/row)")
        print(f"score --csv, in-process:    {best:7.2f} s  ({best * per_row:.2f} µs/row)")
        print(f"score --csv, own process:   {wall:7.2f} s  (with start-up and imports)")
        print(f"ratio in-process / bare:    {best / floor:7.2f}×  (target ≤ 2×)")
        print(f"ratio own process / bare:   {wall / floor:7.2f}×")
        print(
            f"in CPU time (less noisy):   {cpu_best / cpu_floor:7.2f}× in-process, "
            f"{cpu_own / cpu_floor:.2f}× own process ({cpu_floor:.2f} s bare)"
        )
        print(f"peak RSS of the process:    {peak:7.0f} MiB (target < 300 MiB)")
        if others:
            then, then_peak = min(run[0] for run in others), max(run[1] for run in others)
            then_cpu = min(run[2] for run in others)
            print(
                f"--against, own process:     {then:7.2f} s  ({then / floor:.2f}× bare, "
                f"in CPU time {then_cpu / cpu_floor:.2f}×)"
            )
            print(f"--against, peak RSS:        {then_peak:7.0f} MiB")


if __name__ == "__main__":
    main()
