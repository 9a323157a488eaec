"""The data behind two small additions other pages will wire in (synthetic warehouse): the map
explorer's "Building block" measure and the country profile's building blocks per system.
Expected values are the synthetic world's (tests/fixtures/synthetic/README.md), re-derived in
SQL where the README does not state them."""

import pandas as pd
import pytest

from atlas import block_classes, block_queries, db, queries
from atlas.categories import TECH_CLASS_LABELS, map_legend

FIRST, SECOND = "2030-01-15", "2030-04-15"


@pytest.fixture
def version(app_db):
    return db.version()


def measure_frame(version, release, pillar) -> pd.DataFrame:
    """Exactly the wiring the map explorer needs (figures.view_frame, measure 'block')."""
    classes = block_queries.tech_class_by_country(version, release, pillar)
    long = queries.status_long(version, release)
    return block_classes.tech_class_map_frame(long, queries.countries(version), pillar, classes)


def test_building_block_measure_for_identity(version, con):
    frame = measure_frame(version, SECOND, "identity").set_index("iso3")
    assert frame["category"].to_dict() == {
        "ATA": "not_assessed",
        "BRA": "proprietary",  # Thales
        "COD": "not_recorded",  # "NA"
        "KNA": "not_assessed",
        "DEU": "other",  # CDPI: a public body, no product
        "EST": "proprietary",  # Cybernetica
        "FRA": "proprietary",  # IDEMIA
        "IND": "not_recorded",  # "NA"
        "KEN": "open_dpg",  # MOSIP (and IDEMIA)
        "TUV": "open_dpg",  # MOSIP, planned
        "TZA": "not_assessed",
    }
    assert "Names: IDEMIA, MOSIP" in frame.loc["KEN", "hover"]
    words = block_classes.tech_class_words(frame)
    assert words["KEN"] == "Open building block: a digital public good: IDEMIA, MOSIP"
    assert words["IND"] == "Not recorded" and words["TZA"] == "Not assessed (no record)"
    # the map explorer's table (tables.status_table) reads these columns of the frame
    columns = {"name", "status", "dpi_like", "systems", "last_updated"}
    assert columns <= set(frame.columns)
    assert "As written: MOSIP, IDEMIA" in frame.loc["KEN", "hover"]
    assert set(frame["category"]) <= set(map_legend("block"))  # every category has a colour
    # the system that gives each country its status is the one classified
    (status_system,) = con.execute(
        """SELECT system_name FROM country_status
           WHERE release = CAST(? AS DATE) AND iso3 = 'KEN' AND pillar = 'identity'""",
        [SECOND],
    ).fetchone()
    assert status_system == "Kenya Synthetic ID"


def test_building_block_measure_without_the_field_is_never_not_recorded(version, con):
    frame = measure_frame(version, FIRST, "identity").set_index("iso3")["category"]
    statuses = dict(
        con.execute(
            """SELECT iso3, status FROM country_status
               WHERE release = CAST(? AS DATE) AND pillar = 'identity'""",
            [FIRST],
        ).fetchall()
    )
    assert statuses["TUV"] == "none" and {"TZA", "ATA", "KNA"}.isdisjoint(statuses)  # not assessed
    assert {iso3: frame[iso3] for iso3 in statuses} == {
        iso3: "no_system" if status == "none" else "not_published"
        for iso3, status in statuses.items()
    }
    assert map_legend("block")["not_published"][0] == TECH_CLASS_LABELS["not_published"]


def test_building_block_measure_for_data_exchange(version):
    frame = measure_frame(version, SECOND, "data_exchange").set_index("iso3")
    assert frame.loc[["EST", "FRA", "IND", "KEN", "BRA", "DEU"], "category"].tolist() == [
        "open_dpg",  # X-Road
        "open_source",  # WSO2
        "other",  # API Gateway
        "not_recorded",  # implemented, architecture empty
        "no_system",  # status none, architecture empty
        "not_assessed",
    ]


def test_country_profile_blocks_per_system(version, con):
    frame = block_queries.country_blocks(version, SECOND, "KEN")
    (system_id,) = con.execute(
        """SELECT system_id FROM systems WHERE release = CAST(? AS DATE) AND iso3 = 'KEN'
           AND pillar = 'identity'""",
        [SECOND],
    ).fetchone()
    table = block_classes.country_block_table(frame, system_id)
    assert table[["Building block or supplier", "Role", "DPGA registry"]].values.tolist() == [
        ["World Bank", "Funder", "—"],
        ["IDEMIA", "Technical support", "—"],
        ["MOSIP", "Technical support", "deployed"],
    ]
    assert set(table["Source"]) == {
        f"dpimap:{SECOND}:identity",
        f"dpimap:{SECOND}:identity · dpga:modular-open-source-identity-platform.json",
    }
    everything = block_classes.country_block_table(frame)
    registry_only = everything[everything["System"] == "— (DPGA registry only)"]
    assert registry_only[["Pillar", "Building block or supplier", "Source"]].values.tolist() == [
        ["Payments", "OpenG2P", "dpga:openg2p.json"]
    ]


def test_country_profile_of_a_country_only_the_registry_names(version):
    table = block_classes.country_block_table(block_queries.country_blocks(version, SECOND, "TZA"))
    assert sorted(table["Building block or supplier"]) == ["MOSIP", "Mojaloop"]
    assert set(table["System"]) == {"— (DPGA registry only)"}
    assert set(table["DPGA registry"]) == {"deployed"}


def test_country_profile_registry_rows_per_pillar(version):
    frame = block_queries.country_blocks(version, SECOND, "KEN")
    payments = block_classes.registry_block_table(frame, "payments")
    assert payments.values.tolist() == [["OpenG2P", "deployed", "dpga:openg2p.json"]]
    assert block_classes.registry_block_table(frame, "identity").empty  # MOSIP is named
