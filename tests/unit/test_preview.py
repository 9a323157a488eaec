"""preview.py on synthetic shapes and figures (made-up countries, codes and categories)."""

import re
import xml.etree.ElementTree as ET
from math import log, pi, radians, tan
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest

from atlas import maps, preview


def square(x0, y0, x1, y1):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


# Synthetic: two squares in the Caribbean, one in Central Asia, and an islet with no shape.
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": code, "properties": {"iso3": code},
         "geometry": {"type": "Polygon", "coordinates": square(*box)}}
        for code, box in {
            "AAA": (-80, 15, -70, 22),
            "BBB": (-68, 10, -60, 18),
            "CCC": (60, 40, 75, 50),
        }.items()
    ],
}  # fmt: skip
LEGEND = {"none": ("No system", "#fbe7a1"), "implemented": ("Implemented", "#2b7bba")}


def synthetic_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "category": ["implemented", "implemented", "none", "implemented"],
            "hover": ["<b>A</b>", "<b>B</b>", "<b>C</b>", "<b>D</b>"],
            "area_km2": [90_000.0, 80_000.0, 500_000.0, 20.0],
            "lat": [18.0, 14.0, 45.0, 12.0],
            "lon": [-75.0, -64.0, 67.0, -61.5],
            "has_geometry": [True, True, True, False],
        }
    )


def world_figure(**options):
    return maps.category_map(synthetic_frame(), GEOJSON, LEGEND, **options)


def test_natural_earth_matches_the_published_polynomial_at_known_points():
    x, y = preview.project("natural earth", np.array([0.0, 180.0, -180.0]), np.zeros(3))
    assert x.tolist() == pytest.approx([0.0, pi * 0.8707, -pi * 0.8707])
    assert y.tolist() == pytest.approx([0.0, 0.0, 0.0])
    _, north = preview.project("natural earth", np.array([0.0]), np.array([90.0]))
    phi = pi / 2  # y(90°) from the polynomial, written out independently
    expected = phi * (
        1.007226
        + phi**2 * (0.015085 + phi**4 * (-0.044475 + 0.028874 * phi**2 - 0.005916 * phi**4))
    )
    assert north[0] == pytest.approx(expected)


def test_mercator_is_the_standard_formula():
    x, y = preview.project("mercator", np.array([90.0]), np.array([45.0]))
    assert x[0] == pytest.approx(radians(90))
    assert y[0] == pytest.approx(log(tan(pi / 4 + radians(45) / 2)))


def test_unknown_projection_is_refused():
    with pytest.raises(ValueError, match="orthographic"):
        preview.project("orthographic", np.zeros(1), np.zeros(1))


def test_world_frame_has_the_aspect_plotly_draws():
    """charts' world map (natural earth, latitudes -58 to 85): in Chromium plotly framed it
    1119.8 x 521 px in a 1140 x 521 plot area (measured with plotly 6.3.1): aspect 0.4653."""
    frame = preview.frame_of(world_figure().layout.geo.to_plotly_json())
    assert frame.aspect == pytest.approx(521 / 1119.78, abs=0.001)
    assert frame.x == pytest.approx(-frame.width / 2)  # centred on the prime meridian


def test_scale_zooms_around_the_centre():
    geo = {"projection": {"type": "natural earth", "scale": 2.0}, "center": {"lon": 10, "lat": 0}}
    whole = preview.frame_of({"projection": {"type": "natural earth"}})
    zoomed = preview.frame_of(geo)
    assert zoomed.width == pytest.approx(whole.width / 2)
    assert zoomed.height == pytest.approx(whole.height / 2)
    centre, _ = preview.project("natural earth", np.array([10.0]), np.array([0.0]))
    assert zoomed.x + zoomed.width / 2 == pytest.approx(centre[0])


def test_map_svg_draws_each_category_in_its_colour_and_small_states_as_dots():
    svg = preview.map_svg(world_figure(), preview.Shapes(GEOJSON))
    root = ET.fromstring(svg)  # well-formed
    paths = root.findall(".//{http://www.w3.org/2000/svg}path")
    fills = [p.get("fill") for p in paths if p.get("fill")]
    assert fills == ["#fbe7a1", "#2b7bba"]  # one path per non-empty category, legend order
    implemented = next(p for p in paths if p.get("fill") == "#2b7bba")
    assert implemented.get("d").count("M") == 2  # AAA and BBB
    dots = [p for p in paths if p.get("stroke-linecap") == "round"]
    assert {p.get("stroke") for p in dots} == {"#333333", "#2b7bba"}  # outline under fill
    assert all(p.get("d").count("h0") == 1 for p in dots)  # DDD only: no shape, tiny area


def test_zoomed_frame_leaves_out_shapes_outside_it():
    caribbean = world_figure(focus=(-82, 8, -58, 24))
    svg = preview.map_svg(caribbean, preview.Shapes(GEOJSON))
    assert "#fbe7a1" not in svg  # CCC, in Central Asia, is off the map
    assert svg.count("M") >= 2


def test_selected_country_is_outlined_not_filled():
    svg = preview.map_svg(world_figure(selected="AAA"), preview.Shapes(GEOJSON))
    outline = re.search(r"<path fill='none' stroke='#e4572e'[^>]*d='([^']+)'", svg)
    assert outline and outline.group(1).count("M") == 1


def test_simplified_outline_keeps_its_extent():
    circle = [[20 * np.cos(t), 20 * np.sin(t)] for t in np.linspace(0, 2 * pi, 721)]  # 720 points
    shapes = preview.Shapes(
        {"features": [{"id": "ZZZ", "properties": {},
                       "geometry": {"type": "Polygon", "coordinates": [circle]}}]}
    )  # fmt: skip
    frame = preview.frame_of({"projection": {"type": "natural earth"}})
    d = shapes.paths(frame)["ZZZ"]
    steps = [int(n) for n in re.findall(r"-?\d+", d.split("l", 1)[1])]
    assert 20 < len(steps) // 2 < 720  # fewer points than drawn...
    xs = np.cumsum([0, *steps[0::2]])
    width_units = 40 * 0.8707 * pi / 180 * preview.WIDTH / frame.width  # ~40 degrees wide
    assert np.ptp(xs) == pytest.approx(width_units, abs=2)  # ...over the same extent


def test_map_html_is_one_markdown_safe_block_with_an_encoded_image_and_legend():
    markup = preview.map_html(world_figure(), preview.Shapes(GEOJSON), "560px")
    assert "\n\n" not in markup  # a blank line would end Markdown's HTML block
    assert "http://" not in markup  # Markdown would turn a bare URL into a link
    source = re.search(r'url\("data:image/svg\+xml,([^"]+)"\)', markup).group(1)
    assert not set('<>#"') & set(source)  # encoded for a CSS string
    ET.fromstring(unquote(source))
    legend = re.findall(r"<span><i style=\"background:([^;\"]+)\"></i>([^<]+)</span>", markup)
    assert legend == [("#fbe7a1", "No system"), ("#2b7bba", "Implemented")]
    assert 'role="img"' in markup and "aria-label" in markup
    assert "height:560px;padding-top:10px" in markup  # charts' top margin, as plotly lays out


def test_empty_categories_stay_out_of_the_legend_like_plotly():
    frame = synthetic_frame().assign(category="implemented")
    figure = maps.category_map(frame, GEOJSON, LEGEND)
    markup = preview.map_html(figure, preview.Shapes(GEOJSON), "560px")
    assert "No system" not in markup and "Implemented" in markup


def test_markup_is_drawn_once_per_figure_and_height(monkeypatch):
    shapes = preview.Shapes(GEOJSON)
    figure, other = world_figure(), world_figure()
    drawn = []
    real = preview.map_html
    monkeypatch.setattr(preview, "map_html", lambda *a: drawn.append(a) or real(*a))
    first = shapes.markup(figure, "560px")
    assert shapes.markup(figure, "560px") is first  # a second visitor: no drawing
    assert first == real(figure, shapes, "560px")
    assert shapes.markup(figure, "700px") != first  # another height is another picture
    assert shapes.markup(other, "560px") == first  # an equal figure, drawn for itself
    assert len(drawn) == 3


def test_markup_cache_is_bounded_and_never_confuses_objects():
    shapes = preview.Shapes(GEOJSON)
    figures = [world_figure() for _ in range(preview.MARKUP_ENTRIES + 5)]
    for figure in figures:
        shapes.markup(figure, "560px")
    assert len(shapes._markup) == preview.MARKUP_ENTRIES
    kept = [entry[0] for entry in shapes._markup.values()]
    assert all(any(figure is k for k in kept) for figure in figures[-preview.MARKUP_ENTRIES :])
