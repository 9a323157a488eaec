"""maps._zoom on synthetic bounds: the map's framing of a box (the boxes themselves come from
etl.geometry, tested in test_geometry.py)."""

import pytest

from atlas import maps


def test_zoom_across_the_antimeridian_centres_on_the_pacific():
    geo = maps._zoom(170, -22, 200, -10)
    assert geo["projection"]["rotation"]["lon"] == -175
    assert geo["center"]["lon"] == -175
    wide = maps._zoom(100, -40, 210, 40)
    assert wide["projection"]["rotation"]["lon"] == 155


@pytest.mark.parametrize(
    "box",
    [(-78.4, 17.7, -76.2, 18.5), (60.9, 5.9, 97.4, 35.5), (-82, -56, -34, 13), (5, 47, 15, 55)],
)
def test_a_zoom_never_clips_the_land_around_it(box):
    """No lon/lat axis range (plotly clips shapes along a range's straight edges): the world
    map's projection is scaled and centred instead, so neighbouring land runs to the edge."""
    geo = maps._zoom(*box)
    assert "lonaxis" not in geo and "lataxis" not in geo
    assert geo["projection"]["type"] == "natural earth"
    assert geo["projection"]["scale"] > 1


def test_a_small_country_is_framed_closer_than_a_continent():
    jamaica = maps._zoom(-78.4, 17.7, -76.2, 18.5)["projection"]["scale"]
    india = maps._zoom(68.1, 6.7, 97.4, 35.5)["projection"]["scale"]
    south_america = maps._zoom(-82, -56, -34, 13)["projection"]["scale"]
    assert jamaica > india > south_america > 1
    # Jamaica's box with its margins still fits: 360 / scale degrees of longitude are shown.
    assert 360 / jamaica > 78.4 - 76.2


def test_a_presenting_map_keeps_room_under_it_for_every_legend_row():
    """maps.stage_map sizes the bottom margin from the legend's rows on a 1280 px screen: a
    long legend (building blocks) takes two rows, and the map leaves room for both."""
    import pandas as pd

    from atlas import categories

    def staged(kind: str):
        legend = categories.map_legend(kind, present=True)
        frame = pd.DataFrame({"iso3": [f"C{i}" for i in range(len(legend))], "category": list(legend),
                              "hover": "x", "area_km2": 1e6, "lat": 0.0, "lon": 0.0,
                              "has_geometry": True})  # fmt: skip
        return maps.stage_map(maps.category_map(frame, "x.geojson", legend))

    short, long = staged("yes_no"), staged("block")
    rows = maps.legend_rows(long, maps.STAGE_WIDTH, maps.STAGE_FONT + 2)
    assert maps.legend_rows(short, maps.STAGE_WIDTH, maps.STAGE_FONT + 2) == 1 < rows
    assert long.layout.margin.b >= rows * 1.5 * (maps.STAGE_FONT + 2) > short.layout.margin.b
