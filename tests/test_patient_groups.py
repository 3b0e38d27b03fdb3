"""Grouping a long table by patient: the shortcuts for the usual layouts equal the general sort."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse.tables._labels import read_labels
from myoresponse.tables._visit_pairs import Patients, _bad_labels


def _reference(ids: list[str]) -> tuple[list[int], list[int]]:
    """Rows by patient in order of first appearance, each patient's rows in table order."""
    order: dict[str, list[int]] = {}
    for row, ident in enumerate(ids):
        order.setdefault(ident, []).append(row)
    return [r for rows in order.values() for r in rows], [len(rows) for rows in order.values()]


_IDS = st.lists(st.sampled_from(["P1", "P2", "P10", "Q", "a", "P3"]), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(ids=_IDS, grouped=st.booleans())
def test_patients_by_id_equal_the_first_appearance_order(ids: list[str], grouped: bool) -> None:
    if grouped:  # each patient's rows together, patients in any order
        ids = [i for i in dict.fromkeys(ids) for _ in range(ids.count(i))]
    patients = Patients.by_id(np.array(ids))
    rows, sizes = _reference(ids)
    assert patients.rows.tolist() == rows and patients.sizes.tolist() == sizes


@settings(max_examples=200, deadline=None)
@given(
    visits=st.lists(
        st.lists(
            st.sampled_from(["", "base", "w4", "w8", "w 12", " w4", "NA"]), min_size=1, max_size=20
        ),
        min_size=1,
        max_size=6,
    )
)
def test_bad_labels_are_empty_or_repeated_within_a_patient(visits: list[list[str]]) -> None:
    ids = [f"P{p}" for p, labels in enumerate(visits) for _ in labels]
    labels = np.array([label for labels in visits for label in labels])
    patients = Patients.by_id(np.array(ids))
    read = [[label.strip() if label != "NA" else "" for label in labels] for labels in visits]
    expected = ["" in labels or len(set(labels)) < len(labels) for labels in read]
    assert _bad_labels(patients, read_labels(labels)).tolist() == expected
    assert _bad_labels(patients, read_labels(labels.tolist())).tolist() == expected
