"""etl.boundaries on the real Natural Earth file of the mirror (DPI_MIRROR, or ../shared/upstream).

Moved from tests/unit/test_boundaries.py, so that the unit tests run without a mirror and
without a skip.
"""

import json

import pytest

from etl.boundaries import build_boundaries
from etl.fetch import url_path
from etl.sources import read_manifest

pytestmark = pytest.mark.integration


def test_real_natural_earth_from_the_mirror(mirror_dir):
    """Skipped without a mirror (conftest's mirror_dir), failed in CI."""
    url = read_manifest()["natural_earth"]["url"]
    ne = mirror_dir / url_path(url)
    markers = {"BES", "GLP", "GUF", "MTQ", "TUV"}
    geojson, table = build_boundaries(ne, {"FRA", "NOR", "XKX", "NRU", "VAT", *markers})
    table = table.set_index("iso3")
    assert len(geojson.encode()) < 400 * 1024
    assert table.loc[["FRA", "NOR", "XKX", "NRU", "VAT"], "has_geometry"].all()
    assert not table.loc[sorted(markers), "has_geometry"].any()
    assert table[["lat", "lon"]].notna().all().all()
    assert len(json.loads(geojson)["features"]) == table["has_geometry"].sum() > 230
