"""queries.main_bounds on synthetic multipolygons (made-up shapes)."""

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
