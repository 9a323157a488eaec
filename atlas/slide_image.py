"""The map as a 1920x1080 slide image: title and caption above, the legend on as many rows as
it needs and the citation below. Drawn by plotly.js in the browser (atlas/present/export.py)."""

import textwrap

import plotly.graph_objects as go

from atlas.maps import legend_rows

SLIDE_SIZE = (1920, 1080)
SLIDE_LEGEND_FONT, SLIDE_LEGEND_ROW = 26, 40  # px: the slide legend's type and row height


def slide_figure(figure: go.Figure, title: str, subtitle: str, footer: str) -> go.Figure:
    """The figure as a 1920x1080 slide: title and subtitle above, legend and footer below.

    Hover data is dropped (an image cannot hover), which also keeps the export small.
    """
    width, height = SLIDE_SIZE
    slide = go.Figure(figure)
    slide.update_traces(hovertext=None, customdata=None, hoverinfo="skip")
    extra = (legend_rows(slide, width - 80, SLIDE_LEGEND_FONT) - 1) * SLIDE_LEGEND_ROW
    slide.update_layout(
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor="#ffffff",
        font={"size": 22, "family": "Source Sans Pro, Helvetica, Arial, sans-serif"},
        margin={"l": 40, "r": 40, "t": 190, "b": 140 + extra},  # room for every legend row
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
            "font": {"size": SLIDE_LEGEND_FONT, "color": "#111111"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        annotations=[
            _slide_text(_wrap(subtitle, 115), 1.0, 92, 28, "#333333", "top"),
            _slide_text(_wrap(footer, 170), 0.0, -72 - extra, 18, "#555555", "top"),
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
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False)) if text else ""
