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
    hits = np.flatnonzero(mask)
    if hits.size * 8 < patients:  # few hits: the first of each patient's run of hits
        out = np.full(patients, -1, dtype=np.intp)
        if hits.size:
            owners = patient[hits]
            first = np.ones(hits.size, dtype=bool)
            first[1:] = owners[1:] != owners[:-1]
            out[owners[first]] = hits[first]
        return out
    none = mask.size  # past every visit: no hit
    out = np.full(patients, none, dtype=np.intp)
    np.minimum.at(out, patient[hits], hits)  # unbuffered: the smallest hit of each patient
    out[out == none] = -1
    return out


def runs_at_least(
    flags: Bools, patient: Indices, patients: int, length: int
) -> tuple[Bools, Indices]:
    """Visits in a run of at least ``length`` consecutive true flags of one patient, and per
    patient the index of the first visit of its first such run (-1 when there is none).

    A *window* is ``length`` visits of one patient from visit ``i`` on, all flagged: a visit is in
    a long enough run exactly when some window covers it, and a patient's first window starts its
    first such run (a flagged visit just before it would start an earlier window)."""
    size = flags.size
    if length < 1 or length > size:
        return np.zeros(size, dtype=bool), np.full(patients, -1, dtype=np.intp)
    small = np.int32 if size < 2**31 else np.intp  # counts of visits: half the memory
    count = np.zeros(size + 1, dtype=small)
    np.cumsum(flags, out=count[1:])
    starts = size - length + 1
    window = count[length:] - count[:starts] == length
    window &= patient[length - 1 :] == patient[:starts]
    cover = np.zeros(size + 1, dtype=np.int8)  # +1 where a window starts, -1 past its end
    cover[:starts] += window
    cover[length:] -= window
    inside = np.cumsum(cover[:size], dtype=small) > 0
    return inside, first_true(window, patient[:starts], patients)
