"""charts._zoom on synthetic bounds (moved here from test_bounds.py, which now tests
etl.geometry; charts.py itself is the app's and unchanged)."""

import charts


def test_zoom_across_the_antimeridian_centres_on_the_pacific():
    geo = charts._zoom(170, -22, 200, -10)  # Mercator: a range that reads west > east
    assert geo["lonaxis"]["range"][0] > geo["lonaxis"]["range"][1]
    assert geo["projection"]["rotation"]["lon"] == -175
    wide = charts._zoom(100, -40, 210, 40)  # natural earth, rotated to the middle
    assert wide["projection"]["rotation"]["lon"] == 155
