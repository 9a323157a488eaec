"""Outcome charts: DataFrame -> plotly Figure (or traces) for the outcome indicators beside DPI
adoption. Pure functions: no Streamlit, no SQL. Every hover names the year of its value.

Frames come from atlas.outcome_tables (outcome_frame, scatter_frame, change_frame,
outcome_map_frame, country_history) with their summaries.
"""

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale, unlabel_rgb

from atlas.categories import CHART_MARGIN, SMALL_STATE_KM2, STATUS_COLOURS, TREND_COLOURS

# The map's ten classes (0-10 % ... 90-100 %): a sequential scale, pale yellow-green to a mid
# blue that the black outline of implemented countries still reads on;
# "no data" is a grey that is not on the scale (never read as a low value).
BIN_COLOURS = sample_colorscale("YlGnBu", [0.12 + 0.70 * i / 9 for i in range(10)])
NO_DATA_COLOUR = "#a9a9a9"
OUTLINE_COLOUR = "#111111"
# The dark theme: low values dim, high values bright (every class reads on the dark page).
DARK_BIN_COLOURS = [
    "#{:02x}{:02x}{:02x}".format(*(round(c) for c in unlabel_rgb(colour)))
    for colour in sample_colorscale("Viridis", [0.36 + 0.64 * i / 9 for i in range(10)])
]
DARK_NO_DATA_COLOUR = "#6f6f6f"
DARK_OUTLINE_COLOUR = "#f2f2f2"
TIMING_COLOURS = {
    "first": STATUS_COLOURS["implemented"],
    "became": TREND_COLOURS["planned_or_piloted"],
    "not_implemented": TREND_COLOURS["none"],
    "not_assessed": TREND_COLOURS["not_assessed"],
}
PERCENT_AXIS = {"range": [-2, 102], "ticksuffix": "%", "zeroline": False}


def _axis_label(label: str, n: int, median: float, span: str) -> str:
    if not n:
        return f"<b>{label}</b><br>no value"
    return f"<b>{label}</b><br>n = {n} · median {median:.1f}%<br>values {span}"


def _fade(colour: str, alpha: float) -> str:
    if colour.startswith("rgb("):
        return colour.replace("rgb(", "rgba(").replace(")", f",{alpha})")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _strip(part: pd.DataFrame, x: str, y: str, colour: str, line: str, name: str, hover: str):
    """A box with every point beside it (small groups: the points matter more than the box)."""
    return go.Box(
        x=[x] * len(part),
        y=part[y],
        name=name,
        boxpoints="all",
        jitter=0.45,
        pointpos=0,
        fillcolor=_fade(colour, 0.35),
        line={"color": line, "width": 1.5},
        marker={"color": colour, "size": 8, "line": {"color": "#333333", "width": 0.8}},
        customdata=part[["name", "year"]] if "year" in part else part[["name"]],
        hovertemplate=hover,
        hoveron="points",
        showlegend=False,
    )


def distribution_chart(frame: pd.DataFrame, summary: pd.DataFrame, title: str) -> go.Figure:
    """The latest value per country by status group (a box with its points per group).

    frame: name, group, value, year; summary: key, label, n, median, span (group_summary)."""
    figure = go.Figure()
    labels = []
    for row in summary.itertuples():
        label = _axis_label(row.label, row.n, row.median, row.span)
        labels.append(label)
        part = frame[(frame["group"] == row.key) & frame["value"].notna()]
        hover = "<b>%{customdata[0]}</b>: %{y:.1f}% (%{customdata[1]})<extra>" + row.label
        figure.add_trace(
            _strip(part, label, "value", STATUS_COLOURS[row.key], TREND_COLOURS[row.key],
                   row.label, hover + "</extra>")
        )  # fmt: skip
    figure.update_xaxes(
        categoryorder="array", categoryarray=labels, range=[-0.5, len(labels) - 0.5]
    )
    figure.update_yaxes(title=title, **PERCENT_AXIS)
    figure.update_layout(height=460, margin=CHART_MARGIN | {"t": 20, "b": 10}, boxgap=0.45)
    return figure


def scatter_chart(points: pd.DataFrame, x_name: str, y_name: str, labels: dict) -> go.Figure:
    """One outcome against another, a dot per country coloured by its status group.

    points: name, group, x, x_year, y, y_year; labels: group key -> legend label, in order."""
    figure = go.Figure()
    for key, label in labels.items():
        part = points[points["group"] == key]
        figure.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=f"{label} ({len(part)})",
                marker={
                    "color": STATUS_COLOURS[key],
                    "size": 10,
                    "line": {"color": "#333333", "width": 0.8},
                },
                customdata=part[["name", "x_year", "y_year"]],
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + x_name
                + ": %{x:.1f}% (%{customdata[1]})<br>"
                + y_name
                + ": %{y:.1f}% (%{customdata[2]})<extra>"
                + label
                + "</extra>",
            )
        )
    figure.update_xaxes(title=x_name, **PERCENT_AXIS)
    figure.update_yaxes(title=y_name, **PERCENT_AXIS)
    figure.update_layout(
        height=520,
        margin=CHART_MARGIN | {"t": 20},
        legend={"orientation": "h", "y": -0.16, "yanchor": "top", "x": 0},
    )
    return figure


def change_chart(changes: pd.DataFrame, summary: pd.DataFrame, name: str) -> go.Figure:
    """The change between a country's last two waves, by when the pillar became implemented.

    changes: name, timing, timing_label, previous_year, year, change; summary: change_summary."""
    figure = go.Figure()
    labels = []
    for row in summary.itertuples(index=False):
        label, n, median = row[0], row[1], row[2]
        part = changes[changes["timing_label"] == label]
        text = f"<b>{label}</b><br>" + (f"n = {n} · median {median:+.1f}" if n else "no country")
        labels.append(text)
        kind = part["timing"].iloc[0].split(":")[0] if n else "not_assessed"
        colour = TIMING_COLOURS[kind]
        part = part.assign(year=part["previous_year"].astype(str) + "→" + part["year"].astype(str))
        hover = "<b>%{customdata[0]}</b>: %{y:+.1f} points (%{customdata[1]})<extra></extra>"
        figure.add_trace(_strip(part, text, "change", colour, colour, label, hover))
    figure.add_hline(y=0, line={"color": "#777777", "width": 1})
    figure.update_xaxes(
        categoryorder="array", categoryarray=labels, range=[-0.5, len(labels) - 0.5]
    )
    figure.update_yaxes(title=f"Change in {name[:1].lower()}{name[1:]}, points", zeroline=False)
    figure.update_layout(height=440, margin=CHART_MARGIN | {"t": 20}, boxgap=0.5)
    return figure


def history_chart(history: pd.DataFrame) -> go.Figure:
    """Every value of a country's indicators over the years (history: name, year, value)."""
    figure = go.Figure()
    colours = ["#2b7bba", "#c0622b", "#3a9e8d", "#7a5195"]
    for index, (name, part) in enumerate(history.groupby("name", sort=False)):
        figure.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["value"],
                mode="lines+markers",
                name=name,
                line={"color": colours[index % len(colours)], "width": 2},
                marker={"size": 7},
                hovertemplate="%{y:.1f}% (%{x})<extra>" + name + "</extra>",
            )
        )
    figure.update_yaxes(title="%", **PERCENT_AXIS)
    figure.update_xaxes(title=None, dtick=2, tickformat="d")
    figure.update_layout(
        height=340,
        margin=CHART_MARGIN | {"t": 10},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top", "x": 0},
        hovermode="closest",
    )
    return figure


# ------------------------------------------------------------------ the map measure
def bin_key(bins: pd.Series) -> pd.Series:
    """A class number (outcome_tables.bin_of) as the map's category: 'bin3', 'no_data'."""
    return bins.map(lambda b: "no_data" if b < 0 else f"bin{b}")


def bin_colours(dark: bool = False) -> dict[int, str]:
    """Class number -> colour, the no-data class (-1) included."""
    colours = DARK_BIN_COLOURS if dark else BIN_COLOURS
    return {**dict(enumerate(colours)), -1: DARK_NO_DATA_COLOUR if dark else NO_DATA_COLOUR}


def implemented_outline(frame: pd.DataFrame, geojson, name: str, dark: bool = False) -> list:
    """Drawn over an outcome map (maps.category_map of the classes): a strong border over the
    countries where the pillar is implemented, a ring round those too small to see, and the
    outline's legend entry. frame: iso3, implemented, area_km2, lat, lon, has_geometry."""
    colour = DARK_OUTLINE_COLOUR if dark else OUTLINE_COLOUR
    part = frame[frame["implemented"]]
    small = part[(part["area_km2"].fillna(0) < SMALL_STATE_KM2) | ~part["has_geometry"]]
    small = small.dropna(subset=["lat", "lon"])
    border = go.Choropleth(
        geojson=geojson,
        locations=part["iso3"],
        z=[1] * len(part),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        showlegend=False,
        name=name,
        hoverinfo="skip",
        marker={"line": {"color": colour, "width": 1.6}},
    )
    rings = go.Scattergeo(
        lat=small["lat"],
        lon=small["lon"],
        mode="markers",
        marker={"symbol": "circle-open", "size": 15, "color": colour, "line": {"width": 2}},
        name=name,
        showlegend=False,
        hoverinfo="skip",
    )
    key = go.Scattergeo(  # a transparent area has no visible key: an open square stands for it
        lat=[None],
        lon=[None],
        mode="markers",
        name=name,
        marker={"symbol": "square-open", "size": 12, "color": colour, "line": {"width": 2}},
        hoverinfo="skip",
        showlegend=True,
    )
    return [border, rings, key]
