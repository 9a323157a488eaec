"""DataFrame -> plotly Figure. Pure functions: no Streamlit, no SQL."""

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from etl.vocabulary import PILLAR_LABELS, STATUS_LABELS
from preview import wrap

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
OUTSIDE_COLOUR = "rgba(140, 140, 140, 0.22)"  # reads on light and dark
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
    outside: list[str] | None = None,
    height: int = 560,
    font_size: int = 13,
) -> go.Figure:
    """A choropleth with one trace per legend category (so the legend lists every category).

    `outside` lists countries outside the selection: drawn in a neutral grey, without hover.

    `geojson` is a FeatureCollection or its URL (fetched once by the browser). `frame` has iso3, category, hover (HTML), area_km2, lat, lon, has_geometry. Countries too
    small to see (or without a shape) also get a marker in their category's colour.
    """
    figure = go.Figure()
    if outside:
        figure.add_trace(_outside(outside, geojson))
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


def _outside(iso3s: list[str], geojson):
    return go.Choropleth(
        geojson=geojson,
        locations=iso3s,
        z=[1] * len(iso3s),
        colorscale=[[0, OUTSIDE_COLOUR], [1, OUTSIDE_COLOUR]],
        showscale=False,
        showlegend=False,
        hoverinfo="skip",
        marker={"line": {"color": BORDER, "width": 0.3}},
        name="Outside the selection",
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
        "showland": False,
        "showocean": False,
        "bgcolor": "rgba(0,0,0,0)",
        "lataxis": {"range": [-58, 85]},
    }
    if focus is not None:
        geo |= _zoom(*focus)
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


def _zoom(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> dict:
    """Geo settings that frame a bounding box: Mercator with axis ranges for a country or a
    small region; for a continent-sized one the world map's projection, centred and scaled
    (Mercator would stretch the high latitudes, and range clipping does not apply there)."""
    lon_span, lat_span = max_lon - min_lon, max_lat - min_lat
    middle_lon = float(wrap((min_lon + max_lon) / 2))  # across the antimeridian: back to +-180
    if lon_span > 60 or lat_span > 50:
        middle = {"lon": middle_lon, "lat": (min_lat + max_lat) / 2}
        scale = max(1.0, 0.9 * min(360 / lon_span, 170 / lat_span))
        projection = {"type": "natural earth", "scale": scale, "rotation": {"lon": middle["lon"]}}
        return {"projection": projection, "center": middle, "lataxis": {}}
    pad_lon = max(12 - lon_span / 2, lon_span * 0.08)
    pad_lat = max(7 - lat_span / 2, lat_span * 0.08)
    west, east = float(wrap(min_lon - pad_lon)), float(wrap(max_lon + pad_lon))
    return {  # across the antimeridian the range reads west > east, e.g. [170, -150]
        "projection": {"type": "mercator", "rotation": {"lon": middle_lon}},
        "lonaxis": {"range": [west, east]},
        "lataxis": {"range": [max(-60, min_lat - pad_lat), min(85, max_lat + pad_lat)]},
    }


def union_bounds(bounds: list[tuple[float, float, float, float]]):
    """The smallest (min lon, min lat, max lon, max lat) holding all `bounds`. Longitudes are
    on a circle: when the box is narrower across the antimeridian (Pacific regions), it is
    given that way, with max lon above 180."""
    if not bounds:
        return None
    merged: list[list[float]] = []
    for low, high in sorted((b[0], b[2]) for b in bounds):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    gaps = [(merged[i + 1][0] - merged[i][1], i) for i in range(len(merged) - 1)]
    widest, i = max(gaps, default=(0.0, -1))
    west, east = merged[0][0], merged[-1][1]
    if widest > west + 360 - east:  # the emptiest stretch is not across the antimeridian
        west, east = merged[i + 1][0], merged[i][1] + 360
    return (west, min(b[1] for b in bounds), east, max(b[3] for b in bounds))


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


# ---- trends, profiles, compare, sources
# Lines need stronger colours than map areas: same hues as STATUS_COLOURS, darker where the
# area colour is too pale to read as a line on white.
TREND_CATEGORIES = ("implemented", "dpi_like", "planned_or_piloted", "none", "not_assessed")
TREND_COLOURS = {
    "implemented": STATUS_COLOURS["implemented"],
    "dpi_like": STATUS_COLOURS["dpi_like"],
    "planned_or_piloted": "#3a9e8d",
    "none": "#d4a20b",
    "not_assessed": "#9a9a9a",
}
TREND_LABELS = {
    "implemented": "Implemented (all)",
    "dpi_like": "of which DPI-like",
    "planned_or_piloted": "Planned or piloted",
    "none": "No system",
    "not_assessed": "Not assessed",
}
NOT_ASSESSED_SHADE = "rgba(150,150,150,0.16)"
CHART_MARGIN = {"l": 0, "r": 0, "t": 40, "b": 0}


def trend_lines(counts: pd.DataFrame, facet: str, y: str = "n", columns: int = 3) -> go.Figure:
    """Small multiples (one per `facet` value) of countries per status over the releases.

    counts: release, <facet>, category, n, share, countries. A NaN `n` means the release did not
    assess that category: the line breaks there and a shaded band says so (never a zero).
    """
    facets = list(dict.fromkeys(counts[facet]))
    rows = -(-len(facets) // columns)
    figure = make_subplots(
        rows=rows,
        cols=min(columns, len(facets)),
        subplot_titles=["<br>".join(textwrap.wrap(str(f), 32)) for f in facets],
        shared_yaxes=True,
        horizontal_spacing=0.04,
        vertical_spacing=0.16 if rows > 1 else 0.1,
    )
    for index, value in enumerate(facets):
        row, col = index // columns + 1, index % columns + 1
        part = counts[counts[facet] == value]
        for category in TREND_CATEGORIES:
            figure.add_trace(_trend_trace(part, category, y, show=index == 0), row=row, col=col)
        _shade_unassessed(figure, part[part["category"] == "dpi_like"], row, col, first=index == 0)
    figure.update_yaxes(rangemode="tozero", ticksuffix="%" if y == "share" else "")
    figure.update_yaxes(title="Share of countries" if y == "share" else "Countries", col=1)
    if y == "share":
        figure.update_yaxes(range=[0, 100])
    figure.update_xaxes(tickformat="%b %Y", nticks=4)
    figure.update_layout(
        height=320 * rows + 60,
        margin=CHART_MARGIN | {"t": 60},
        legend={"orientation": "h", "y": 1.0 + 0.12 / rows, "yanchor": "bottom", "x": 0},
        hovermode="x unified",
    )
    return figure


def _trend_trace(part: pd.DataFrame, category: str, y: str, show: bool) -> go.Scatter:
    line = part[part["category"] == category]
    values = line[y] * 100 if y == "share" else line[y]
    return go.Scatter(
        x=line["release"],
        y=values,
        mode="lines+markers",
        name=TREND_LABELS[category],
        legendgroup=category,
        showlegend=show,
        connectgaps=False,
        line={
            "color": TREND_COLOURS[category],
            "width": 2.5,
            "dash": "dot" if category in ("dpi_like", "not_assessed") else "solid",
        },
        marker={"size": 7},
        customdata=line[["n", "countries"]],
        hovertemplate="%{customdata[0]:.0f} of %{customdata[1]} countries"
        + (" (%{y:.0f}%)" if y == "share" else "")
        + "<extra>"
        + TREND_LABELS[category]
        + "</extra>",
    )


def _shade_unassessed(figure: go.Figure, line: pd.DataFrame, row: int, col: int, first: bool):
    """Grey band over the releases that did not assess a category, labelled in words."""
    missing = line.loc[line["n"].isna(), "release"]
    if missing.empty:
        return
    start, end = pd.Timestamp(missing.min()), pd.Timestamp(missing.max())
    pad = pd.Timedelta(days=12)
    label = {
        "annotation_text": "DPI-like<br>not assessed",
        "annotation_position": "top left",
        "annotation_font": {"size": 11, "color": "#555555"},
    }
    figure.add_vrect(
        x0=start - pad,
        x1=end + pad,
        fillcolor=NOT_ASSESSED_SHADE,
        line_width=0,
        layer="below",
        row=row,
        col=col,
        **(label if first else {}),
    )


def population_lines(shares: pd.DataFrame) -> go.Figure:
    """Share of the population living in countries with an implemented (solid) or DPI-like
    (dotted) system, one colour per pillar. shares: release, pillar, measure, share, population,
    total. NaN share = not assessed (gap, with a shaded band)."""
    colours = {"identity": "#2b7bba", "data_exchange": "#3a9e8d", "payments": "#c0622b"}
    figure = go.Figure()
    for pillar, colour in colours.items():
        for measure, dash in (("implemented", "solid"), ("dpi_like", "dot")):
            line = shares[(shares["pillar"] == pillar) & (shares["measure"] == measure)]
            suffix = "" if measure == "implemented" else ", DPI-like"
            figure.add_trace(
                go.Scatter(
                    x=line["release"],
                    y=line["share"] * 100,
                    mode="lines+markers",
                    name=PILLAR_LABELS[pillar] + suffix,
                    line={"color": colour, "dash": dash, "width": 2.5},
                    connectgaps=False,
                    customdata=line[["population"]] / 1e6,
                    hovertemplate="%{y:.1f}% (%{customdata[0]:,.0f} million people)<extra>"
                    + PILLAR_LABELS[pillar]
                    + suffix
                    + "</extra>",
                )
            )
    _shade_unassessed(
        figure, shares[shares["measure"] == "dpi_like"].rename(columns={"share": "n"}), 1, 1, True
    )
    figure.update_yaxes(range=[0, 100], ticksuffix="%", title="Share of population")
    figure.update_xaxes(tickformat="%b %Y")
    figure.update_layout(
        height=380, margin=CHART_MARGIN, legend={"orientation": "v"}, hovermode="x unified"
    )
    return figure


def transition_sankey(flows: pd.DataFrame, before: str, after: str) -> go.Figure:
    """Countries flowing from each status in `before` to each status in `after`.

    flows: before, after (category keys), n. Nodes keep the legend order top to bottom."""
    order = [k for k in STATUS_COLOURS if k in set(flows["before"]) | set(flows["after"])]
    left = [k for k in order if k in set(flows["before"])]
    right = [k for k in order if k in set(flows["after"])]
    index = {("L", k): i for i, k in enumerate(left)} | {
        ("R", k): len(left) + i for i, k in enumerate(right)
    }
    totals_l = flows.groupby("before")["n"].sum()
    totals_r = flows.groupby("after")["n"].sum()
    labels = [f"{STATUS_LABELS[k]} ({totals_l[k]})" for k in left] + [
        f"{STATUS_LABELS[k]} ({totals_r[k]})" for k in right
    ]
    colours = [STATUS_COLOURS[k] for k in left + right]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "color": colours,
                "pad": 14,
                "thickness": 18,
                "line": {"color": "#555555", "width": 0.5},
                "x": [0.001] * len(left) + [0.999] * len(right),
                "hovertemplate": "%{label}<extra></extra>",
                "y": _node_positions(left, totals_l) + _node_positions(right, totals_r),
            },
            link={
                "source": [index[("L", k)] for k in flows["before"]],
                "target": [index[("R", k)] for k in flows["after"]],
                "value": flows["n"].tolist(),
                "color": [_fade(STATUS_COLOURS[k]) for k in flows["before"]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value} countries"
                "<extra></extra>",
            },
            textfont={"size": 13, "color": "#1a1a1a", "shadow": "none"},
        )
    )
    figure.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        annotations=[
            _corner_label(before, 0.0, "left"),
            _corner_label(after, 1.0, "right"),
        ],
    )
    return figure


def _node_positions(keys: list[str], totals: pd.Series) -> list[float]:
    """Node centres stacked top to bottom in proportion to their size."""
    sizes = [float(totals[k]) for k in keys]
    scale, top, centres = sum(sizes) or 1.0, 0.0, []
    for size in sizes:
        share = size / scale
        centres.append(min(0.999, max(0.001, top + share / 2)))
        top += share
    return centres


def _fade(colour: str, alpha: float = 0.45) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _corner_label(text: str, x: float, anchor: str) -> dict:
    return {
        "text": f"<b>{text}</b>",
        "x": x,
        "y": 1.08,
        "xref": "paper",
        "yref": "paper",
        "xanchor": anchor,
        "showarrow": False,
    }


def status_timeline(timeline: pd.DataFrame, unassessed: list[str] | None = None) -> go.Figure:
    """One row of squares per pillar, one column per release, coloured by status category.

    timeline: release, pillar, category, hover. `unassessed`: releases without the DPI-like
    flag, shaded and labelled so their plain "Implemented" is not read as "not DPI-like"."""
    figure = go.Figure()
    releases = sorted(set(timeline["release"]))
    missing = [releases.index(r) for r in unassessed or [] if r in releases]
    if missing:
        figure.add_vrect(
            x0=min(missing) - 0.45,
            x1=max(missing) + 0.45,
            fillcolor=NOT_ASSESSED_SHADE,
            line_width=0,
            layer="below",
            annotation_text="DPI-like not assessed",
            annotation_position="outside top left",
            annotation_font={"size": 11, "color": "#555555"},
        )
    pillars = [PILLAR_LABELS[p] for p in PILLAR_LABELS if p in set(timeline["pillar"])]
    for key, (label, colour) in status_legend().items():
        part = timeline[timeline["category"] == key]
        figure.add_trace(
            go.Scatter(
                x=part["release"],
                y=part["pillar"].map(PILLAR_LABELS),
                mode="markers",
                name=label,
                marker={
                    "symbol": "square",
                    "size": 26,
                    "color": colour,
                    "line": {"color": "#555555", "width": 0.6},
                },
                hovertext=part["hover"],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    figure.update_yaxes(categoryorder="array", categoryarray=pillars[::-1], title=None)
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=releases, title=None)
    figure.update_layout(
        height=250,
        margin={"l": 0, "r": 0, "t": 26, "b": 0},
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


def compare_bars(shares: pd.DataFrame, items: list[str]) -> go.Figure:
    """Per pillar (side by side), a 100% bar per compared item split by status category.

    shares: item, pillar, category, n, members, share."""
    pillars = [p for p in PILLAR_LABELS if p in set(shares["pillar"])]
    figure = make_subplots(
        cols=len(pillars),
        rows=1,
        shared_yaxes=True,
        subplot_titles=[PILLAR_LABELS[p] for p in pillars],
        horizontal_spacing=0.04,
    )
    for col, pillar in enumerate(pillars, start=1):
        for key, (label, colour) in status_legend().items():
            part = shares[(shares["pillar"] == pillar) & (shares["category"] == key)]
            figure.add_trace(
                go.Bar(
                    y=part["item"],
                    x=part["share"] * 100,
                    orientation="h",
                    name=label,
                    legendgroup=key,
                    showlegend=col == 1,
                    marker_color=colour,
                    customdata=part[["n", "members"]],
                    hovertemplate="%{y}: %{customdata[0]} of %{customdata[1]} (%{x:.0f}%)"
                    + f"<extra>{label}</extra>",
                ),
                row=1,
                col=col,
            )
    figure.update_yaxes(categoryorder="array", categoryarray=items[::-1])
    ticks = [0, 25, 50, 75]
    figure.update_xaxes(range=[0, 100], tickvals=ticks, ticktext=[f"{t}%" for t in ticks])
    figure.update_layout(
        barmode="stack",
        height=140 + 44 * len(items),
        margin=CHART_MARGIN | {"t": 30},
        legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
    )
    return figure


# ---- presenter
# Projector palettes: the same order as the screen palettes, with stronger steps between them.
PRESENT_STACK_COLOURS = {
    "not_assessed": "#bdbdbd",
    "0": "#ffd84d",
    "1": "#1fa187",
    "2": "#1f5fbf",
    "3": "#0b0f3f",
}
PRESENT_YES_NO_COLOURS = {
    "not_assessed": "#bdbdbd",
    "unknown": "#eeeeee",
    "no": "#e8743b",
    "yes": "#1f5fbf",
}
STAGE_FONT = 20
SLIDE_SIZE = (1920, 1080)


def stack_legend(present: bool = False) -> dict[str, tuple[str, str]]:
    colours = PRESENT_STACK_COLOURS if present else STACK_COLOURS
    return {key: (STACK_LABELS[key], colour) for key, colour in colours.items()}


def yes_no_legend(present: bool = False) -> dict[str, tuple[str, str]]:
    colours = PRESENT_YES_NO_COLOURS if present else YES_NO_COLOURS
    return {key: (YES_NO_LABELS[key], colour) for key, colour in colours.items()}


def map_legend(kind: str, present: bool = False) -> dict[str, tuple[str, str]]:
    """'status' | 'stack' | 'yes_no' -> legend, in the projector palette when presenting."""
    if kind == "status":
        return status_legend(PRESENT_COLOURS if present else None)
    return stack_legend(present) if kind == "stack" else yes_no_legend(present)


def stage_map(figure: go.Figure) -> go.Figure:
    """A map for a big screen: no fixed height (it fills its box), large legend and labels."""
    figure.update_layout(
        height=None,
        font={"size": STAGE_FONT},
        hoverlabel={"font_size": STAGE_FONT},
        legend={"font": {"size": STAGE_FONT + 2}, "itemwidth": 40},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return figure


def slide_figure(figure: go.Figure, title: str, subtitle: str, footer: str) -> go.Figure:
    """The figure as a 1920x1080 slide: title and subtitle above, legend and footer below.

    Hover data is dropped (an image cannot hover), which also keeps the export small.
    """
    width, height = SLIDE_SIZE
    slide = go.Figure(figure)
    slide.update_traces(hovertext=None, customdata=None, hoverinfo="skip")
    slide.update_layout(
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor="#ffffff",
        font={"size": 22, "family": "Source Sans Pro, Helvetica, Arial, sans-serif"},
        margin={"l": 40, "r": 40, "t": 190, "b": 140},
        title={
            "text": f"<b>{_wrap(title, 70)}</b>",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.975,
            "yanchor": "top",
            "font": {"size": 50, "color": "#111111"},
        },
        legend={
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.02,
            "yanchor": "top",
            "font": {"size": 26, "color": "#111111"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        annotations=[
            _slide_text(_wrap(subtitle, 115), 1.0, 92, 28, "#333333", "top"),
            _slide_text(_wrap(footer, 170), 0.0, -72, 18, "#555555", "top"),
        ],
    )
    return slide


def _slide_text(text: str, y: float, shift: int, size: int, colour: str, anchor: str) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.0,
        "y": y,
        "yshift": shift,
        "xanchor": "left",
        "yanchor": anchor,
        "align": "left",
        "showarrow": False,
        "font": {"size": size, "color": colour},
    }


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def add_timeline(
    figure: go.Figure, frames: list[tuple[str, list]], active: int, seconds: float
) -> go.Figure:
    """Animate a map through releases in the browser: one frame per release (same traces as
    `figure`), a play / pause button and a release slider under the legend. Playing starts at
    the first release and stops at the last; nothing goes back to the server."""
    figure = go.Figure(figure)  # a copy: the map it animates is shared (presenter.view_map)
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
                "x": 0.2,
                "len": 0.76,
                "y": -0.07,
                "yanchor": "top",
                "pad": {"t": 8, "r": 30},
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
