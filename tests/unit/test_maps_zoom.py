"""maps._zoom on synthetic bounds: the map's framing of a box (the boxes themselves come from
etl.geometry, tested in test_geometry.py)."""

from atlas import maps


def test_zoom_across_the_antimeridian_centres_on_the_pacific():
    geo = maps._zoom(170, -22, 200, -10)  # Mercator: a range that reads west > east
    assert geo["lonaxis"]["range"][0] > geo["lonaxis"]["range"][1]
    assert geo["projection"]["rotation"]["lon"] == -175
    wide = maps._zoom(100, -40, 210, 40)  # natural earth, rotated to the middle
    assert wide["projection"]["rotation"]["lon"] == 155
