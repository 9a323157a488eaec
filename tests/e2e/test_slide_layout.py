"""The 1920x1080 slide image (slide_image.slide_figure) as plotly.js draws it in Chromium: however
many rows the legend takes, the citation under it stays clear of it and on the image."""

import json
from pathlib import Path

import pandas as pd
import plotly
import pytest

from atlas import categories, maps, slide_image
from etl.boundaries import base_topojson

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SQUARES = {  # two tiny synthetic shapes: the test is about the layout, not the geography
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": f"C{i:02d}", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 5, 0], [x + 5, 5], [x, 5], [x, 0]]]}}
        for i, x in enumerate(range(0, 80, 10))
    ],
}  # fmt: skip


def slide(kind: str) -> dict:
    legend = categories.map_legend(kind)
    frame = pd.DataFrame(
        {
            "iso3": [f"C{i:02d}" for i in range(len(legend))],
            "category": list(legend),
            "hover": "x",
            "area_km2": 1e6,
            "lat": 2.0,
            "lon": 2.0,
            "has_geometry": True,
        }
    )
    outside = pd.DataFrame({"iso3": ["C07"], "name": ["Elsewhere"]})
    figure = maps.category_map(frame, SQUARES, legend, outside=outside)
    footer = "Release 2030-01-15 · Source: SYNTHETIC citation for the layout test. " * 2
    return json.loads(slide_image.slide_figure(figure, "A title", "A caption", footer).to_json())


@pytest.mark.parametrize("kind", ["status", "block"])  # one legend row; two rows
def test_the_citation_stays_below_the_legend_on_the_image(page, kind):
    page.route(  # plotly's base map, empty as the dashboard serves it: nothing leaves the machine
        "http://assets.test/**",
        lambda route: route.fulfill(body=base_topojson(), content_type="application/json"),
    )
    page.set_content("<div id='slide'></div>")
    page.add_script_tag(path=str(PLOTLY_JS))
    spec = slide(kind)
    page.evaluate(
        "spec => Plotly.newPlot('slide', spec.data, spec.layout,"
        " {topojsonURL: 'http://assets.test/'})",
        spec,
    )
    page.wait_for_selector("#slide .legend")
    legend = page.locator("#slide .legend").bounding_box()
    footer = page.locator("#slide .annotation").last.bounding_box()
    rows = page.locator("#slide .legend .traces").evaluate_all(
        "items => new Set(items.map(i => Math.round(i.getBoundingClientRect().top))).size"
    )
    estimate = maps.legend_rows(maps.go.Figure(spec), 1840, slide_image.SLIDE_LEGEND_FONT)
    assert rows <= estimate <= rows + 1  # room for every row, at most one row spare
    assert footer["y"] >= legend["y"] + legend["height"] - 2, (kind, rows, legend, footer)
    assert footer["y"] + footer["height"] <= 1080, (kind, footer)
