"""DataFrame -> plotly Figure. Pure functions: no Streamlit, no SQL."""

import pandas as pd
import plotly.graph_objects as go

from etl.vocabulary import PILLAR_LABELS, STATUS_LABELS

# Ordered from "nothing known" to "most advanced". Lightness falls monotonically along the
# progress categories (pale yellow -> teal -> blue -> navy), so they stay apart for colour-blind
# viewers and in greyscale; "not assessed" is a neutral grey, never a shade of "no".
STATUS_COLOURS = {
    "not_assessed": "#d4d4d4",
    "none": "#fbe7a1",
    "planned_or_piloted": "#6cc3b4",
    "implemented": "#2b7bba",
    "dpi_like": "#1b2a6b",
}
# Presenter mode: the same order with stronger contrast for projectors.
PRESENT_COLOURS = {
    "not_assessed": "#bdbdbd",
    "none": "#ffd84d",
    "planned_or_piloted": "#1fa187",
    "implemented": "#1f5fbf",
    "dpi_like": "#0b0f3f",
}
YES_NO_COLOURS = {
    "not_assessed": "#d4d4d4",
    "unknown": "#ececec",
    "no": "#f4a582",
    "yes": "#2b7bba",
}
YES_NO_LABELS = {
    "not_assessed": "Not assessed (no record)",
    "unknown": "Unknown / not applicable",
    "no": "No",
    "yes": "Yes",
}
STACK_COLOURS = {
    "not_assessed": "#d4d4d4",
    "0": "#fbe7a1",
    "1": "#9fd5c1",
    "2": "#3f93c2",
    "3": "#1b2a6b",
}
STACK_LABELS = {
    "not_assessed": "Not assessed",
    "0": "No pillar implemented",
    "1": "1 of 3 pillars",
    "2": "2 of 3 pillars",
    "3": "All 3 pillars",
}
OUTSIDE_COLOUR = "#f2f2f2"
BORDER = "#ffffff"
SMALL_STATE_KM2 = 3000


def status_category(status: pd.Series, dpi_like: pd.Series) -> pd.Series:
    """Map statuses to legend categories: implemented + DPI-like becomes 'dpi_like'."""
    dpi = dpi_like.astype("boolean").fillna(False)
    return status.where(~((status == "implemented") & dpi), "dpi_like")


def status_legend(colours: dict | None = None) -> dict[str, tuple[str, str]]:
    colours = colours or STATUS_COLOURS
    return {key: (STATUS_LABELS[key], colours[key]) for key in colours}


def yes_no_category(value: pd.Series, assessed: pd.Series) -> pd.Series:
    category = value.map({True: "yes", False: "no"}).fillna("unknown")
    return category.where(assessed, "not_assessed")


def category_map(
    frame: pd.DataFrame,
    geojson: str | dict,
    legend: dict[str, tuple[str, str]],
    *,
    focus: tuple[float, float, float, float] | None = None,
    selected: str | None = None,
    height: int = 560,
    font_size: int = 13,
) -> go.Figure:
    """A choropleth with one trace per legend category (so the legend lists every category).

    `geojson` is a FeatureCollection or its URL (fetched once by the browser). `frame` has iso3, category, hover (HTML), area_km2, lat, lon, has_geometry. Countries too
    small to see (or without a shape) also get a marker in their category's colour.
    """
    figure = go.Figure()
    for key, (label, colour) in legend.items():
        part = frame[frame["category"] == key]
        figure.add_trace(_choropleth(part, geojson, label, colour, key))
        figure.add_trace(_markers(part, label, colour, key))
    if selected is not None and selected in set(frame["iso3"]):
        figure.add_trace(_highlight(frame[frame["iso3"] == selected], geojson))
    _layout(figure, focus, height, font_size)
    return figure


def _choropleth(part: pd.DataFrame, geojson, label: str, colour: str, key: str):
    return go.Choropleth(
        geojson=geojson,
        locations=part["iso3"],
        z=[1] * len(part),
        customdata=part[["iso3"]],
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        name=label,
        legendgroup=key,
        showlegend=True,
        hovertext=part["hover"],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"line": {"color": BORDER, "width": 0.4}},
    )


def _markers(part: pd.DataFrame, label: str, colour: str, key: str):
    small = part[(part["area_km2"].fillna(0) < SMALL_STATE_KM2) | ~part["has_geometry"]]
    small = small.dropna(subset=["lat", "lon"])
    return go.Scattergeo(
        lat=small["lat"],
        lon=small["lon"],
        customdata=small[["iso3"]],
        mode="markers",
        marker={"size": 9, "color": colour, "line": {"color": "#333333", "width": 1}},
        name=label,
        legendgroup=key,
        showlegend=False,
        hovertext=small["hover"],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _highlight(row: pd.DataFrame, geojson):
    return go.Choropleth(
        geojson=geojson,
        locations=row["iso3"],
        z=[1],
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        showlegend=False,
        hoverinfo="skip",
        marker={"line": {"color": "#e4572e", "width": 2.5}},
        name="Selected",
    )


def _layout(figure: go.Figure, focus, height: int, font_size: int) -> None:
    geo = {
        "projection": {"type": "natural earth"},
        "showframe": False,
        "showcoastlines": False,
        "showcountries": False,
        "showland": True,
        "landcolor": OUTSIDE_COLOUR,
        "showocean": False,
        "bgcolor": "rgba(0,0,0,0)",
        "lataxis": {"range": [-58, 85]},
    }
    if focus is not None:
        min_lon, min_lat, max_lon, max_lat = focus
        pad_lon = max(12 - (max_lon - min_lon) / 2, (max_lon - min_lon) * 0.08)
        pad_lat = max(7 - (max_lat - min_lat) / 2, (max_lat - min_lat) * 0.08)
        geo["lonaxis"] = {"range": [min_lon - pad_lon, max_lon + pad_lon]}
        geo["lataxis"] = {"range": [max(-60, min_lat - pad_lat), min(85, max_lat + pad_lat)]}
        geo["projection"] = {"type": "mercator"}
    figure.update_layout(
        geo=geo,
        height=height,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        font={"size": font_size},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": 0.0,
            "x": 0.5,
            "xanchor": "center",
            "itemclick": "toggle",
            "bgcolor": "rgba(255,255,255,0.75)",
            "font": {"color": "#1a1a1a"},
        },
        hoverlabel={"font_size": font_size},
        dragmode="pan",
        uirevision="map",
    )


def union_bounds(bounds: list[tuple[float, float, float, float]]):
    if not bounds:
        return None
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )


def status_hover(frame: pd.DataFrame, pillar: str) -> pd.Series:
    """Country, system name(s), status and last update, as HTML for the map's hover label."""
    systems = frame["systems"].fillna("no record in this release")
    updated = frame["last_updated"].astype(str).where(frame["last_updated"].notna(), "n/a")
    dpi = frame["dpi_like"].map({True: "yes", False: "no"}).fillna("not assessed")
    return (
        "<b>"
        + frame["name"]
        + "</b><br>"
        + PILLAR_LABELS[pillar]
        + ": "
        + frame["category"].map(STATUS_LABELS)
        + "<br>Systems: "
        + systems.str.wrap(60).str.replace("\n", "<br>")
        + "<br>DPI-like: "
        + dpi
        + "<br>Last updated: "
        + updated
    )


def count_bar(counts: pd.DataFrame, legend: dict[str, tuple[str, str]]) -> go.Figure:
    """Horizontal stacked bar of countries per category and pillar (counts: pillar, category, n)."""
    figure = go.Figure()
    for key, (label, colour) in legend.items():
        part = counts[counts["category"] == key]
        figure.add_trace(
            go.Bar(
                y=part["pillar"].map(PILLAR_LABELS),
                x=part["n"],
                name=label,
                orientation="h",
                marker_color=colour,
                text=part["n"],
                textposition="inside",
            )
        )
    figure.update_layout(
        barmode="stack",
        height=220,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"orientation": "h", "y": -0.25},
        xaxis_title="Countries",
    )
    return figure
