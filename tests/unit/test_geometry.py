"""Zoom bounds on synthetic shapes: etl.geometry (main_bounds, union_bounds, wrap)."""

import json

from etl.geometry import country_bounds, main_bounds, polygons, union_bounds, wrap


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


def test_wrap_brings_longitudes_back_to_the_circle():
    assert float(wrap(187)) == -173 and float(wrap(-190)) == 170 and float(wrap(45)) == 45
    assert wrap([190, -181, 0]).tolist() == [-170, 179, 0]


def test_polygons_reads_a_polygon_and_a_multipolygon_alike():
    single = {"type": "Polygon", "coordinates": box(1, 2, 3, 4)}
    assert polygons(single) == [box(1, 2, 3, 4)]
    assert polygons(multipolygon((1, 2, 3, 4), (5, 6, 7, 8))) == [box(1, 2, 3, 4), box(5, 6, 7, 8)]


def test_country_bounds_of_a_feature_collection_by_iso3():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "AAA",
                "geometry": multipolygon((0, 0, 4, 4), (60, 0, 61, 1)),
            },
            {
                "type": "Feature",
                "id": "BBB",
                "geometry": {"type": "Polygon", "coordinates": box(1, 2, 3, 4)},
            },
        ],
    }
    assert country_bounds(json.loads(json.dumps(collection))) == {
        "AAA": (0, 0, 4, 4),
        "BBB": (1, 2, 3, 4),
    }


def test_union_of_nothing_is_none():
    assert union_bounds([]) is None
