"""The palettes, measured: every colour a dark map, line or label uses reads against the dark
page (WCAG 2.1 non-text contrast, 3:1), computed here from the colours themselves; the
progress categories get lighter step by step in the dark theme; legends follow the theme."""

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from atlas import categories, charts, maps, outcome_charts

ROOT = Path(__file__).resolve().parents[2]
MIN_CONTRAST = 3.0


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of '#rrggbb'."""
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), colour
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_on_known_pairs():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0b0f3f", "#171614") < 1.5  # the old 'DPI-like' navy on the dark page


def test_the_dark_background_is_the_one_the_app_runs_with():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["dark"]["backgroundColor"].lower() == categories.DARK_BACKGROUND
    assert theme["light"]["backgroundColor"].lower() == categories.LIGHT_BACKGROUND


DARK_COLOURS = {
    f"{kind} map{' (presenting)' if present else ''}": categories.palette(kind, present, True)
    for kind in categories.PALETTES
    for present in (False, True)
} | {
    "trend lines": categories.DARK_TREND_COLOURS,
    "population lines": categories.DARK_POPULATION_COLOURS,
    "outcome map classes": {
        **{f"class {i}": c for i, c in enumerate(outcome_charts.DARK_BIN_COLOURS)},
        "no data": outcome_charts.DARK_NO_DATA_COLOUR,
        "implemented outline": outcome_charts.DARK_OUTLINE_COLOUR,
    },
    "labels and notes": {name: pair[1] for name, pair in categories.TEXT_COLOURS.items()
                         if name in ("text", "note", "marker_line")},
}  # fmt: skip


@pytest.mark.parametrize("what", DARK_COLOURS)
def test_every_dark_colour_has_3_to_1_contrast_with_the_dark_page(what):
    weak = {
        name: round(contrast(colour, categories.DARK_BACKGROUND), 2)
        for name, colour in DARK_COLOURS[what].items()
        if contrast(colour, categories.DARK_BACKGROUND) < MIN_CONTRAST
    }
    assert not weak, f"{what}: below 3:1 on {categories.DARK_BACKGROUND}: {weak}"


def test_dark_outcome_classes_get_lighter_with_the_value():
    lums = [relative_luminance(c) for c in outcome_charts.DARK_BIN_COLOURS]
    assert lums == sorted(lums)


@pytest.mark.parametrize("present", [False, True])
@pytest.mark.parametrize(
    ("kind", "ramp"),
    [
        ("status", ["none", "planned_or_piloted", "implemented", "dpi_like"]),
        ("stack", ["0", "1", "2", "3"]),
    ],
)
def test_dark_progress_gets_lighter_step_by_step(kind, ramp, present):
    """Readable in greyscale and for colour-blind viewers: luminance rises with progress, by
    a visible step (at least 1.15:1 between neighbours)."""
    colours = categories.palette(kind, present, dark=True)
    steps = [contrast(colours[a], colours[b]) for a, b in zip(ramp, ramp[1:], strict=False)]
    lums = [relative_luminance(colours[k]) for k in ramp]
    assert lums == sorted(lums), (kind, lums)
    assert min(steps) >= 1.15, (kind, steps)


def test_light_legend_text_reads_on_white():
    assert contrast(categories.text_colour("text"), categories.LIGHT_BACKGROUND) >= 4.5
    assert contrast(categories.text_colour("note"), categories.LIGHT_BACKGROUND) >= 4.5


def frame_of(categories_: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": [f"C{i:02d}" for i in range(len(categories_))],
            "category": categories_,
            "hover": "x",
            "area_km2": 1e6,
            "lat": 0.0,
            "lon": 0.0,
            "has_geometry": True,
        }
    )


@pytest.mark.parametrize("dark", [False, True])
def test_maps_and_their_legends_follow_the_theme(dark):
    legend = categories.map_legend("status", present=True, dark=dark)
    figure = maps.category_map(frame_of(list(legend)), "countries.geojson", legend, dark=dark)
    shown = [t.colorscale[0][1] for t in figure.data if t.type == "choropleth" and t.showlegend]
    assert shown == list(categories.palette("status", present=True, dark=dark).values())
    assert figure.layout.legend.font.color == categories.text_colour("text", dark)
    background = figure.layout.legend.bgcolor
    assert background.startswith("rgba(23,22,20" if dark else "rgba(255,255,255")
    borders = {t.marker.line.color for t in figure.data if t.type == "choropleth"}
    assert borders == {categories.DARK_BACKGROUND if dark else "#ffffff"}


def test_dark_trends_use_the_dark_lines_and_labels():
    counts = pd.DataFrame(
        {
            "release": ["2030-01-15"] * 5,
            "pillar": "Digital identity",
            "category": list(categories.TREND_CATEGORIES),
            "n": [3, None, 1, 1, 1],
            "share": 0.2,
            "countries": 6,
        }
    )
    figure = charts.trend_lines(counts, "pillar", dark=True)
    lines = {t.name: t.line.color for t in figure.data}
    assert lines["of which DPI-like"] == categories.DARK_TREND_COLOURS["dpi_like"]
    # the unassessed band is named in the legend (no label on the chart to colour)
    assert not [a for a in figure.layout.annotations if "not assessed" in a.text]
    assert [s.name for s in figure.layout.shapes] == ["Shaded: DPI-like not assessed"]
    flows = pd.DataFrame(
        {"before": ["none", "implemented"], "after": ["implemented"] * 2, "n": [2, 3]}
    )
    sankey = charts.transition_sankey(flows, "2030-01-15", "2030-04-15", dark=True).data[0]
    assert sankey.textfont.color == categories.text_colour("text", dark=True)
    assert list(sankey.node.color) == [
        categories.DARK_STATUS_COLOURS[k] for k in ("none", "implemented", "implemented")
    ]


def test_the_country_timeline_and_the_comparison_follow_the_dark_theme():
    timeline = pd.DataFrame(
        {"release": ["2030-01-15"], "pillar": ["identity"], "category": ["dpi_like"], "hover": "x"}
    )
    figure = charts.status_timeline(timeline, ["2030-01-15"], dark=True)
    squares = {t.name: t.marker.color for t in figure.data}
    assert squares["Implemented, DPI-like"] == categories.DARK_STATUS_COLOURS["dpi_like"]
    shares = pd.DataFrame(
        {"item": ["Kenya"], "pillar": ["identity"], "category": ["dpi_like"], "n": [1], "members": [1], "share": [1.0]}
    )  # fmt: skip
    bars = {t.name: t.marker.color for t in charts.compare_bars(shares, ["Kenya"], dark=True).data}
    assert bars["Implemented, DPI-like"] == categories.DARK_STATUS_COLOURS["dpi_like"]
