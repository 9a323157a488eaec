"""Zoom bounds on synthetic shapes: queries.main_bounds, charts.union_bounds and _zoom."""

import charts
from charts import union_bounds
from queries import main_bounds


def box(x0, y0, x1, y1):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def multipolygon(*boxes):
    return {"type": "MultiPolygon", "coordinates": [box(*b) for b in boxes]}


def test_far_overseas_parts_stay_out():
    # a mainland, an island off its coast, and two territories an ocean away
    shape = multipolygon((-5, 42, 8, 51), (8.5, 41, 9.5, 43), (-54, 2, -51, 6), (55, -21, 56, -20))
    assert main_bounds(shape) == (-5, 41, 9.5, 51)


def test_a_chain_of_islands_is_followed_to_its_end():
    # each island within reach of the next, the last far from the largest
    shape = multipolygon((95, -6, 106, 6), (108, -4, 119, 4), (120, -6, 125, 2), (131, -9, 141, -1))
    assert main_bounds(shape) == (95, -9, 141, 6)


def test_parts_across_the_antimeridian_stay_out():
    shape = multipolygon((20, 41, 180, 82), (-180, 64, -169, 70))
    assert main_bounds(shape) == (20, 41, 180, 82)


def test_a_single_polygon_is_its_own_bounds():
    assert main_bounds({"type": "Polygon", "coordinates": box(1, 2, 3, 4)}) == (1, 2, 3, 4)


def test_union_stays_on_one_side_when_that_is_narrower():
    assert union_bounds([(-10, 40, 5, 50), (10, 35, 30, 45)]) == (-10, 35, 30, 50)


def test_union_of_pacific_parts_crosses_the_antimeridian():
    # Made-up Pacific islands on both sides of 180 degrees, and a mainland far west
    parts = [(165, -20, 170, -15), (177, -19, 180, -16), (-176, -22, -173, -14), (120, 0, 125, 5)]
    west, south, east, north = union_bounds(parts)
    assert (west, east) == (120, 187)  # 187 = -173 seen from the west: a 67-degree box
    assert (south, north) == (-22, 5)


def test_zoom_across_the_antimeridian_centres_on_the_pacific():
    geo = charts._zoom(170, -22, 200, -10)  # Mercator: a range that reads west > east
    assert geo["lonaxis"]["range"][0] > geo["lonaxis"]["range"][1]
    assert geo["projection"]["rotation"]["lon"] == -175
    wide = charts._zoom(100, -40, 210, 40)  # natural earth, rotated to the middle
    assert wide["projection"]["rotation"]["lon"] == 155
