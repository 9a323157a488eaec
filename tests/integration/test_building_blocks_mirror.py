"""Building blocks from the real mirror: every value resolves; counts re-derived from raw JSON.

Skips without a mirror (DPI_MIRROR or ../shared/upstream); with CI=true it fails instead.
The counts below are derived independently: plain json and a substring check on the raw
cell, not the module's splitting or spellings.
"""

import json
import re

import pytest

from etl import block_reference, dpga, dpimap
from etl import building_blocks as bb
from etl.fetch import Cache, fetch_all, mirror_opener, url_path
from etl.problems import Problems
from etl.sources import read_manifest, release_files

pytestmark = pytest.mark.integration
RELEASE = "2026-01-15"
# block_id, role, pillar, raw header (whitespace-folded, lower case), needle in the raw cell
RAW_CHECKS = [
    ("x-road", "technology", "data_exchange", "base technical architecture", "x-road"),
    ("uxp", "technology", "data_exchange", "base technical architecture", "uxp"),
    (
        "mosip",
        "technical_support",
        "identity",
        "technical support organizations identified",
        "mosip",
    ),
    (
        "thales",
        "technical_support",
        "identity",
        "technical support organizations identified",
        "thales",
    ),
    (
        "gemalto",
        "technical_support",
        "identity",
        "technical support organizations identified",
        "gemalto",
    ),
    (
        "idemia",
        "technical_support",
        "identity",
        "technical support organizations identified",
        "idemia",
    ),
    ("world-bank", "funder", "identity", "funding organizations identified", "world bank"),
    ("central-bank", "operator", "payments", "operator", "central bank"),
    ("bank-association", "operator", "payments", "operator", "bank association"),
]


@pytest.fixture(scope="module")
def manifest():
    return read_manifest()


@pytest.fixture(scope="module")
def normalised(mirror_dir, manifest, tmp_path_factory):
    """raw_systems and raw_attributes exactly as etl/build.py collect_tables builds them."""
    cache = Cache(tmp_path_factory.mktemp("raw"))
    fetch_all([f.url for f in release_files(manifest)], mirror_opener(mirror_dir), cache)
    problems = Problems()
    tables = dpimap.normalise(manifest, cache, problems)
    problems.raise_if_any()
    return tables["raw_systems"], tables["raw_attributes"]


@pytest.fixture(scope="module")
def components(normalised):
    return bb.system_components(*normalised)  # raises ETLError if any value is unreviewed


@pytest.fixture(scope="module")
def products(mirror_dir, manifest):
    urls = dpga.dpga_product_urls(manifest).values()
    return {url: json.loads((mirror_dir / url_path(url)).read_text()) for url in urls}


def raw_records(mirror_dir, manifest, release, pillar):
    (item,) = [f for f in release_files(manifest) if (f.release, f.pillar) == (release, pillar)]
    return json.loads((mirror_dir / url_path(item.url)).read_text())


def raw_cell(record: dict, header: str) -> str:
    for key, value in record.items():
        if re.sub(r"\s+", " ", key).strip().lower() == header:
            return str(value or "")
    return ""


def test_every_value_in_every_release_resolves(components, manifest):
    releases = set(manifest["dpimap"]["releases"])
    assert set(components["release"]) == releases
    for release in releases:
        roles = set(components.loc[components["release"] == release, "role"])
        assert {"technology", "operator"} <= roles, release
    assert set(components["block_id"]) <= set(block_reference.read_catalogue()["block_id"])
    assert not components.duplicated().any()


@pytest.mark.parametrize(("block_id", "role", "pillar", "header", "needle"), RAW_CHECKS)
def test_counts_re_derived_from_raw_json(
    components, mirror_dir, manifest, block_id, role, pillar, header, needle
):
    records = raw_records(mirror_dir, manifest, RELEASE, pillar)
    expected = sum(needle in raw_cell(record, header).casefold() for record in records)
    mine = components[
        (components["release"] == RELEASE)
        & (components["block_id"] == block_id)
        & (components["role"] == role)
    ]
    assert expected > 0
    assert len(mine) == expected


def test_uxp_and_x_road_records_are_disjoint_in_the_latest_release(components):
    latest = components[components["release"] == RELEASE]
    x_road = set(latest.loc[latest["block_id"] == "x-road", "raw_value"])
    uxp = set(latest.loc[latest["block_id"] == "uxp", "raw_value"])
    assert x_road and uxp and not x_road & uxp


def test_dpga_products_match_every_country(products):
    table = dpga.dpg_deployments(products)  # raises on any unmatched name
    x_road = table[(table["block_id"] == "x-road") & (table["relation"] == "deployed")]
    assert len(x_road) == 14
    assert {"EST", "FIN", "FRO", "KGZ", "PSE", "VNM"} <= set(x_road["iso3"])
    assert set(table["source_id"]) == {dpga.dpga_source_id(url) for url in products}
    named = {
        (url, relation)
        for url, product in products.items()
        for key, relation in dpga.DPGA_RELATIONS.items()
        if any(name.strip() for name in product["locations"][key])
    }
    found = set(zip(table["source_id"], table["relation"], strict=True))
    assert found == {(dpga.dpga_source_id(url), relation) for url, relation in named}
