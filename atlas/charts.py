"""Charts other than maps: DataFrame -> plotly Figure for trends, transitions, a country's
timeline and comparisons. Pure functions: no Streamlit, no SQL."""

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas.categories import (
    CHART_MARGIN,
    DARK_POPULATION_COLOURS,
    DARK_TREND_COLOURS,
    NOT_ASSESSED_SHADE,
    PILLAR_LABELS,
    POPULATION_COLOURS,
    STATUS_LABELS,
    TREND_CATEGORIES,
    TREND_COLOURS,
    TREND_LABELS,
    palette,
    status_legend,
    text_colour,
)


def trend_lines(
    counts: pd.DataFrame, facet: str, y: str = "n", columns: int = 3, dark: bool = False
) -> go.Figure:
    """Small multiples (one per `facet` value) of countries per status over the releases
    (`dark`: the dark theme's line colours).

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
            trace = _trend_trace(part, category, y, index == 0, dark)
            figure.add_trace(trace, row=row, col=col)
        dpi = part[part["category"] == "dpi_like"]
        _shade_unassessed(figure, dpi, row, col, first=index == 0)
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


def _trend_trace(part: pd.DataFrame, category: str, y: str, show: bool, dark: bool):
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
            "color": (DARK_TREND_COLOURS if dark else TREND_COLOURS)[category],
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
    """Grey band over the releases that did not assess a category, named in the legend (a
    label on the chart would sit on the lines)."""
    missing = line.loc[line["n"].isna(), "release"]
    if missing.empty:
        return
    start, end = pd.Timestamp(missing.min()), pd.Timestamp(missing.max())
    pad = pd.Timedelta(days=12)
    figure.add_vrect(
        x0=start - pad,
        x1=end + pad,
        fillcolor=NOT_ASSESSED_SHADE,
        line_width=0,
        layer="below",
        row=row,
        col=col,
        name="Shaded: DPI-like not assessed",
        legendgroup="unassessed",
        showlegend=first,
    )


def population_lines(shares: pd.DataFrame, dark: bool = False) -> go.Figure:
    """Share of the population living in countries with an implemented (solid) or DPI-like
    (dotted) system, one colour per pillar. shares: release, pillar, measure, share, population,
    total. NaN share = not assessed (gap, with a shaded band)."""
    colours = DARK_POPULATION_COLOURS if dark else POPULATION_COLOURS
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
        figure,
        shares[shares["measure"] == "dpi_like"].rename(columns={"share": "n"}),
        1,
        1,
        True,
    )
    figure.update_yaxes(range=[0, 100], ticksuffix="%", title="Share of population")
    figure.update_xaxes(tickformat="%b %Y")
    figure.update_layout(
        height=380, margin=CHART_MARGIN, legend={"orientation": "v"}, hovermode="x unified"
    )
    return figure


def transition_sankey(
    flows: pd.DataFrame, before: str, after: str, dark: bool = False
) -> go.Figure:
    """Countries flowing from each status in `before` to each status in `after`.

    flows: before, after (category keys), n. Nodes keep the legend order top to bottom;
    `dark`: the dark theme's node colours and labels."""
    colours_of = palette("status", dark=dark)
    order = [k for k in colours_of if k in set(flows["before"]) | set(flows["after"])]
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
    colours = [colours_of[k] for k in left + right]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "color": colours,
                "pad": 14,
                "thickness": 18,
                "line": {"color": text_colour("note", dark), "width": 0.5},
                "x": [0.001] * len(left) + [0.999] * len(right),
                "hovertemplate": "%{label}<extra></extra>",
                "y": _node_positions(left, totals_l) + _node_positions(right, totals_r),
            },
            link={
                "source": [index[("L", k)] for k in flows["before"]],
                "target": [index[("R", k)] for k in flows["after"]],
                "value": flows["n"].tolist(),
                "color": [_fade(colours_of[k]) for k in flows["before"]],
                "hovertemplate": "%{source.label} → %{target.label}: %{value} countries"
                "<extra></extra>",
            },
            textfont={"size": 13, "color": text_colour("text", dark), "shadow": "none"},
        )
    )
    figure.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        annotations=[
            _corner_label(before, 0.0, "left", dark),
            _corner_label(after, 1.0, "right", dark),
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


def _corner_label(text: str, x: float, anchor: str, dark: bool = False) -> dict:
    return {
        "text": f"<b>{text}</b>",
        "x": x,
        "y": 1.08,
        "xref": "paper",
        "yref": "paper",
        "xanchor": anchor,
        "showarrow": False,
        "font": {"color": text_colour("text", dark)},
    }


def status_timeline(
    timeline: pd.DataFrame, unassessed: list[str] | None = None, dark: bool = False
) -> go.Figure:
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
            annotation_font={"size": 11, "color": text_colour("note", dark)},
        )
    pillars = [PILLAR_LABELS[p] for p in PILLAR_LABELS if p in set(timeline["pillar"])]
    for key, (label, colour) in status_legend(dark=dark).items():
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
                    "line": {"color": text_colour("note", dark), "width": 0.6},
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


def compare_bars(shares: pd.DataFrame, items: list[str], dark: bool = False) -> go.Figure:
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
        for key, (label, colour) in status_legend(dark=dark).items():
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
        height=170 + 44 * len(items),
        margin=CHART_MARGIN | {"t": 30, "b": 60},
        # under the axis labels whatever the chart's height: placed in the figure, not the plot
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
    )
    return figure


def sparkline(counts: pd.Series, what: str) -> go.Figure:
    """A small line of counts per release (index: release dates), each point with its date
    and value on hover, the first and last labelled."""
    figure = go.Figure(
        go.Scatter(
            x=list(counts.index),
            y=counts.tolist(),
            mode="lines+markers+text",
            line={"color": palette("status")["implemented"], "width": 2},
            marker={"size": 5},
            text=[str(v) if i in (0, len(counts) - 1) else "" for i, v in enumerate(counts)],
            textposition="top center",
            cliponaxis=False,
            hovertemplate="%{x}: %{y} " + what + "<extra></extra>",
        )
    )
    low, high = counts.min(), counts.max()
    pad = max(1.0, (high - low) * 0.25)
    figure.update_xaxes(visible=False, type="category")
    figure.update_yaxes(visible=False, range=[low - pad, high + 2 * pad])
    figure.update_layout(
        height=70, margin={"l": 6, "r": 6, "t": 4, "b": 0}, showlegend=False, hovermode="x"
    )
    return figure
