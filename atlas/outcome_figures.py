"""Outcome indicators beside DPI adoption, ready to show: cached bundles (frame, summary,
figure, download table, citation) for the Adoption and outcomes page, the table and caption
under the map explorer's outcome maps (the maps themselves: figures.view_map), the country
profile's outcome block and Compare's outcome rows.

Bundles are cached as shared resources (like atlas.figures): pages must not change them in
place. `show_country_outcomes` and `show_compare_outcomes` render a whole section, so a page
wires one in with a single call.
"""

import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas import (
    outcome_charts,
    outcome_groups,
    outcome_queries,
    outcome_tables,
    outcome_words,
    queries,
    tables,
)
from atlas.categories import PILLAR_LABELS
from atlas.outcome_words import DEFAULT_SINCE
from atlas.selection import OUTCOME_PREFIX, Selection, selected_iso3

FIGURES = 64  # cached bundles per function: views x releases in use at once
NOT_BUILT = (
    "This warehouse holds no outcome indicators: it was built before they were added. "
    "Rebuild it (`python -m etl build`, offline `DPI_MIRROR=../shared/upstream python -m etl "
    "build`) and reload the page."
)


@dataclass(frozen=True)
class Distribution:
    indicator: pd.Series  # the catalogue row (indicator, name, unit, citation, terms, ...)
    frame: pd.DataFrame  # outcome_groups.outcome_frame
    summary: pd.DataFrame  # per status group
    answer: pd.DataFrame  # implemented / not implemented / not assessed
    figure: go.Figure
    table: pd.DataFrame  # the download
    citation: str


@dataclass(frozen=True)
class Scatter:
    points: pd.DataFrame
    figure: go.Figure
    table: pd.DataFrame
    citation: str


@dataclass(frozen=True)
class Waves:
    indicator: pd.Series
    changes: pd.DataFrame
    summary: pd.DataFrame
    figure: go.Figure
    table: pd.DataFrame
    citation: str


@dataclass(frozen=True)
class CountryOutcomes:
    table: pd.DataFrame
    history: pd.DataFrame
    figure: go.Figure | None
    citation: str


# ------------------------------------------------------------------ shared pieces
def selected_long(version: str, release: str, region: str, income: str) -> pd.DataFrame:
    """One release's statuses (status_long) for the countries of the sidebar selection."""
    long = queries.status_long(version, release)
    return long[long["iso3"].isin(selected_iso3(version, Selection(release, region, income)))]


def pillar_frame(
    version: str, release: str, region: str, income: str, pillar: str, since: int
) -> tuple[pd.Series, pd.DataFrame]:
    """The pillar's own indicator (its catalogue row) and, per country of the selection, its
    status group and latest value under the rule (outcome_groups.outcome_frame)."""
    indicator = outcome_words.pillar_indicator(outcome_queries.indicators(version), pillar)
    frame = outcome_groups.outcome_frame(
        selected_long(version, release, region, income),
        queries.countries(version),
        pillar,
        outcome_queries.latest_values(version, since),
        indicator["indicator"],
    )
    return indicator, frame


def citation_of(version: str, release: str, codes: list[str]) -> str:
    """Each indicator's citation and terms, then the DPI Map release's citation."""
    catalogue = outcome_queries.indicators(version)
    dpi = queries.citation(version, release)
    rows = [outcome_words.indicator_row(catalogue, code) for code in codes]
    sources = " ".join(f"{r['citation']} Terms: {r['terms']}" for r in rows)
    return f"{sources} Statuses: {dpi}"


# ------------------------------------------------------------------ the outcomes page
def distribution(version: str, selection: Selection, pillar: str, since: int) -> Distribution:
    """The latest value of the pillar's indicator by status group, in the selection."""
    key = (selection.release, selection.region, selection.income)
    return _distribution(version, *key, pillar, since)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _distribution(version, release, region, income, pillar, since) -> Distribution:
    indicator, frame = pillar_frame(version, release, region, income, pillar, since)
    summary = outcome_groups.group_summary(frame)
    title = f"{indicator['name']}"
    return Distribution(
        indicator=indicator,
        frame=frame,
        summary=summary,
        answer=outcome_groups.answer_summary(frame),
        figure=outcome_charts.distribution_chart(frame, summary, wrap(title)),
        table=outcome_groups.distribution_table(frame, indicator, pillar, release, since),
        citation=citation_of(version, release, [indicator["indicator"]]),
    )


def wrap(text: str, width: int = 40) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def scatter(version: str, selection: Selection, pillar: str, x: str, y: str, since: int) -> Scatter:
    """Indicator `x` against `y`, a dot per country coloured by its status in `pillar`."""
    key = (selection.release, selection.region, selection.income)
    return _scatter(version, *key, pillar, x, y, since)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _scatter(version, release, region, income, pillar, x, y, since) -> Scatter:
    catalogue = outcome_queries.indicators(version)
    x_row = outcome_words.indicator_row(catalogue, x)
    y_row = outcome_words.indicator_row(catalogue, y)
    latest = outcome_queries.latest_values(version, since)
    frame = outcome_groups.outcome_frame(
        selected_long(version, release, region, income),
        queries.countries(version),
        pillar,
        latest,
        x,
    )
    points = outcome_tables.scatter_frame(frame, latest, x, y)
    labels = {k: outcome_groups.GROUP_LABELS[k] for k in reversed(outcome_groups.GROUPS)}
    return Scatter(
        points=points,
        figure=outcome_charts.scatter_chart(points, x_row["name"], y_row["name"], labels),
        table=outcome_tables.scatter_table(points, x_row["name"], y_row["name"], pillar, release),
        citation=citation_of(version, release, list(dict.fromkeys([x, y]))),
    )


def waves(version: str, selection: Selection, since: int, pillar: str = "payments") -> Waves:
    """The change in the pillar's indicator between each country's last two values (for
    payments: the last two Findex waves), by when the pillar became implemented."""
    key = (selection.release, selection.region, selection.income)
    return _waves(version, *key, pillar, since)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _waves(version, release, region, income, pillar, since) -> Waves:
    indicator, frame = pillar_frame(version, release, region, income, pillar, since)
    releases = queries.releases(version)
    changes = outcome_tables.change_frame(
        outcome_queries.last_two_values(version, indicator["indicator"], since),
        frame,
        outcome_queries.first_implemented(version, release),
        pillar,
        releases,
        release,
    )
    labels = outcome_tables.timing_labels(releases, release)
    summary = outcome_tables.change_summary(changes, labels)
    summary = summary[summary["Countries"] > 0].reset_index(drop=True)
    return Waves(
        indicator=indicator,
        changes=changes,
        summary=summary,
        figure=outcome_charts.change_chart(
            changes, summary, outcome_words.short_name(indicator["name"])
        ),
        table=outcome_tables.change_table(changes, indicator["name"], pillar, release),
        citation=citation_of(version, release, [indicator["indicator"]]),
    )


# ------------------------------------------------------------------ the map explorer
def outcome_map_table(
    version: str, view: dict[str, str], frame: pd.DataFrame
) -> tuple[pd.DataFrame, str]:
    """The table under an outcome map (value, year, the pillar's status) and its citation."""
    code = view["measure"].removeprefix(OUTCOME_PREFIX)
    indicator = outcome_words.indicator_row(outcome_queries.indicators(version), code)
    table = outcome_tables.outcome_map_table(frame, indicator, view["pillar"])
    return table, citation_of(version, view["release"], [code])


def outcome_source(version: str, measure: str | None) -> str:
    """An outcome measure's citation and terms, for a footer beside the DPI Map's ('' for
    any other measure)."""
    if not measure or not measure.startswith(OUTCOME_PREFIX):
        return ""
    code = measure.removeprefix(OUTCOME_PREFIX)
    row = outcome_words.indicator_row(outcome_queries.indicators(version), code)
    return f"Outcome: {row['citation']} Terms: {row['terms']}"


def outcome_map_caption(version: str, view: dict[str, str]) -> str:
    """What the outcome map shows, its rule and its citation, in one line for under the map."""
    code = view["measure"].removeprefix(OUTCOME_PREFIX)
    since = int(view.get("since") or DEFAULT_SINCE)
    pillar = view["pillar"]
    subject = "all three pillars" if pillar == "stack" else PILLAR_LABELS[pillar].lower()
    return (
        f"Rule: {outcome_words.rule_text(since)}; the year is in the hover and the table. "
        f"Grey: no value since {since}. Outline: {subject} "
        f"implemented in release {view['release']}. Source: "
        + citation_of(version, view["release"], [code])
    )


# ------------------------------------------------------------------ country profile
@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def country_outcomes(version: str, iso3: str, since: int, release: str) -> CountryOutcomes:
    """A country's latest value of each indicator with its year and its place among its
    region's and income group's countries (rule: since `since`), and its whole history."""
    catalogue = outcome_queries.indicators(version)
    values = outcome_queries.country_values(version, iso3)
    table = outcome_tables.country_outcome_table(
        catalogue,
        outcome_queries.latest_values(version, since),
        queries.countries(version),
        iso3,
        since,
        values,
    )
    history = outcome_tables.country_history(values, catalogue)
    figure = outcome_charts.history_chart(history) if len(history) else None
    return CountryOutcomes(
        table, history, figure, citation_of(version, release, list(catalogue["indicator"]))
    )


def show_country_outcomes(
    version: str, selection: Selection, iso3: str, since: int = DEFAULT_SINCE
) -> None:
    """The country profile's outcome section, whole: one call from pages/country.py."""
    st.subheader("Outcomes beside adoption")
    if not outcome_queries.available(version):
        st.info(NOT_BUILT)
        return
    block = country_outcomes(version, iso3, since, selection.release)
    st.caption(
        f"Rule: {outcome_words.rule_text(since)}. Positions count the countries of the same "
        "World Bank region or income group with a value under the same rule (their years in "
        "brackets). Associations, not effects."
    )
    st.dataframe(block.table, hide_index=True, width="stretch", key="outcome_table")
    if block.figure is None:
        st.info("No outcome value for this country in any year.")
    else:
        st.plotly_chart(block.figure, key="outcome_history")
    st.caption(f"Source: {block.citation}")
    st.download_button(
        "Download the outcome table (CSV)",
        tables.csv_with_citation(block.table, block.citation),
        file_name=f"dpi-atlas-outcomes-{iso3}.csv",
        mime="text/csv",
        key="outcome_download",
    )


# ------------------------------------------------------------------ compare
def compare_outcomes(
    version: str, selection: Selection, members: dict[str, list[str]], since: int = DEFAULT_SINCE
) -> tuple[pd.DataFrame, str]:
    """Rows = indicators, columns = compared items (tables.compare_members): a country's
    latest value with its year, a group's median over its members with a value."""
    catalogue = outcome_queries.indicators(version)
    aggregates = {item for item in members if tables.is_aggregate(item)}
    table = outcome_tables.compare_outcome_table(
        catalogue, outcome_queries.latest_values(version, since), members, aggregates, since
    )
    return table, citation_of(version, selection.release, list(catalogue["indicator"]))


def show_compare_outcomes(
    version: str, selection: Selection, members: dict[str, list[str]], since: int = DEFAULT_SINCE
) -> None:
    """Compare's outcome section, whole: one call from pages/compare.py."""
    st.subheader("Outcomes side by side")
    if not outcome_queries.available(version):
        st.info(NOT_BUILT)
        return
    table, cite = compare_outcomes(version, selection, members, since)
    st.caption(
        f"Rule: {outcome_words.rule_text(since)}; each value's year in brackets. Groups: the "
        "median of their members with a value. Associations across countries, not effects."
    )
    st.dataframe(table, hide_index=True, width="stretch", key="compare_outcomes")
    st.caption(f"Source: {cite}")
    st.download_button(
        "Download the outcome comparison (CSV)",
        tables.csv_with_citation(table, cite),
        file_name="dpi-atlas-compare-outcomes.csv",
        mime="text/csv",
        key="compare_outcomes_download",
    )
