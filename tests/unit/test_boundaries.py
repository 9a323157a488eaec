"""etl.boundaries on a tiny synthetic Natural Earth file (made-up shapes, names and numbers).

The same function on the real Natural Earth file: tests/integration/test_boundaries_mirror.py.
"""

import json

import pytest

from etl.boundaries import (
    BASE_LAYERS,
    GEO_COLUMNS,
    POINTS_CSV,
    base_topojson,
    build_boundaries,
    read_points,
)
from etl.problems import ETLError


def square(x0, y0, x1, y1):
    """A counter-clockwise ring (RFC 7946 order; the module must turn it clockwise)."""
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def feature(own, iso_view, name, pop, year, *polygons):
    props = {"ISO_A3_EH": own, "ADM0_A3_IS": iso_view, "NAME_LONG": name}
    props |= {"POP_EST": pop, "POP_YEAR": year, "ADM0_A3": "SYN"}
    geometry = {"type": "MultiPolygon", "coordinates": list(polygons)}
    return {"type": "Feature", "properties": props, "geometry": geometry}


# Synthetic: Squareland has a 0.01 deg2 islet (dropped) and a breakaway part that NE codes -99
# with Squareland as its ISO view (merged); "France" and "Kosovo" are coded like NE codes them;
# Tinyland is a 0.004-degree island (kept); Nowhere has no code at all (left out).
SYNTHETIC_NE = {
    "type": "FeatureCollection",
    "features": [
        feature(
            "AAA", "AAA", "Squareland", 100, 2019, square(0, 0, 4, 4), square(10, 10, 10.1, 10.1)
        ),
        feature("-99", "AAA", "North Squareland", 10, 2013, square(4, 0, 6, 4)),
        feature("-99", "FRA", "France", 60, 2019, square(0, 40, 5, 45), square(-53, 3, -52, 4)),
        feature("-99", "KOS", "Kosovo", 2, 2019, square(20, 42, 21, 43)),
        feature("TIN", "TIN", "Tinyland", 1, 2019, square(170.001, -1.005, 170.005, -1.001)),
        feature("-99", "-99", "Nowhere", 5, 2019, square(30, 30, 31, 31)),
    ],
}


@pytest.fixture
def ne_file(tmp_path):
    path = tmp_path / "ne_synthetic.json"
    path.write_text(json.dumps(SYNTHETIC_NE))
    return path


@pytest.fixture
def built(ne_file):
    geojson, table = build_boundaries(ne_file, {"AAA", "GUF"})
    return json.loads(geojson), table.set_index("iso3")


def rings(geometry):
    polygons = geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def test_every_coded_feature_is_drawn_once_under_its_iso3(built):
    collection, _ = built
    ids = [f["id"] for f in collection["features"]]
    assert ids == ["AAA", "FRA", "TIN", "XKX"]
    assert [f["properties"]["iso3"] for f in collection["features"]] == ids
    names = [f["properties"]["name"] for f in collection["features"]]
    assert names == ["Squareland", "France", "Tinyland", "Kosovo"]  # NE names unless known


def test_islets_are_dropped_but_a_tiny_island_state_is_kept(built):
    shapes = {f["id"]: f["geometry"] for f in built[0]["features"]}
    # the islet went; the mainland and the breakaway part stay as two polygons of one country
    assert len(shapes["AAA"]["coordinates"]) == 2
    assert len(shapes["FRA"]["coordinates"]) == 2  # 1 deg2 overseas part is above the threshold
    assert abs(signed_area(rings(shapes["TIN"])[0])) > 0


def test_rings_are_clockwise_and_rounded(built):
    for f in built[0]["features"]:
        for ring in rings(f["geometry"]):
            assert signed_area(ring) < 0, f["id"]
            decimals = 3 if f["id"] == "TIN" else 2
            assert all(round(v, decimals) == v for point in ring for v in point), f["id"]


def test_table_has_every_drawn_country_and_a_marker_for_the_rest(built):
    _, table = built
    assert list(table.reset_index().columns) == GEO_COLUMNS
    assert sorted(table.index) == ["AAA", "FRA", "GUF", "TIN", "XKX"]
    assert table.loc["AAA", ["population", "population_year"]].tolist() == [110, 2019]
    assert 250_000 < table.loc["AAA", "area_km2"] < 320_000  # 6 x 4 degrees at the equator
    assert 40 < table.loc["FRA", "lat"] < 45 and 0 < table.loc["FRA", "lon"] < 5
    assert table.loc["GUF", ["has_geometry", "lat", "lon"]].tolist() == [False, 3.93, -53.13]
    assert table["has_geometry"].sum() == 4


def test_an_iso3_with_no_shape_and_no_point_stops_the_build(ne_file):
    with pytest.raises(
        ETLError, match=r"no marker position for ZZZ; add it to data/reference/point_locations\.csv"
    ):
        build_boundaries(ne_file, {"AAA", "ZZZ"})


def test_a_file_without_the_code_columns_is_rejected(tmp_path):
    broken = json.loads(json.dumps(SYNTHETIC_NE))
    for f in broken["features"]:
        del f["properties"]["ISO_A3_EH"]
    path = tmp_path / "ne_broken.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(ETLError, match=r"missing Natural Earth column\(s\) \['ISO_A3_EH'\]"):
        build_boundaries(path, set())


def test_base_topojson_has_every_layer_plotly_reads_and_nothing_else():
    topology = json.loads(base_topojson())
    assert topology["type"] == "Topology" and set(BASE_LAYERS) <= set(topology["objects"])
    objects = topology["objects"].values()
    assert all(o == {"type": "GeometryCollection", "geometries": []} for o in objects)
    assert len(base_topojson()) < 1000


def test_committed_point_locations_are_well_formed():
    points = read_points(POINTS_CSV)
    assert points["iso3"].is_unique and points["reason"].str.len().min() > 0
    assert points["lat"].between(-90, 90).all() and points["lon"].between(-180, 180).all()
