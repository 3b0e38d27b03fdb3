"""The case-series report: follow-up, summary, patients.csv, figures, report.html, command."""

from __future__ import annotations

import csv
import datetime
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from myoresponse import score_series_json
from myoresponse.endpoints.landmark import TIE_RULE
from myoresponse.errors import MyoresponseError
from myoresponse.io.cli import main
from myoresponse.report import (
    FollowUpChoice,
    case_series,
    example_table,
    summarise,
)
from myoresponse.report.figures import (
    dose_figure,
    drivers_figure,
    response_figure,
    timeline_figure,
)

pytest.importorskip("matplotlib")
pytest.importorskip("scipy")

D = datetime.date


# -- which follow-up ------------------------------------------------------------------------------


def test_choice_by_label_day_and_last() -> None:
    labels = ["month 3", "month 6", "month 9"]
    dates = [D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 1)]
    base = D(2025, 1, 1)  # days 90, 181, 273
    assert FollowUpChoice().choose(labels, dates, base).label == "month 9"
    assert FollowUpChoice(label="month 6").choose(labels, dates, base).day == 181
    assert FollowUpChoice(day=180, window=30).choose(labels, dates, base).label == "month 6"
    assert (
        FollowUpChoice(label="week 2").choose(labels, dates, base)
        == "no follow-up visit is labelled 'week 2'"
    )
    assert FollowUpChoice(day=400, window=30).choose(labels, dates, base) == (
        "no visit between day 370 and day 430 after baseline"
    )
    assert (
        FollowUpChoice(day=180, window=30)
        .choose(labels, dates, None)
        .startswith("no baseline date")
    )
    assert FollowUpChoice().choose([], [], base) == "no follow-up visit"
    assert [c.short() for c in (FollowUpChoice(), FollowUpChoice(label="m6"))] == [
        "last visit",
        "m6",
    ]
    assert FollowUpChoice(day=180, window=30).short() == "day 180 ± 30"


def test_choice_tie_goes_to_the_earlier_visit_as_for_the_landmark() -> None:
    base = D(2025, 1, 1)
    dates = [base + datetime.timedelta(days=170), base + datetime.timedelta(days=190)]
    chosen = FollowUpChoice(day=180, window=10).choose(["a", "b"], dates, base)
    assert (chosen.label, chosen.day) == ("a", 170)
    assert TIE_RULE == "earlier"  # one tie rule in the package


@pytest.mark.parametrize(
    "keywords",
    [{"label": "month 6", "day": 180, "window": 10}, {"window": 10}, {"day": 180}, {"day": -1}],
)
def test_choice_rejects_contradictions(keywords: dict[str, Any]) -> None:
    with pytest.raises(MyoresponseError):
        FollowUpChoice(**keywords)


# -- a small table computed by hand ---------------------------------------------------------------


def _small() -> dict[str, list[Any]]:
    """Three adults: A reaches 37.5 at 'month 6', B has no 'month 6', C scores 0; one dose gap."""
    return {
        "id": ["A", "A", "B", "B", "C", "C"],
        "visit": ["baseline", "month 6", "baseline", "month 3", "baseline", "month 6"],
        "physician_global": [6, 2, 5, 3, 5, 5],
        "mmt": [110, 131, 100, 120, 60, 60],
        "prednisone_mg_per_day": [20, 5, 10, 5, 15, None],
    }


def test_summary_of_a_small_table_by_hand() -> None:
    summary = summarise(_small(), population="adult", mmt_max=150, missing="zero", at="month 6")
    assert (summary.n_patients, summary.n_evaluable) == (3, 2)
    assert summary.not_evaluable == (("B", "no follow-up visit is labelled 'month 6'"),)
    # A: physician 40 % -> 17.5, MMT (131-110)/150 = 14 % -> 20: TIS 37.5 minimal; C: 0 none
    assert summary.categories["minimal"]["count"] == 1
    assert summary.categories["none"]["proportion"] == 0.5
    assert summary.at_least["minimal"]["count"] == 1 and summary.at_least["major"]["count"] == 0
    assert summary.tis is not None
    assert (summary.tis["median"], summary.tis["min"], summary.tis["max"]) == (18.75, 0, 37.5)
    # C has no follow-up dose, B is not evaluable: one pair (20 -> 5), too few for a p-value
    assert summary.steroids is not None
    assert summary.steroids["n_pairs"] == 1 and summary.steroids["median_change"] == -15
    assert summary.steroids["wilcoxon"]["p_value"] is None
    assert summary.measures["physician_global"]["median_points"] == pytest.approx(8.75)
    assert summary.conventions["thresholds"] == {"minimal": 20, "moderate": 40, "major": 60}
    assert json.loads(json.dumps(summary.to_dict()))["n_evaluable"] == 2


def test_dataframe_input_and_keywords_with_a_scored_series() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_small())
    summary = summarise(frame, population="adult", mmt_max=150, missing="zero", at="month 6")
    assert summary.n_evaluable == 2 and summary.steroids is not None
    series = case_series(frame, population="adult", mmt_max=150, missing="zero")
    with pytest.raises(MyoresponseError, match="already scored"):
        summarise(series, mmt_max=150)


def test_no_steroid_columns_gives_a_reason() -> None:
    table = {k: v for k, v in _small().items() if k != "prednisone_mg_per_day"}
    summary = summarise(table, population="adult", mmt_max=150, missing="zero")
    assert summary.steroids is None and "no evaluable patient" in (summary.steroids_reason or "")


def test_thresholds_come_from_the_criteria_for_juvenile() -> None:
    table = dict(_small(), population=["juvenile"] * 6)
    series = case_series(table, mmt_max=80, missing="zero")
    assert series.criteria.population.value == "juvenile"
    summary = summarise(series)
    assert summary.conventions["thresholds"] == {"minimal": 30, "moderate": 45, "major": 70}
    assert _threshold_lines(response_figure(series)) == [30, 45, 70]


def test_mixed_population_is_an_error_that_says_so() -> None:
    table = dict(_small(), population=["adult", "adult", "juvenile", "juvenile", "", ""])
    with pytest.raises(MyoresponseError, match="mixes populations"):
        case_series(table, mmt_max=150)
    with pytest.raises(MyoresponseError, match="population"):
        case_series(_small(), mmt_max=150)


def test_invalid_patient_is_listed_and_others_scored() -> None:
    table = _small()
    table["physician_global"][3] = 11  # outside 0-10
    summary = summarise(table, population="adult", mmt_max=150, missing="zero")
    assert [ident for ident, _ in summary.errors] == ["B"]
    assert "physician_global" in summary.errors[0][1]
    assert summary.n_evaluable == 2


# -- the example, per patient against score_series ------------------------------------------------


def _patient_document(table: dict[str, list[str]], ident: str) -> dict[str, Any]:
    rows = [i for i, value in enumerate(table["id"]) if value == ident]
    visits = []
    for row in rows:
        visit: dict[str, Any] = {"label": table["visit"][row], "date": table["date"][row]}
        for key in ("physician_global", "patient_global", "mmt", "haq", "extramuscular"):
            visit[key] = float(table[key][row])
        visit["enzymes"] = {"CK": float(table["ck"][row])}
        visits.append(visit)
    return {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
        "baseline": visits[0],
        "visits": visits[1:],
    }


@pytest.mark.parametrize("at", [None, "month 3"])
def test_patients_csv_equals_score_series(tmp_path: Path, at: str | None) -> None:
    from myoresponse.report.patients import write_csv

    table = example_table()
    series = case_series(table, population="adult", mmt_max=150, at=at)
    write_csv(series, tmp_path / "patients.csv")
    with (tmp_path / "patients.csv").open() as stream:
        written = list(csv.DictReader(stream))
    assert len(written) == 8
    for row in written:
        result = score_series_json(_patient_document(table, row["id"]))
        chosen = [v for v in result["visits"] if v["label"] == row["followup_visit"]]
        assert len(chosen) == 1
        scored = chosen[0]["result"]
        assert float(row["total_improvement_score"]) == scored["total_improvement_score"]
        assert row["category"] == scored["category"]
        for measure in scored["measures"]:
            assert float(row[f"points_{measure['measure']}"]) == measure["points"]
    last = {row["id"]: row["followup_visit"] for row in written}
    assert last["SYN-08"] == "month 3"


def test_example_summary_numbers() -> None:
    summary = summarise(example_table(), population="adult", mmt_max=150)
    assert summary.at_least["major"]["count"] == 5 and summary.n_evaluable == 8
    steroids = summary.steroids
    assert steroids is not None and steroids["n_pairs"] == 7  # SYN-06: month 6 dose not recorded
    assert (steroids["before"]["median"], steroids["after"]["median"]) == (20, 5)
    month6 = summarise(example_table(), population="adult", mmt_max=150, at_day=182, window=14)
    assert month6.not_evaluable == (
        ("SYN-08", "no visit between day 168 and day 196 after baseline"),
    )


# -- figures --------------------------------------------------------------------------------------


def _threshold_lines(figure: Any) -> list[float]:
    axes = figure.axes[0]
    found = []
    for line in axes.get_lines():
        if str(line.get_gid()).startswith("threshold"):
            assert line.get_linestyle() == "--"
            ys = set(line.get_ydata())
            assert len(ys) == 1
            found.append(float(ys.pop()))
    return found


def test_figures_draw_the_population_thresholds_and_labels() -> None:
    series = case_series(example_table(), population="adult", mmt_max=150)
    for draw in (response_figure, drivers_figure, timeline_figure):
        figure = draw(series)
        assert _threshold_lines(figure) == [20, 40, 60]
        axes = figure.axes[0]
        assert axes.get_title() and axes.get_xlabel()
        assert "points" in axes.get_ylabel().lower()
    response = response_figure(series).axes[0]
    labels = [label.get_text() for label in response.get_xticklabels()]
    assert labels == [
        "SYN-04",
        "SYN-08",
        "SYN-06",
        "SYN-02",
        "SYN-07",
        "SYN-05",
        "SYN-03",
        "SYN-01",
    ]
    heights = [bar.get_height() for bar in response.patches]
    assert heights == sorted(heights)
    dose = dose_figure(series).axes[0]
    assert "mg/day" in dose.get_ylabel()
    median = next(line for line in dose.get_lines() if line.get_gid() == "median")
    assert list(median.get_ydata()) == [20, 5]


# -- the written report and the command -----------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.references: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag == "img":
            self.images.append(found)
        for name in ("src", "href", "data", "action", "poster", "srcset"):
            if found.get(name):
                self.references.append(str(found[name]))


def test_example_report_is_self_contained(tmp_path: Path, capsys: Any) -> None:
    assert main(["report", "--example", "-o", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "5 of 8 evaluable patients (62.5 %; 95 % CI 24.5–91.5 %) reached major response." in err
    page = _Page()
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    page.feed(text)
    page.close()
    assert len(page.images) == 4
    for image in page.images:
        assert (image.get("alt") or "").strip()
        assert str(image["src"]).startswith("data:image/png;base64,")
    assert all(ref.startswith("data:") for ref in page.references)
    assert not {"script", "link", "iframe"} & page.tags
    assert "SYNTHETIC DATA" in text
    for stem in ("response", "steroids", "drivers", "timeline"):
        png = (tmp_path / "figures" / f"{stem}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        root = ET.parse(tmp_path / "figures" / f"{stem}.svg").getroot()
        assert root.tag.endswith("svg")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["at_least"]["major"]["count"] == 5
    assert summary["version"]


def test_markdown_report(tmp_path: Path) -> None:
    assert (
        main(["report", "--example", "--format", "md", "--at", "month 6", "-o", str(tmp_path)]) == 0
    )
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "![" in text and "(figures/response.png)" in text
    assert "SYN-08: no follow-up visit is labelled 'month 6'" in text
    assert not (tmp_path / "report.html").exists()


def _write(path: Path, table: dict[str, list[Any]]) -> Path:
    with path.open("w", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(list(table))
        writer.writerows(zip(*table.values(), strict=True))
    return path


def test_exit_1_when_a_row_is_invalid_and_the_report_is_still_written(
    tmp_path: Path, capsys: Any
) -> None:
    table = _small()
    table["mmt"][1] = "strong"
    source = _write(tmp_path / "visits.csv", table)
    out = tmp_path / "out"
    status = main(
        ["report", str(source), "--population", "adult", "--mmt-max", "150", "--missing", "zero",
         "-o", str(out)]
    )  # fmt: skip
    assert status == 1
    assert "1 of 3 patients have invalid rows" in capsys.readouterr().err
    text = (out / "report.html").read_text()
    assert "Invalid rows" in text and "strong" in text
    with (out / "patients.csv").open() as stream:
        reasons = {row["id"]: row["reason"] for row in csv.DictReader(stream)}
    assert reasons["A"].startswith("invalid rows:") and reasons["C"] == ""


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such.csv"], "cannot read no-such.csv"),
        (["MIXED"], "mixes populations"),
        (["--example", "EMPTY"], "not both"),
        (["EMPTY"], "the CSV file is empty"),
        (["--example", "--at", "month 6", "--at-day", "180", "--window", "9"], "not both"),
    ],
)
def test_exit_2_when_the_input_cannot_be_read(
    tmp_path: Path, capsys: Any, arguments: list[str], message: str
) -> None:
    mixed = _write(
        tmp_path / "mixed.csv", dict(_small(), population=["adult"] * 3 + ["juvenile"] * 3)
    )
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    names = {"MIXED": str(mixed), "EMPTY": str(empty)}
    arguments = [names.get(a, a) for a in arguments]
    assert main(["report", *arguments, "-o", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err


def test_exit_2_naming_the_extra_when_it_is_missing(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def without_scipy(name: str, package: str | None = None) -> Any:
        if name.split(".")[0] in ("scipy", "matplotlib"):
            raise ImportError(f"No module named {name!r}")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_scipy)
    assert main(["report", "--example", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'myoresponse[report]'" in err[0]
    assert not (tmp_path / "report.html").exists()


def test_importing_the_report_loads_neither_matplotlib_nor_scipy() -> None:
    code = (
        "import sys, myoresponse, myoresponse.report, myoresponse.io.cli; "
        "print(sorted(m for m in ('matplotlib', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
