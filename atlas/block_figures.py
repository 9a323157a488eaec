"""Cached figures and frames of the Building blocks page (pages/blocks.py): the evidence map
of one block, shares of implemented systems by technology class, and reuse (open blocks,
vendors, funders). Built from block_queries + block_tables + maps, like atlas/figures.py.

Figures are cached as shared resources: pages must not change them in place.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas import block_queries, block_reuse, block_tables, maps, paths, queries
from atlas.categories import (
    CHART_MARGIN,
    STATUS_LABELS,
    STATUSES,
    TECH_CLASS_LABELS,
    TECH_CLASSES,
    map_legend,
    outside_label,
    palette,
    text_colour,
)
from atlas.selection import INCOME_ORDER, Selection, selected_iso3
from etl.geometry import union_bounds

FIGURES = 64  # cached figures per function: views x releases in use at once
BAR_HEIGHT = 34  # px per bar of the horizontal bar charts
TOP = 15  # vendors and funders shown
LEGEND_ON_TOP = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "normal"}


def in_view(version: str, region: str, income: str) -> set[str]:
    return selected_iso3(version, Selection("", region, income))


# ------------------------------------------------------------------ one block on the map
@st.cache_data(show_spinner=False, max_entries=FIGURES)
def evidence(
    version: str, release: str, pillar: str, block: str, region: str, income: str
) -> pd.DataFrame:
    """Per country in the selection: which source names the block (block_tables.evidence_frame)."""
    chosen = in_view(version, region, income)
    long = queries.status_long(version, release)
    technology = block_queries.system_technology(version)
    technology = technology[(technology["release"] == release) & (technology["pillar"] == pillar)]
    blocks = block_queries.blocks(version)
    deployments = block_queries.dpga_deployments(version).merge(
        blocks[["block_id", "name"]], on="block_id"
    )
    return block_tables.evidence_frame(
        long[long["iso3"].isin(chosen)],
        queries.countries(version),
        block_queries.components(version, release),
        deployments,
        technology,
        pillar,
        block_tables.chosen_blocks(blocks, pillar, block),
    )


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def evidence_map(
    version: str,
    release: str,
    pillar: str,
    block: str,
    region: str,
    income: str,
    present: bool,
    dark: bool = False,
) -> go.Figure:
    """The choropleth of one block (shared between reruns and sessions: do not change it)."""
    frame = evidence(version, release, pillar, block, region, income)
    selection = Selection(release, region, income)
    chosen = in_view(version, region, income)
    bounds = queries.country_bounds(version)
    focus = union_bounds([bounds[c] for c in chosen if c in bounds]) if selection.filtered else None
    countries = queries.countries(version)
    figure = maps.category_map(  # the places it does not colour outlined, as on every map
        frame,
        paths.asset_url(version, "countries.geojson"),
        map_legend("evidence", present, dark),
        focus=focus,
        outside=countries[~countries["iso3"].isin(chosen)],
        outside_label=outside_label(selection.filtered),
        dark=dark,
    )
    return maps.stage_map(figure) if present else figure


# ------------------------------------------------------------------ open or proprietary
@st.cache_data(show_spinner=False, max_entries=FIGURES)
def implemented(version: str, pillar: str, region: str, income: str) -> pd.DataFrame:
    """The pillar's implemented country systems in the selection, every release."""
    return block_tables.implemented_systems(
        block_queries.system_technology(version),
        queries.countries(version),
        pillar,
        in_view(version, region, income),
    )


def group_order(by: str, groups: list[str]) -> list[str]:
    if by == "income_group":
        return [g for g in INCOME_ORDER if g in groups] + sorted(set(groups) - set(INCOME_ORDER))
    return sorted(groups)


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def share_bars(
    version: str, release: str, pillar: str, by: str, region: str, income: str, dark: bool = False
) -> go.Figure:
    """100% bars: implemented systems by technology class, per region or income group, with
    the whole selection on top."""
    systems = implemented(version, pillar, region, income)
    systems = systems[systems["release"] == release]
    shares = pd.concat(
        [
            block_tables.class_shares(systems, None).assign(group="All selected countries"),
            block_tables.class_shares(systems, by),
        ]
    )
    order = [
        "All selected countries",
        *group_order(by, sorted(set(shares["group"]) - {"All selected countries"})),
    ]
    return _class_bars(shares, order, dark)


def _class_bars(shares: pd.DataFrame, order: list[str], dark: bool = False) -> go.Figure:
    colours = palette("block", False, dark)
    totals = shares.groupby("group")["systems"].first()
    labels = {g: f"{g} ({int(totals.get(g, 0))} systems)" for g in order}
    figure = go.Figure()
    for tech_class in TECH_CLASSES:
        part = shares[shares["tech_class"] == tech_class].set_index("group").reindex(order)
        figure.add_trace(
            go.Bar(
                y=[labels[g] for g in order],
                x=part["share"] * 100,
                orientation="h",
                name=TECH_CLASS_LABELS[tech_class],
                marker={"color": colours[tech_class]},
                customdata=part[["n", "systems"]].fillna(0).astype(int),
                hovertemplate="%{customdata[0]} of %{customdata[1]} implemented systems "
                "(%{x:.0f}%)<extra>" + TECH_CLASS_LABELS[tech_class] + "</extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        height=BAR_HEIGHT * len(order) + 150,
        margin=CHART_MARGIN | {"t": 60},
        legend=LEGEND_ON_TOP,
        xaxis={"range": [0, 100], "ticksuffix": "%", "title": "Share of implemented systems"},
        yaxis={"autorange": "reversed"},
    )
    return figure


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def share_trend(
    version: str, pillar: str, region: str, income: str, dark: bool = False
) -> go.Figure:
    """100% bars per release for the selection; a release without the field is marked, not
    drawn as zero."""
    colours = palette("block", False, dark)
    releases = queries.releases(version)
    trend = block_tables.class_trend(implemented(version, pillar, region, income), releases)
    figure = go.Figure()
    for tech_class in TECH_CLASSES:
        part = trend[trend["tech_class"] == tech_class]
        figure.add_trace(
            go.Bar(
                x=part["release"],
                y=part["share"] * 100,
                name=TECH_CLASS_LABELS[tech_class],
                marker={"color": colours[tech_class]},
                customdata=part[["n", "systems"]].fillna(0).astype(int),
                hovertemplate="%{customdata[0]} of %{customdata[1]} implemented systems "
                "(%{y:.0f}%)<extra>" + TECH_CLASS_LABELS[tech_class] + "</extra>",
            )
        )
    missing = trend.loc[trend["systems"].isna(), "release"].unique()
    for release in missing:
        figure.add_annotation(
            x=release,
            y=50,
            text="field not<br>in this release",
            showarrow=False,
            font={"size": 12, "color": text_colour("note", dark)},
        )
    figure.update_layout(
        barmode="stack",
        height=380,
        margin=CHART_MARGIN | {"t": 60},
        legend=LEGEND_ON_TOP,
        xaxis={"type": "category", "title": "DPI Map release"},
        yaxis={"range": [0, 100], "ticksuffix": "%", "title": "Share of implemented systems"},
    )
    return figure


# ------------------------------------------------------------------ reuse and suppliers
@st.cache_data(show_spinner=False, max_entries=FIGURES)
def reach(version: str, release: str, region: str, income: str) -> pd.DataFrame:
    return block_reuse.open_block_reach(
        block_queries.blocks(version),
        block_queries.components(version, release),
        block_queries.dpga_deployments(version),
        in_view(version, region, income),
    )


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def reach_chart(
    version: str, release: str, region: str, income: str, dark: bool = False
) -> go.Figure:
    """Countries per open block, by source: DPI Map, DPGA registry (deployed), both (in the
    evidence map's colours)."""
    frame = reach(version, release, region, income)
    colours = palette("evidence", False, dark)
    bars = {
        "dpi_map": ("Named by the DPI Map", colours["dpi_map"]),
        "dpga": ("Listed as deployed by the DPGA registry", colours["dpga"]),
        "both": ("Both", colours["both"]),
    }
    figure = go.Figure()
    for column, (label, colour) in bars.items():
        figure.add_trace(
            go.Bar(
                y=frame["name"],
                x=frame[column],
                orientation="h",
                name=label,
                marker={"color": colour},
                text=frame[column].where(frame[column] > 0, ""),
                textposition="outside",
                hovertemplate="%{y}: %{x} countries<extra>" + label + "</extra>",
            )
        )
    return _bar_layout(figure, 42 * len(frame) + 110, "Countries")  # three thin bars a block


@st.cache_data(show_spinner=False, max_entries=FIGURES)
def suppliers(
    version: str, release: str, pillar: str, kinds: tuple[str, ...], region: str, income: str
) -> pd.DataFrame:
    return block_reuse.supplier_reach(
        block_queries.components(version, release), pillar, kinds, in_view(version, region, income)
    )


@st.cache_resource(show_spinner=False, max_entries=FIGURES)
def supplier_chart(
    version: str,
    release: str,
    pillar: str,
    kinds: tuple[str, ...],
    region: str,
    income: str,
    dark: bool = False,
) -> go.Figure:
    """The TOP blocks of the given kinds by countries, split by the most advanced status of the
    systems that name them."""
    frame = suppliers(version, release, pillar, kinds, region, income).head(TOP)
    colours = palette("status", False, dark)
    figure = go.Figure()
    for status in reversed(STATUSES):
        figure.add_trace(
            go.Bar(
                y=frame["name"],
                x=frame[status],
                orientation="h",
                name=STATUS_LABELS[status],
                marker={"color": colours[status]},
                hovertemplate="%{y}: %{x} countries<extra>" + STATUS_LABELS[status] + "</extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            y=frame["name"],
            x=frame["countries"],
            mode="text",
            text=frame["countries"],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    figure.update_layout(barmode="stack", legend_title_text="Most advanced system: ")
    return _bar_layout(figure, BAR_HEIGHT * len(frame) + 110, "Countries")


def _bar_layout(figure: go.Figure, height: int, title: str) -> go.Figure:
    figure.update_layout(
        height=max(220, height),
        margin=CHART_MARGIN | {"t": 10, "r": 30},
        legend={
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "traceorder": "normal",
        },
        xaxis={"title": title, "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
    )
    return figure
