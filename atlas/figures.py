"""Figures the pages show, built from queries + shaping + charts/maps and cached.

Figures are cached as shared resources, not copied: plotly validates every property of a
figure again when it is copied or rebuilt from a dict, which costs more (~0.1 s a chart) than
the data behind it. Pages must not change a cached figure in place.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas import (
    block_classes,
    block_queries,
    charts,
    history,
    mapframes,
    maps,
    outcome_charts,
    outcome_queries,
    outcome_tables,
    paths,
    queries,
)
from atlas.categories import PILLAR_LABELS, PILLARS, map_legend, outside_label
from atlas.outcome_words import DEFAULT_SINCE, indicator_row
from atlas.present import facts
from atlas.selection import (
    ALL,
    OUTCOME_PREFIX,
    Selection,
    income_options,
    is_outcome,
    measure_label,
    previous_release,
    selected_iso3,
)
from etl.geometry import union_bounds

FIGURES = 64  # cached figures per function: views x releases in use at once


# ------------------------------------------------------------------ maps of a view
def selection_of(view: dict[str, str]) -> Selection:
    return Selection(
        release=view["release"], region=view.get("region", ALL), income=view.get("income", ALL)
    )


def view_frame(version: str, view: dict[str, str]) -> tuple[pd.DataFrame, str]:
    """Per country: the category a view colours it by, with the legend kind to use."""
    selection, pillar, measure = selection_of(view), view["pillar"], view["measure"]
    countries = queries.countries(version)
    long = queries.status_long(version, view["release"])
    long = long[long["iso3"].isin(selected_iso3(version, selection))]
    if measure == "changes":  # what changed since the release before (one pillar or all)
        before = previous_release(version, view["release"])
        changes = facts.status_changes(version, view["release"], before) if before else None
        pillars = PILLARS if pillar == "stack" else (pillar,)
        base = (
            mapframes.stack_frame(long, countries)
            if pillar == "stack"
            else mapframes.pillar_map_frame(long, countries, pillar)
        )
        return mapframes.changes_frame(base, long, changes, pillars, before), "changes"
    if is_outcome(measure):  # the latest value by the rule, the pillar's status beside it
        indicator, since = outcome_of(version, view)
        latest = outcome_queries.latest_values(version, since)
        frame = outcome_tables.outcome_map_frame(long, countries, pillar, latest, indicator, since)
        return frame.assign(category=outcome_charts.bin_key(frame["bin"])), "outcome"
    if pillar == "stack":
        return mapframes.stack_frame(long, countries), "stack"
    if measure == "status":
        return mapframes.pillar_map_frame(long, countries, pillar), "status"
    if measure == "block":  # what the system that gives the status runs on
        classes = block_queries.tech_class_by_country(version, view["release"], pillar)
        return block_classes.tech_class_map_frame(long, countries, pillar, classes), "block"
    if measure == "dpi_like":
        assessed = queries.dpi_like_assessed_pillars(version, view["release"]).get(pillar, False)
        return mapframes.dpi_like_map_frame(long, countries, pillar, assessed), "yes_no"
    values = queries.attribute_by_country(version, view["release"], pillar, measure[5:])
    label = measure_label(version, pillar, measure)
    return mapframes.attribute_map_frame(long, countries, pillar, values, label), "yes_no"


def outcome_of(version: str, view: dict[str, str]) -> tuple[pd.Series, int]:
    """An outcome view's indicator (its catalogue row) and its rule: the latest value since
    view['since'] (default outcome_words.DEFAULT_SINCE)."""
    code = view["measure"].removeprefix(OUTCOME_PREFIX)
    indicator = indicator_row(outcome_queries.indicators(version), code)
    return indicator, int(view.get("since") or DEFAULT_SINCE)


def outline_subject(pillar: str) -> str:
    """What an outcome map outlines: 'Payments' (implemented), or 'All three pillars'."""
    return "All three pillars" if pillar == "stack" else PILLAR_LABELS[pillar]


def view_legend(
    version: str, view: dict[str, str], kind: str, present: bool, dark: bool
) -> dict[str, tuple[str, str]]:
    """Category -> (label, colour) of a view's map: an outcome's classes, or a kind's legend."""
    if kind != "outcome":
        return map_legend(kind, present, dark)
    indicator, _ = outcome_of(version, view)
    labels = outcome_tables.bin_labels(indicator["unit"])
    colours = outcome_charts.bin_colours(dark)
    keys = outcome_charts.bin_key(pd.Series(list(labels)))
    return {key: (labels[b], colours[b]) for key, b in zip(keys, labels, strict=True)}


def view_map(
    version: str,
    view: dict[str, str],
    present: bool,
    dark: bool = False,
    compact: bool = False,
) -> tuple[go.Figure, pd.DataFrame]:
    """The choropleth a view shows (map explorer, overview, deck slides, exports) and its
    frame, in the dark theme's palette when `dark` (`compact`: for a phone's screen). Shared,
    not copied, between reruns and sessions: do not change it in place."""
    return _view_map(version, tuple(sorted(view.items())), present, dark, compact)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def _view_map(
    version: str, items: tuple, present: bool, dark: bool = False, compact: bool = False
) -> tuple[go.Figure, pd.DataFrame]:
    view = dict(items)
    frame, kind = view_frame(version, view)
    selection, country = selection_of(view), view.get("country") or None
    in_view = selected_iso3(version, selection)
    bounds = queries.country_bounds(version)
    codes = [country] if country else (in_view if selection.filtered else [])
    focus = union_bounds([bounds[c] for c in codes if c in bounds])
    countries = queries.countries(version)
    outside = countries[~countries["iso3"].isin(in_view)]
    url = paths.asset_url(version, "countries.geojson")
    overlay = None
    if kind == "outcome":  # the pillar's implemented countries outlined over the classes
        outline = f"{outline_subject(view['pillar'])} implemented (outline)"
        overlay = outcome_charts.implemented_outline(frame, url, outline, dark)
    figure = maps.category_map(
        frame,
        url,
        view_legend(version, view, kind, present, dark),
        focus=focus,
        selected=country,
        outside=outside,
        dark=dark,
        outside_label=outside_label(selection.filtered),
        compact=compact and not present,
        aspect=maps.PANEL_ASPECT if country and not present else None,  # beside the panel
        overlay=overlay,
    )
    return (maps.stage_map(figure) if present else figure), frame


def timeline_frames(
    version: str, view: dict[str, str], present: bool, dark: bool = False
) -> list[tuple]:
    """(release, traces) for every release: the frames of the map's timeline animation."""
    items = tuple(sorted((k, v) for k, v in view.items() if k != "release"))
    return _timeline_frames(version, items, present, dark)


@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline_frames(version: str, items: tuple, present: bool, dark: bool = False) -> list:
    view = dict(items)
    return [
        (release, [trace.to_plotly_json() for trace in figure.data])
        for release in queries.releases(version)
        for figure in [view_map(version, view | {"release": release}, present, dark)[0]]
    ]


# ------------------------------------------------------------------ trends
def selected_history(version: str, region: str, income: str) -> pd.DataFrame:
    chosen = selected_iso3(version, Selection("", region, income))
    frame = queries.status_history(version)
    return frame[frame["iso3"].isin(chosen)]


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def adoption_chart(version: str, region: str, income: str, dark: bool = False) -> go.Figure:
    frame = selected_history(version, region, income)
    releases = queries.releases(version)
    counts = history.status_counts(frame, queries.dpi_like_assessment(version), releases)
    counts["pillar"] = counts["pillar"].map(PILLAR_LABELS)
    return charts.trend_lines(counts, "pillar", dark=dark)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def group_chart(
    version: str, region: str, income: str, by: str, pillar: str, dark: bool = False
) -> go.Figure:
    frame = selected_history(version, region, income)
    countries = queries.countries(version)
    grouped = history.with_group(frame[frame["pillar"] == pillar], countries, by)
    counts = history.status_counts(
        grouped, queries.dpi_like_assessment(version), queries.releases(version), facet="group"
    )
    counts = history.ordered_groups(counts, income_options(version)[1:])
    return charts.trend_lines(counts, "group", "share", 4, dark)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def population_chart(version: str, region: str, income: str, dark: bool = False) -> go.Figure:
    frame = selected_history(version, region, income)
    shares = history.population_shares(
        frame, queries.countries(version), queries.dpi_like_assessment(version)
    )
    return charts.population_lines(shares, dark)


@st.cache_data(show_spinner=False, max_entries=FIGURES)
def changelog(version: str, region: str, income: str, release: str) -> pd.DataFrame:
    """Every country-pillar change of a release against the one before it."""
    frame = selected_history(version, region, income)
    return history.changelog(frame, release, previous_release(version, release))
