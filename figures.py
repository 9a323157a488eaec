"""Figures and tables the pages draw, built from queries + views + charts and cached.

Figures are cached as shared resources, not copied: plotly validates every property of a
figure again when it is copied or rebuilt from a dict, which costs more (~0.1 s a chart) than
the data behind it. Pages must not change a cached figure in place.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import charts
import queries
import views
from etl.vocabulary import PILLAR_LABELS


def selected_history(version: float, region: str, income: str):
    chosen = queries.selected_iso3(version, queries.Selection("", region, income))
    history = queries.status_history(version)
    return history[history["iso3"].isin(chosen)]


@st.cache_resource(show_spinner=False, max_entries=64)
def adoption_chart(version: float, region: str, income: str) -> go.Figure:
    history = selected_history(version, region, income)
    releases = queries.releases(version)
    counts = views.status_counts(history, queries.dpi_like_assessed(version), releases)
    counts["pillar"] = counts["pillar"].map(PILLAR_LABELS)
    return charts.trend_lines(counts, "pillar")


@st.cache_resource(show_spinner=False, max_entries=64)
def group_chart(version: float, region: str, income: str, by: str, pillar: str) -> go.Figure:
    history = selected_history(version, region, income)
    grouped = views.with_group(history[history["pillar"] == pillar], queries.countries(version), by)
    counts = views.status_counts(
        grouped, queries.dpi_like_assessed(version), queries.releases(version), facet="group"
    )
    counts = views.ordered_groups(counts, queries.income_options(version)[1:])
    return charts.trend_lines(counts, "group", "share", 4)


@st.cache_resource(show_spinner=False, max_entries=64)
def population_chart(version: float, region: str, income: str) -> go.Figure:
    history = selected_history(version, region, income)
    shares = views.population_shares(
        history, queries.countries(version), queries.dpi_like_assessed(version)
    )
    return charts.population_lines(shares)


@st.cache_data(show_spinner=False, max_entries=64)
def changelog(version: float, region: str, income: str, release: str) -> pd.DataFrame:
    """Every country-pillar change of a release against the one before it."""
    history = selected_history(version, region, income)
    return views.changelog(history, release, queries.previous_release(version, release))
