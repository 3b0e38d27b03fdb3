"""Over-visit rules on flag arrays grouped by patient: the first visit, runs of visits.

The visits of a long table are held sorted by patient and, within a patient, in visit order
(``patient`` is non-decreasing). These are the column-wise twins of the loops ``_first`` and
``_runs`` of :mod:`myoresponse.endpoints.series`; the property tests of the long table tie them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["first_true", "runs_at_least"]

Bools = NDArray[np.bool_]
Indices = NDArray[np.intp]


def first_true(mask: Bools, patient: Indices, patients: int) -> Indices:
    """Per patient, the index of its first visit where ``mask`` holds (-1 when none does)."""
    out = np.full(patients, -1, dtype=np.intp)
    hits = np.flatnonzero(mask)
    if hits.size:
        owners = patient[hits]
        first = np.ones(hits.size, dtype=bool)
        first[1:] = owners[1:] != owners[:-1]
        out[owners[first]] = hits[first]
    return out


def runs_at_least(
    flags: Bools, patient: Indices, patients: int, length: int
) -> tuple[Bools, Indices]:
    """Visits in a run of at least ``length`` consecutive true flags of one patient, and per
    patient the index of the first visit of its first such run (-1 when there is none)."""
    same = np.zeros(flags.size, dtype=bool)
    same[1:] = patient[1:] == patient[:-1]
    continues = np.zeros(flags.size, dtype=bool)
    continues[1:] = flags[:-1]
    starts = flags & ~(continues & same)
    run = np.cumsum(starts) - 1  # the run of each flagged visit
    lengths = np.bincount(run[flags], minlength=int(starts.sum()))
    long_runs = lengths >= length
    inside = flags.copy()
    inside[flags] = long_runs[run[flags]]
    first = first_true(starts & inside, patient, patients)
    return inside, first
