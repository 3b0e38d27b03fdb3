"""Benchmark of the JSON edge: µs per ``score_json`` call and the cost of ``import myoresponse``.

Run from a checkout: ``python benchmarks/bench_json.py [--calls N] [--imports N]``.

Prints:

- µs per ``score_json`` call on the embedding page's example (all six measures, CK with its ULN,
  MMT-8 bilateral), and on a partial assessment (``missing="zero"``, two measures), as CPU time
  of this process (the best of several rounds, so other load on the machine matters less);
  target: at most 100 µs;
- ``python -X importtime -c "import myoresponse"``: the cumulative import time of myoresponse and
  of numpy's own import (``import numpy``), as the best of N runs taken in turns (the least
  disturbed by other load), and their ratio; also the CPU time of the same imports in the same
  runs (steadier than the wall clock on a loaded machine). Target: well under numpy's (``import
  myoresponse`` loads neither numpy nor the instruments, series, endpoints and JSON modules).
  Both are timed from compiled bytecode, as an installed package is: the runs write and read
  their ``.pyc`` files in a temporary ``-X pycache_prefix`` folder, warmed by one untimed import,
  whatever ``PYTHONDONTWRITEBYTECODE`` says (without it, a checkout would be timed compiling its
  sources on every run, and numpy, installed with its bytecode, would not).

The machine's core count is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from myoresponse import score_json

FULL: dict[str, Any] = {
    "population": "adult",
    "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
    "baseline": {
        "physician_global": 6,
        "patient_global": 7,
        "mmt": 110,
        "haq": 1.5,
        "enzymes": {"CK": 2400},
        "extramuscular": 4,
    },
    "followup": {
        "physician_global": 2,
        "patient_global": 4.5,
        "mmt": 131,
        "haq": 0.875,
        "enzymes": {"CK": 310},
        "extramuscular": 1.5,
    },
}
PARTIAL: dict[str, Any] = {
    "population": "adult",
    "scales": {"mmt_max": 80},
    "options": {"missing": "zero"},
    "baseline": {"physician_global": 2.2, "mmt": 60},
    "followup": {"physician_global": 0.7, "mmt": 62},
}


def per_call(document: dict[str, Any], calls: int, rounds: int = 7) -> float:
    """Best CPU µs per ``score_json`` call over ``rounds`` rounds of ``calls`` calls."""
    score_json(document)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            score_json(document)
        best = min(best, time.process_time() - start)
    return best / calls * 1e6


def import_time(module: str, pycache: str) -> tuple[float, float]:
    """Cumulative µs of importing ``module`` in a fresh interpreter (``-X importtime``), and the
    CPU µs the import took.

    Bytecode is read from (and on the first run written to) the folder ``pycache``.
    """
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    command = ["-X", f"pycache_prefix={pycache}", "-X", "importtime", "-c", code]
    done = subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    for line in reversed(done.stderr.splitlines()):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return float(parts[1]), float(done.stdout) * 1e6
    raise RuntimeError(f"no importtime line for {module}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--imports", type=int, default=15)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; Python {sys.version.split()[0]}")
    full, partial = per_call(FULL, args.calls), per_call(PARTIAL, args.calls)
    print(f"score_json, six measures:     {full:7.1f} µs per call (target <= 100)")
    print(f"score_json, partial (2 of 6): {partial:7.1f} µs per call")
    times: dict[str, list[tuple[float, float]]] = {"myoresponse": [], "numpy": []}
    with tempfile.TemporaryDirectory() as pycache:
        for module in times:
            import_time(module, pycache)  # writes the bytecode
        for _ in range(args.imports):
            for module, found in times.items():
                found.append(import_time(module, pycache))
    for column, name in ((0, "importtime"), (1, "CPU time")):
        ours = min(run[column] for run in times["myoresponse"])
        numpy = min(run[column] for run in times["numpy"])
        print(f"{name}, best of {args.imports}:")
        print(f"  import myoresponse: {ours / 1000:7.1f} ms")
        print(f"  import numpy:       {numpy / 1000:7.1f} ms")
        print(f"  ratio myoresponse / numpy: {ours / numpy:.2f} (target: well under 1)")


if __name__ == "__main__":
    main()
