"""The Building blocks map's categories on a tiny SYNTHETIC world (block_tables.evidence_frame):
for "any open building block", a country whose DPI Map record names one open block and whose
DPGA registry entry lists another counts for both sources, so "the registry lists it" (both +
registry only) never leaves it out."""

import pandas as pd

from atlas import block_tables

LONG = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "name": ["Aland", "Beland", "Celand"],
                     "pillar": "identity", "status": "implemented", "systems": "S"})  # fmt: skip
COUNTRIES = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "area_km2": 1e5, "lat": 0.0,
                          "lon": 0.0, "has_geometry": True})  # fmt: skip
COMPONENTS = pd.DataFrame({"pillar": "identity", "iso3": ["AAA", "BBB"], "block_id": ["mosip", "mosip"],
                           "name": "MOSIP", "system_name": "S", "status": "implemented",
                           "raw_value": "MOSIP"})  # fmt: skip
DEPLOYMENTS = pd.DataFrame({"iso3": ["AAA", "CCC"], "block_id": ["opencrvs", "mosip"],
                            "name": ["OpenCRVS", "MOSIP"], "relation": "deployed"})  # fmt: skip
TECHNOLOGY = pd.DataFrame({"iso3": ["AAA", "BBB"], "raw_value": ["MOSIP", "MOSIP"]})


def categories(block_ids: list[str]) -> dict[str, str]:
    frame = block_tables.evidence_frame(
        LONG, COUNTRIES, COMPONENTS, DEPLOYMENTS, TECHNOLOGY, "identity", block_ids
    )
    return dict(zip(frame["iso3"], frame["category"], strict=True))


def test_any_open_block_counts_a_country_both_sources_place_on_one():
    assert categories(["mosip", "opencrvs"]) == {"AAA": "both", "BBB": "dpi_map", "CCC": "dpga"}


def test_one_block_agrees_only_where_both_sources_name_that_block():
    assert categories(["mosip"]) == {"AAA": "dpi_map", "BBB": "dpi_map", "CCC": "dpga"}
