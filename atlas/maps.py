"""Map figures: DataFrame -> plotly choropleth, the big-screen stage, the 1920x1080 slide and
the timeline animation. Pure functions: no Streamlit, no SQL."""

from math import degrees

import pandas as pd
import plotly.graph_objects as go

from atlas.categories import (
    LEGEND_BACKGROUNDS,
    OUTSIDE_COLOUR,
    OUTSIDE_LINE,
    SMALL_STATE_KM2,
    text_colour,
)
from etl.geometry import wrap

STAGE_WIDTH = 1280  # px: the narrowest screen a presenting map plans its legend for
STAGE_FONT = 20
LATITUDES = (-58, 85)  # the world map's band: Antarctica is not counted, so it is left out
BAND_HEIGHT = 2.4042  # the band's height in Natural Earth units (x spans 2 x 0.8707 x pi)
PANEL_ASPECT = 1.5  # a zoomed map beside the country panel, or on a phone
# A zoomed map is a panel: its frame and a faint sea say where the map ends (light and dark).
ZOOM_PANEL = {
    "showframe": True,
    "framecolor": "rgba(128, 128, 128, 0.45)",
    "framewidth": 1,
    "showocean": True,
    "oceancolor": "rgba(110, 150, 200, 0.10)",
}
MARKER = 9  # px: small states' dots on a laptop-wide map
COMPACT_HEIGHT, COMPACT_FONT, COMPACT_MARKER = 300, 11, 5  # a phone: ~360 px wide


def category_map(
    frame: pd.DataFrame,
    geojson: str | dict,
    legend: dict[str, tuple[str, str]],
    *,
    focus: tuple[float, float, float, float] | None = None,
    selected: str | None = None,
    outside: pd.DataFrame | None = None,
    outside_label: str = "Outside the selection",
    height: int = 560,
    font_size: int = 13,
    dark: bool = False,
    compact: bool = False,
    aspect: float | None = None,
    overlay: list | None = None,
) -> go.Figure:
    """A choropleth with one trace per legend category (so the legend lists every category).

    `outside` (iso3, name) lists the places outside the selection, or not counted at all:
    drawn as faint outlines, named `outside_label` in the legend and on hover. `dark`:
    borders, legend text and its box for the dark theme (the legend's colours come from
    `legend`, categories.map_legend(..., dark=True)).

    `geojson` is a FeatureCollection or its URL (fetched once by the browser). `frame` has iso3,
    category, hover (HTML), area_km2, lat, lon, has_geometry. Countries too small to see (or
    without a shape) also get a marker in their category's colour. `compact`: a phone's map
    (lower, smaller markers and type).
    """
    if compact:
        height, font_size = COMPACT_HEIGHT, COMPACT_FONT
    figure = go.Figure()
    border = text_colour("border", dark)
    if outside is not None and len(outside):
        figure.add_traces([_outside(outside, geojson, outside_label), _outside_key(outside_label)])
    size = COMPACT_MARKER if compact else MARKER
    outline = text_colour("marker_line", dark)
    for key, (label, colour) in legend.items():
        part = frame[frame["category"] == key]
        figure.add_trace(_choropleth(part, geojson, label, colour, key, border))
        figure.add_trace(_markers(part, label, colour, key, outline, size))
    figure.add_traces(overlay or [])
    if selected is not None and selected in set(frame["iso3"]) | _codes(outside):
        figure.add_trace(_highlight(pd.DataFrame({"iso3": [selected]}), geojson))
    _layout(figure, focus, height, font_size, dark, PANEL_ASPECT if compact else aspect)
    return figure


def _codes(outside: pd.DataFrame | None) -> set[str]:
    return set() if outside is None else set(outside["iso3"])


def _choropleth(part: pd.DataFrame, geojson, label: str, colour: str, key: str, border: str):
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
        marker={"line": {"color": border, "width": 0.4}},
    )


def _markers(
    part: pd.DataFrame, label: str, colour: str, key: str, outline: str, size: int = MARKER
):
    """A marker for each country too small to see, or without a shape, or flagged `marker`
    (a frame may ask for more, e.g. the changes map for every small country that changed)."""
    flagged = part["marker"].fillna(False).astype(bool) if "marker" in part else False
    small = part[(part["area_km2"].fillna(0) < SMALL_STATE_KM2) | ~part["has_geometry"] | flagged]
    small = small.dropna(subset=["lat", "lon"])
    return go.Scattergeo(
        lat=small["lat"],
        lon=small["lon"],
        customdata=small[["iso3"]],
        mode="markers",
        marker={"size": size, "color": colour, "line": {"color": outline, "width": 1}},
        name=label,
        legendgroup=key,
        showlegend=False,
        hovertext=small["hover"],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _outside(outside: pd.DataFrame, geojson, label: str):
    """Faint outlines for the places outside the selection: land to find one's way by, in the
    legend under their own name, never a category's colour."""
    return go.Choropleth(
        geojson=geojson,
        locations=outside["iso3"],
        z=[1] * len(outside),
        customdata=outside[["iso3"]],
        colorscale=[[0, OUTSIDE_COLOUR], [1, OUTSIDE_COLOUR]],
        showscale=False,
        showlegend=False,  # listed by _outside_key, whose swatch shows the outline
        legendgroup="outside",
        hovertext="<b>" + outside["name"] + "</b><br>" + label,
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"line": {"color": OUTSIDE_LINE, "width": 0.6}},
        name=label,
    )


def _outside_key(label: str):
    """The legend entry of the outside places: a square swatch with their fill and outline
    (a choropleth's own swatch would not show the outline). Clicking it toggles them."""
    return go.Scattergeo(  # one point at the South Pole, which the latitude band leaves out:
        lat=[-89.9],  # plotly lists no trace without a point in its legend
        lon=[0],
        mode="markers",
        marker={
            "symbol": "square",
            "size": 11,
            "color": OUTSIDE_COLOUR,
            "line": {"color": OUTSIDE_LINE, "width": 1},
        },
        name=label,
        legendgroup="outside",
        legendrank=2000,  # last in the legend
        showlegend=True,
        hoverinfo="skip",
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


def _layout(
    figure: go.Figure, focus, height: int, font_size: int, dark: bool = False, aspect=None
) -> None:
    geo = {
        "projection": {"type": "natural earth"},
        "showframe": False,
        "showcoastlines": False,
        "showcountries": False,
        "showland": False,
        "showocean": False,
        "bgcolor": "rgba(0,0,0,0)",
        "lataxis": {"range": list(LATITUDES)},
    }
    if focus is not None:
        geo |= _zoom(*focus, aspect=aspect) | ZOOM_PANEL
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
            "bgcolor": LEGEND_BACKGROUNDS[int(dark)],
            "font": {"color": text_colour("text", dark)},
        },
        hoverlabel={"font_size": font_size},
        dragmode="pan",
        uirevision="map",
    )


def _zoom(
    min_lon: float, min_lat: float, max_lon: float, max_lat: float, aspect: float | None = None
) -> dict:
    """Geo settings that frame a bounding box: the world map's projection turned to the box's
    middle, centred on it and scaled so it fills the map. The frame is the world map's latitude
    band and, for a narrower map (`aspect`: width / height, e.g. beside a side panel), a
    longitude range around the middle: plotly keeps the frame's proportions, so they decide how
    much of the chart the map fills. The range lies far outside what the zoom shows, so no land
    is cut along a straight line inside the map; the frame's border is where it ends."""
    lon_span, lat_span = max_lon - min_lon, max_lat - min_lat
    middle_lon = float(wrap((min_lon + max_lon) / 2))  # across the antimeridian: back to +-180
    lon_span = max(lon_span + 2 * max(12 - lon_span / 2, lon_span * 0.08), 1e-6)
    lat_span = max(lat_span + 2 * max(7 - lat_span / 2, lat_span * 0.08), 1e-6)
    half = 180.0 if aspect is None else min(180.0, degrees(aspect * BAND_HEIGHT / 1.7414))
    band = LATITUDES[1] - LATITUDES[0]
    scale = max(1.0, 0.9 * min(2 * half / lon_span, band / lat_span))
    # The window shows band / scale degrees of latitude: keep it inside the band, or a box
    # reaching far north (Europe with Greenland and Russia) leaves empty sky above the map.
    shown = band / scale / 2
    middle_lat = min(max((min_lat + max_lat) / 2, LATITUDES[0] + shown), LATITUDES[1] - shown)
    middle = {"lon": middle_lon, "lat": middle_lat}
    projection = {"type": "natural earth", "scale": scale, "rotation": {"lon": middle["lon"]}}
    geo = {"projection": projection, "center": middle}
    if half < 180:  # across the antimeridian the range reads west > east, e.g. [100, -120]
        geo["lonaxis"] = {"range": [float(wrap(middle_lon - half)), float(wrap(middle_lon + half))]}
    return geo


def stage_map(figure: go.Figure) -> go.Figure:
    """A map for a big screen: no fixed height (it fills its box), large legend and labels.
    The bottom margin holds the legend's rows as a 1280 px wide screen wraps them: plotly's
    own margin push came too late on a page whose map box is sized after the first draw."""
    rows = legend_rows(figure, STAGE_WIDTH, STAGE_FONT + 2)
    figure.update_layout(
        height=None,
        font={"size": STAGE_FONT},
        hoverlabel={"font_size": STAGE_FONT},
        legend={"font": {"size": STAGE_FONT + 2}, "itemwidth": 40},
        margin={"l": 0, "r": 0, "t": 0, "b": round(rows * 1.6 * (STAGE_FONT + 2)) + 8},
    )
    return figure


def legend_rows(figure: go.Figure, width: int, font: int) -> int:
    """How many rows a horizontal legend of `width` px takes: plotly lists each trace with a
    legend entry (areas with countries, marker keys) and wraps when a row is full. Estimated
    from the labels' length (0.45 em a character, a little over what Chromium measures for
    the slide's type) plus the swatch and the gaps (2.5 em)."""
    names = [
        trace.name
        for trace in figure.data
        if trace.showlegend
        and trace.name
        and (
            trace.type != "choropleth"
            or len(trace.locations if trace.locations is not None else ())
        )
    ]
    rows, used = 1, 0.0
    for name in names:
        item = 0.45 * font * len(name) + 2.5 * font
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def add_timeline(
    figure: go.Figure, frames: list[tuple[str, list]], active: int, seconds: float
) -> go.Figure:
    """Animate a map through releases in the browser: one frame per release (same traces as
    `figure`) and a release slider under the legend. Playing starts at the first release and
    stops at the last; nothing goes back to the server. The page's own Play button starts it
    (mapview.autoplay presses plotly's play button, which the page hides: one Play control)."""
    figure = go.Figure(figure)  # a copy: the map it animates is shared (figures.view_map)
    figure.frames = [go.Frame(data=traces, name=name) for name, traces in frames]
    step = {"frame": {"duration": int(seconds * 1000), "redraw": True}, "mode": "immediate"}
    jump = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}
    font = (figure.layout.font.size or 13) + 1
    figure.update_layout(
        height=figure.layout.height + 90 if figure.layout.height else None,
        margin={"b": 95},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.0,
                "y": -0.07,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 8, "r": 10},
                "font": {"size": font},
                "buttons": [
                    {
                        "label": "▶ Play",
                        "method": "animate",
                        "args": [
                            None,
                            step | {"fromcurrent": False, "transition": {"duration": 0}},
                        ],
                    },
                    {"label": "❚❚ Pause", "method": "animate", "args": [[None], jump]},
                ],
            }
        ],
        sliders=[
            {
                "active": active,
                "x": 0.0,
                "len": 1.0,
                "y": -0.07,
                "yanchor": "top",
                "pad": {"t": 8, "l": 40, "r": 40},  # room for the end labels
                "font": {"size": font},
                "currentvalue": {"prefix": "Release ", "font": {"size": font + 2}},
                "steps": [
                    {"label": name, "method": "animate", "args": [[name], jump]}
                    for name, _ in frames
                ],
            }
        ],
    )
    return figure
