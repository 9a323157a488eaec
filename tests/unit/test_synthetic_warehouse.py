"""The synthetic warehouse (session fixture `warehouse`) holds what other tests rely on.

Each test states one fact of tests/fixtures/synthetic/README.md in SQL; changing the fixture's
files changes these answers, so the README and this file move together.
"""

import json
import shutil

import duckdb
import pytest

from tests import fixtures

FIRST, SECOND = "2030-01-15", "2030-04-15"
PILLARS = ["data_exchange", "identity", "payments"]
STATUSES = {"implemented", "planned_or_piloted", "none"}


@pytest.fixture(scope="module")
def con(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_two_releases_each_with_all_three_pillars(con):
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), list(pillar ORDER BY pillar)
           FROM releases GROUP BY release ORDER BY release""",
    ) == [(FIRST, PILLARS), (SECOND, PILLARS)]


def test_records_per_release_and_pillar(con):
    counts = rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), pillar, records, regional_records
           FROM quality ORDER BY ALL""",
    )
    assert counts == [
        (FIRST, "data_exchange", 7, 1),
        (FIRST, "identity", 8, 1),
        (FIRST, "payments", 8, 1),
        (SECOND, "data_exchange", 7, 1),
        (SECOND, "identity", 8, 1),
        (SECOND, "payments", 10, 1),
    ]


def test_the_synthetic_manifest_and_a_temporary_cache_were_used(con, warehouse):
    titles = {t for (t,) in rows(con, "SELECT DISTINCT title FROM sources")}
    assert titles and all("SYNTHETIC" in title for title in titles)
    assert (warehouse.parent / "raw" / "checksums.json").is_file()


def test_countries_are_the_synthetic_world_with_world_bank_groups(con):
    assert rows(
        con,
        """SELECT iso3, region, income_group, lending_category, has_geometry
           FROM countries ORDER BY iso3""",
    ) == [
        ("ATA", None, None, None, True),
        ("BRA", "Latin America & Caribbean", "Upper middle income", "IBRD", True),
        ("DEU", "Europe & Central Asia", "High income", None, True),
        ("EST", "Europe & Central Asia", "High income", None, True),
        ("FRA", "Europe & Central Asia", "High income", None, True),
        ("IND", "South Asia", "Lower middle income", "IBRD", True),
        ("KEN", "Sub-Saharan Africa", "Lower middle income", "Blend", True),
        ("TUV", "East Asia & Pacific", "Upper middle income", "IDA", False),
        ("TZA", "Sub-Saharan Africa", "Lower middle income", "IDA", True),
    ]


def test_not_assessed_means_no_country_status_row(con):
    assessed = rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), list(pillar ORDER BY pillar)
           FROM country_status WHERE iso3 = ? GROUP BY release ORDER BY release""",
        "DEU",
    )
    assert assessed == [(FIRST, ["identity", "payments"]), (SECOND, ["identity", "payments"])]
    estonia_payments = rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d') FROM country_status
           WHERE iso3 = 'EST' AND pillar = 'payments'""",
    )
    assert estonia_payments == [(SECOND,)]
    assert rows(con, "SELECT count(*) FROM country_status WHERE iso3 IN ('TZA', 'ATA')") == [(0,)]


def test_dpi_like_is_null_before_the_flag_and_set_after(con):
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), count(dpi_like), count(*)
           FROM systems GROUP BY release ORDER BY release""",
    ) == [(FIRST, 0, 23), (SECOND, 25, 25)]
    dpi_like = rows(
        con,
        """SELECT pillar, iso3 FROM country_status
           WHERE release = ? AND dpi_like ORDER BY ALL""",
        SECOND,
    )
    assert dpi_like == [
        ("data_exchange", "EST"),
        ("identity", "EST"),
        ("identity", "IND"),
        ("identity", "KEN"),
        ("payments", "BRA"),
        ("payments", "IND"),
    ]


def test_regional_records_have_no_iso3(con):
    regional = rows(
        con,
        """SELECT DISTINCT pillar, region_label, iso3 FROM systems
           WHERE region_label IS NOT NULL ORDER BY ALL""",
    )
    assert regional == [
        ("data_exchange", "Africa", None),
        ("identity", "European Union", None),
        ("payments", "European Union", None),
    ]
    assert rows(con, "SELECT count(*) FROM country_status WHERE iso3 IS NULL") == [(0,)]


def test_x_road_based_is_derived_from_the_architecture(con):
    flags = rows(
        con,
        """SELECT iso3, value_bool FROM system_attributes
           WHERE attribute = 'x_road_based' AND release = ? AND iso3 IS NOT NULL
           ORDER BY iso3""",
        SECOND,
    )
    assert flags == [
        ("BRA", None),
        ("EST", True),
        ("FRA", False),
        ("IND", False),
        ("KEN", None),
        ("TUV", None),
    ]


def test_payment_types_give_cbdc_and_mobile_money(con):
    flagged = rows(
        con,
        """SELECT attribute, strftime(release, '%Y-%m-%d'), system_name FROM system_attributes
           WHERE attribute IN ('cbdc', 'mobile_money') AND value_bool ORDER BY ALL""",
    )
    assert flagged == [
        ("cbdc", SECOND, "Brazil Synthetic CBDC"),
        ("mobile_money", FIRST, "Kenya Synthetic Mobile Money"),
        ("mobile_money", SECOND, "Kenya Synthetic Mobile Money"),
    ]


def test_every_status_is_canonical_and_every_one_occurs(con):
    statuses = {s for (s,) in rows(con, "SELECT DISTINCT status FROM systems")}
    assert statuses == STATUSES
    assert statuses == {s for (s,) in rows(con, "SELECT DISTINCT status FROM country_status")}


def test_early_status_words_load_from_the_first_release(con):
    words = {
        w for (w,) in rows(con, "SELECT DISTINCT status_raw FROM systems WHERE release = ?", FIRST)
    }
    assert words == {
        "Active",
        "Implemented",
        "In Progress",
        "NA",
        "Operating at scale",
        "Pilot",
        "Proposed",
        "Rollout",
        "Unknown",
    }


def test_status_changes_between_the_releases(con):
    changes = rows(
        con,
        """SELECT a.iso3, a.pillar, a.status, b.status
           FROM country_status a JOIN country_status b USING (iso3, pillar)
           WHERE a.release = ? AND b.release = ? AND a.status <> b.status ORDER BY ALL""",
        FIRST,
        SECOND,
    )
    assert changes == [
        ("KEN", "data_exchange", "planned_or_piloted", "implemented"),
        ("KEN", "identity", "planned_or_piloted", "implemented"),
        ("TUV", "identity", "none", "planned_or_piloted"),
    ]


def test_two_systems_in_a_pillar_give_the_most_advanced_status(con):
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), iso3, pillar, status, system_name, systems
           FROM country_status WHERE systems > 1 ORDER BY ALL""",
    ) == [
        (FIRST, "KEN", "payments", "implemented", "Kenya Synthetic Mobile Money", 2),
        (SECOND, "BRA", "payments", "implemented", "Brazil Synthetic Instant Payments", 2),
        (SECOND, "KEN", "payments", "implemented", "Kenya Synthetic Mobile Money", 2),
    ]


def test_yes_no_attribute_has_yes_no_and_unknown(con):
    biometric = rows(
        con,
        """SELECT iso3, value_bool, value_text FROM system_attributes
           WHERE attribute = 'biometric_data' AND release = ? AND iso3 IS NOT NULL
           ORDER BY iso3""",
        SECOND,
    )
    assert biometric == [
        ("BRA", False, "No"),
        ("DEU", True, "Yes, No"),
        ("EST", False, "No"),
        ("FRA", None, "Unknown"),
        ("IND", True, "Yes"),
        ("KEN", True, "Yes"),
        ("TUV", None, "NA"),
    ]


def test_system_components_name_suppliers_in_the_second_release_only(con):
    assert rows(
        con,
        """SELECT release, pillar, iso3, block_id, role FROM system_components
           WHERE release = ? ORDER BY ALL""",
        SECOND,
    ) == [
        (SECOND, "data_exchange", "EST", "x-road", "technology"),
        (SECOND, "data_exchange", "FRA", "wso2", "technology"),
        (SECOND, "identity", "BRA", "thales", "technical_support"),
        (SECOND, "identity", "DEU", "cdpi", "technical_support"),
        (SECOND, "identity", "EST", "cybernetica", "technical_support"),
        (SECOND, "identity", "EST", "domestic-budget", "funder"),
        (SECOND, "identity", "FRA", "idemia", "technical_support"),
        (SECOND, "identity", "KEN", "idemia", "technical_support"),
        (SECOND, "identity", "KEN", "mosip", "technical_support"),
        (SECOND, "identity", "KEN", "world-bank", "funder"),
        (SECOND, "identity", "TUV", "mosip", "technical_support"),
        (SECOND, "identity", "TUV", "undp", "funder"),
        (SECOND, "identity", "TUV", "world-bank", "funder"),
        (SECOND, "identity", None, "european-union", "funder"),
        (SECOND, "identity", None, "thales", "technical_support"),
    ]
    first = rows(con, "SELECT DISTINCT pillar FROM system_components WHERE release = ?", FIRST)
    assert first == [("data_exchange",)]
    asked = rows(
        con,
        """SELECT DISTINCT release FROM system_attributes
           WHERE attribute = 'technical_support_organisations' ORDER BY 1""",
    )
    assert [str(r) for (r,) in asked] == [SECOND]  # the first release did not ask


def test_dpga_products_and_the_evidence_view(con):
    assert rows(con, "SELECT block_id, iso3, relation FROM dpg_deployments ORDER BY ALL") == [
        ("mojaloop", "TZA", "deployed"),
        ("mosip", "IND", "developed"),
        ("mosip", "KEN", "deployed"),
        ("mosip", "TZA", "deployed"),
        ("openg2p", "KEN", "deployed"),
        ("x-road", "DEU", "deployed"),
        ("x-road", "EST", "deployed"),
        ("x-road", "EST", "developed"),
    ]
    assert rows(
        con,
        """SELECT pillar, iso3, block_id, named_by FROM block_evidence
           WHERE release = ? ORDER BY ALL""",
        SECOND,
    ) == [
        ("data_exchange", "DEU", "x-road", "dpga"),
        ("data_exchange", "EST", "x-road", "both"),
        ("identity", "KEN", "mosip", "both"),
        ("identity", "TUV", "mosip", "dpi_map"),
        ("identity", "TZA", "mosip", "dpga"),
        ("payments", "KEN", "openg2p", "dpga"),
        ("payments", "TZA", "mojaloop", "dpga"),
    ]


def test_zero_width_space_is_cleaned_from_a_system_name(con):
    assert rows(
        con, "SELECT DISTINCT system_name FROM systems WHERE iso3 = 'IND' AND pillar = 'identity'"
    ) == [("India Synthetic ID",)]


def test_map_shapes_markers_and_a_country_in_two_parts(con):
    geojson = json.loads(
        rows(con, "SELECT content FROM map_assets WHERE name = 'countries.geojson'")[0][0]
    )
    parts = {f["id"]: len(f["geometry"]["coordinates"]) for f in geojson["features"]}
    assert parts == {"ATA": 1, "BRA": 1, "DEU": 1, "EST": 1, "FRA": 2, "IND": 1, "KEN": 1, "TZA": 1}
    # Tuvalu is a marker at data/reference/point_locations.csv; France's is in Europe.
    assert rows(
        con, "SELECT iso3, lat, lon FROM countries WHERE iso3 IN ('TUV', 'FRA') ORDER BY iso3"
    ) == [("FRA", 46.0, 2.244), ("TUV", -8.52, 179.2)]


def test_a_broken_fixture_fails_loudly_with_the_etl_output(tmp_path, monkeypatch):
    broken = tmp_path / "synthetic"
    shutil.copytree(fixtures.SYNTHETIC, broken)
    path = broken / f"dpimap.org/data/{SECOND}/{SECOND}-identity.json"
    path.write_text(path.read_text().replace('"Planned/Piloted"', '"Maybe"'))
    monkeypatch.setattr(fixtures, "SYNTHETIC", broken)
    with pytest.raises(fixtures.FixtureBuildError, match=r"(?s)exited 1.*unknown status 'Maybe'"):
        fixtures.build_synthetic_warehouse(tmp_path / "build")
