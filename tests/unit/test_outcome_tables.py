"""atlas.outcome_groups, outcome_tables and outcome_charts on tiny hand-written frames
(synthetic: made-up countries AAA..FFF, statuses, values and years typed here)."""

import math

import pandas as pd
import pytest

from atlas import outcome_charts, outcome_groups, outcome_tables, outcome_words
from atlas.outcome_groups import answer_summary, group_summary, mixed_years, outcome_frame
from atlas.outcome_tables import (
    NO_VALUE_BIN,
    bin_of,
    change_frame,
    compare_outcome_table,
    country_outcome_table,
    outcome_map_frame,
    peer_position,
    scatter_frame,
    timing_labels,
)
from atlas.outcome_words import indicator_row

FX, NET = "FX.OWN.TOTL.ZS", "IT.NET.USER.ZS"
# One release's statuses for payments (status_long's columns), six synthetic countries.
LONG = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"],
        "name": ["Aland", "Beland", "Celand", "Deland", "Eland", "Feland"],
        "pillar": ["payments"] * 6,
        "status": ["implemented", "implemented", "none", "planned_or_piloted", "not_assessed", "implemented"],
        "dpi_like": [True, False, None, None, None, None],
    }
)  # fmt: skip
COUNTRIES = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"],
        "region": ["North", "North", "North", "South", "South", None],
        "income_group": ["Low income", "Low income", "High income", "Low income", None, None],
        "area_km2": [1e5, 1e5, 1e5, 1e5, 100, 1e5],
        "lat": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "lon": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "has_geometry": [True, True, True, True, True, True],
    }
)
# Latest values under a rule (latest_values' columns): FFF has none; EEE only internet use.
LATEST = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "CCC", "DDD", "AAA", "BBB", "CCC", "EEE"],
        "indicator": [FX, FX, FX, FX, NET, NET, NET, NET],
        "year": [2024, 2021, 2024, 2024, 2023, 2023, 2022, 2023],
        "value": [80.0, 60.0, 30.0, 20.0, 50.0, 40.0, 90.0, 10.0],
    }
)
INDICATORS = pd.DataFrame(
    {
        "indicator": [NET, FX],
        "name": ["Internet use (%)", "Account ownership (%)"],
        "unit": ["%", "%"],
        "pillar": ["data_exchange", "payments"],
        "citation": ["Synthetic net citation.", "Synthetic account citation."],
        "terms": ["CC BY 4.0", "CC BY 4.0"],
    }
)


@pytest.fixture
def frame():
    return outcome_frame(LONG, COUNTRIES, "payments", LATEST, FX)


def test_outcome_frame_splits_dpi_like_and_keeps_countries_without_a_value(frame):
    rows = frame.set_index("iso3")
    assert rows["group"].to_dict() == {
        "AAA": "dpi_like",
        "BBB": "implemented",
        "CCC": "none",
        "DDD": "planned_or_piloted",
        "EEE": "not_assessed",
        "FFF": "implemented",
    }
    assert rows.loc["BBB", "value"] == 60.0 and rows.loc["BBB", "year"] == 2021
    assert math.isnan(rows.loc["FFF", "value"]) and pd.isna(rows.loc["FFF", "year"])
    assert math.isnan(rows.loc["EEE", "value"])  # EEE has internet use only


def test_group_summary_counts_members_values_medians_and_years(frame):
    summary = group_summary(frame).set_index("key")
    assert list(summary.index) == list(outcome_groups.GROUPS)
    implemented = summary.loc["implemented"]
    assert (implemented["countries"], implemented["n"]) == (2, 1)  # FFF has no value
    assert implemented["median"] == 60.0 and implemented["span"] == "2021"
    assert summary.loc["not_assessed", "n"] == 0 and math.isnan(
        summary.loc["not_assessed", "median"]
    )
    assert summary.loc["dpi_like", "years"] == "2024: 1"


def test_answer_summary_counts_dpi_like_as_implemented(frame):
    answer = answer_summary(frame).set_index("key")
    assert answer.loc["implemented", ["countries", "n", "median"]].tolist() == [3, 2, 70.0]
    assert answer.loc["implemented", "span"] == "2021–2024"
    assert answer.loc["implemented", "years"] == "2024: 1 · 2021: 1"
    assert answer.loc["not_implemented", ["countries", "n", "median"]].tolist() == [2, 2, 25.0]
    assert answer.loc["not_assessed", ["countries", "n"]].tolist() == [1, 0]
    assert mixed_years(answer) == [2021, 2024]
    assert mixed_years(answer_summary(frame[frame["year"] == 2024])) is None


def test_median_words_say_how_many_and_which_years(frame):
    answer = answer_summary(frame).set_index("key")
    assert outcome_groups.median_words(answer.loc["implemented"], 2017) == (
        "Median of 2 countries with a value (values 2021–2024), of 3 in the group."
    )
    assert outcome_groups.median_words(answer.loc["not_assessed"], 2017) == (
        "None of its 1 countries has a value since 2017."
    )


def test_scatter_frame_keeps_countries_with_both_values_and_both_years(frame):
    points = scatter_frame(frame, LATEST, NET, FX).set_index("iso3")
    assert sorted(points.index) == ["AAA", "BBB", "CCC"]  # DDD: no NET; EEE: no FX
    assert points.loc["BBB", ["x", "x_year", "y", "y_year"]].tolist() == [40.0, 2023, 60.0, 2021]


def test_change_frame_says_when_the_pillar_became_implemented(frame):
    two = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "EEE"],
            "year": [2024, 2021, 2024, 2024],
            "value": [80.0, 60.0, 30.0, 12.0],
            "previous_year": [2021, 2017, 2021, 2021],
            "previous_value": [70.0, 61.5, 25.0, 10.0],
        }
    )
    first = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB"],
            "pillar": ["payments", "payments"],
            "first_implemented": ["2030-01-15", "2030-04-15"],
        }
    )
    releases = ["2030-01-15", "2030-04-15", "2030-07-15"]
    changes = change_frame(two, frame, first, "payments", releases, "2030-04-15").set_index("iso3")
    assert changes["timing"].to_dict() == {
        "AAA": "first",
        "BBB": "became:2030-04-15",
        "CCC": "not_implemented",
        "EEE": "not_assessed",
    }
    assert changes.loc["BBB", "change"] == pytest.approx(-1.5)
    assert list(timing_labels(releases, "2030-04-15")) == [
        "first",
        "became:2030-04-15",
        "not_implemented",
        "not_assessed",
    ]  # a later release is never a category


def test_peer_position_ranks_among_the_group_with_a_value():
    fx = LATEST[LATEST["indicator"] == FX]
    assert peer_position(fx, COUNTRIES, "BBB", "region") == (
        "2nd highest of 3 in North (median 60.0%, values 2021–2024)"
    )
    assert peer_position(fx, COUNTRIES, "DDD", "income_group") == (
        "3rd highest of 3 in Low income (median 60.0%, values 2021–2024)"
    )
    assert peer_position(fx, COUNTRIES, "FFF", "region") is None  # no value, no region
    assert outcome_words.ordinal(11) == "11th" and outcome_words.ordinal(22) == "22nd"


def test_country_table_names_the_year_or_the_last_value_before_the_rule():
    older = pd.DataFrame({"indicator": [FX], "year": [2014], "value": [12.25]})
    table = country_outcome_table(INDICATORS, LATEST, COUNTRIES, "EEE", 2017, older)
    rows = table.set_index("Indicator")
    assert rows.loc["Internet use (%)", ["Latest value", "Year"]].tolist() == ["10.0% (2023)", 2023]
    assert rows.loc["Account ownership (%)", "Latest value"] == (
        "no value since 2017 (last: 12.2% (2014))"
    )
    assert pd.isna(rows.loc["Account ownership (%)", "Year"])
    assert rows.loc["Internet use (%)", "Source"] == "Synthetic net citation."


def test_compare_table_shows_a_country_with_its_year_and_a_group_as_a_median():
    members = {"Beland": ["BBB"], "Income: Low income": ["AAA", "BBB", "DDD"]}
    table = compare_outcome_table(INDICATORS, LATEST, members, {"Income: Low income"}, 2017)
    rows = table.set_index("Indicator")
    assert rows.loc["Account ownership (%)", "Beland"] == "60.0% (2021)"
    assert rows.loc["Account ownership (%)", "Income: Low income"] == (
        "median 60.0% (3 of 3 countries; values 2021–2024)"
    )
    assert rows.loc["Internet use (%)", "Income: Low income"] == (
        "median 45.0% (2 of 3 countries; values 2023)"
    )


def test_map_classes_keep_no_data_apart_from_low_values():
    values = pd.Series([0.0, 9.99, 10.0, 55.0, 99.9, 100.0, None])
    assert bin_of(values).tolist() == [0, 0, 1, 5, 9, 9, NO_VALUE_BIN]
    labels = outcome_tables.bin_labels()
    assert labels[0] == "0–10%" and labels[9] == "90–100%" and labels[NO_VALUE_BIN] == "No data"


def test_outcome_map_frame_hover_carries_the_year_and_the_status():
    indicator = INDICATORS.iloc[1]
    frame = outcome_map_frame(LONG, COUNTRIES, "payments", LATEST, indicator, 2017)
    rows = frame.set_index("iso3")
    assert "Account ownership (%): <b>60.0% (2021)</b>" in rows.loc["BBB", "hover"]
    assert "Payments: Implemented" in rows.loc["BBB", "hover"]
    assert "<b>no value since 2017</b>" in rows.loc["FFF", "hover"]
    assert rows["bin"].to_dict() == {"AAA": 8, "BBB": 6, "CCC": 3, "DDD": 2, "EEE": -1, "FFF": -1}
    assert rows["implemented"].to_dict() == {
        "AAA": True, "BBB": True, "CCC": False, "DDD": False, "EEE": False, "FFF": True
    }  # fmt: skip


@pytest.mark.parametrize("dark", [False, True])
def test_outcome_map_outlines_the_implemented_and_colours_no_data_apart(dark):
    from atlas import maps

    indicator = INDICATORS.iloc[1]
    frame = outcome_map_frame(LONG, COUNTRIES, "payments", LATEST, indicator, 2017)
    frame["category"] = outcome_charts.bin_key(frame["bin"])
    colours = outcome_charts.bin_colours(dark)
    labels = outcome_tables.bin_labels()
    legend = {f"bin{b}" if b >= 0 else "no_data": (labels[b], colours[b]) for b in labels}
    overlay = outcome_charts.implemented_outline(frame, "x.geojson", "Payments implemented", dark)
    figure = maps.category_map(frame, "x.geojson", legend, selected="CCC", dark=dark,
                               overlay=overlay)  # fmt: skip
    traces = figure.data
    areas = {t.name: t for t in traces if t.type == "choropleth" and t.showlegend}
    assert list(areas["No data"].locations) == ["EEE", "FFF"]
    no_data = outcome_charts.DARK_NO_DATA_COLOUR if dark else outcome_charts.NO_DATA_COLOUR
    assert areas["No data"].colorscale[0][1] == no_data
    assert no_data not in (outcome_charts.DARK_BIN_COLOURS if dark else outcome_charts.BIN_COLOURS)
    assert list(areas["60–70%"].locations) == ["BBB"]
    outlines = [t for t in traces if t.type == "choropleth" and not t.showlegend]
    assert [list(t.locations) for t in outlines] == [["AAA", "BBB", "FFF"], ["CCC"]]
    assert outlines[-1].name == "Selected"  # drawn last: over the implemented outline
    key = [t for t in traces if t.type == "scattergeo" and t.showlegend]
    assert [t.name for t in key] == ["Payments implemented"]
    rings = [t for t in traces if t.type == "scattergeo" and t.marker.symbol == "circle-open"]
    small = [t for t in traces if t.type == "scattergeo" and not t.showlegend and len(t.lat)]
    assert [list(t.customdata[:, 0]) for t in small if t.customdata is not None] == [["EEE"]]
    assert [len(t.lat) for t in rings] == [0]  # EEE (100 km2, a dot) is not implemented


def test_distribution_chart_labels_each_group_with_n_and_median(frame):
    summary = group_summary(frame)
    figure = outcome_charts.distribution_chart(frame, summary, "Account ownership (%)")
    ticks = list(figure.layout.xaxis.categoryarray)
    assert len(figure.data) == 5 and len(ticks) == 5
    assert ticks[0] == "<b>Not assessed</b><br>no value"
    assert ticks[3] == "<b>Implemented</b><br>n = 1 · median 60.0%<br>values 2021"
    implemented = figure.data[3]
    assert list(implemented.y) == [60.0] and list(implemented.customdata[0]) == ["Beland", 2021]


def test_an_unknown_indicator_is_named():
    with pytest.raises(KeyError, match=r"no outcome indicator 'XX.YY' .*known: IT.NET.USER.ZS"):
        indicator_row(INDICATORS, "XX.YY")
    with pytest.raises(KeyError, match=r"beside the 'identity' pillar"):
        outcome_words.pillar_indicator(INDICATORS, "identity")


def test_the_rule_offers_every_year_up_to_the_newest_value():
    years = outcome_words.since_choices(INDICATORS.assign(last_year=[2023, 2024]))
    assert years[0] == 2010 and years[-1] == 2024 and len(years) == 15
    assert outcome_words.DEFAULT_SINCE in years
