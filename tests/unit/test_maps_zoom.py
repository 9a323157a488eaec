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
