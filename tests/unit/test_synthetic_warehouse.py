"""The synthetic warehouse (session fixture `warehouse`) holds what other tests rely on.

Each test states one fact of tests/fixtures/synthetic/README.md in SQL; changing the fixture's
files changes these answers, so the README and this file move together.
"""

import json
import shutil

import duckdb
import pytest

from tests import fixtures

FIRST, SECOND, THIRD = "2030-01-15", "2030-04-15", "2030-07-15"
PILLARS = ["data_exchange", "identity", "payments"]
STATUSES = {"implemented", "planned_or_piloted", "none"}


@pytest.fixture(scope="module")
def con(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_three_releases_each_with_all_three_pillars(con):
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), list(pillar ORDER BY pillar)
           FROM releases GROUP BY release ORDER BY release""",
    ) == [(FIRST, PILLARS), (SECOND, PILLARS), (THIRD, PILLARS)]


def test_records_per_release_and_pillar(con):
    counts = rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), pillar, records, regional_records
           FROM quality ORDER BY ALL""",
    )
    assert counts == [
        (FIRST, "data_exchange", 8, 1),
        (FIRST, "identity", 9, 1),
        (FIRST, "payments", 10, 1),
        (SECOND, "data_exchange", 8, 1),
        (SECOND, "identity", 9, 1),
        (SECOND, "payments", 12, 1),
        (THIRD, "data_exchange", 8, 1),
        (THIRD, "identity", 9, 1),
        (THIRD, "payments", 12, 1),
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
        ("COD", "Sub-Saharan Africa", "Low income", "IDA", True),
        ("DEU", "Europe & Central Asia", "High income", None, True),
        ("EST", "Europe & Central Asia", "High income", None, True),
        ("FRA", "Europe & Central Asia", "High income", None, True),
        ("IND", "South Asia", "Lower middle income", "IBRD", True),
        ("KEN", "Sub-Saharan Africa", "Lower middle income", "Blend", True),
        ("KNA", "Latin America & Caribbean", "High income", None, True),
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
    assert assessed == [(r, ["identity", "payments"]) for r in (FIRST, SECOND, THIRD)]
    estonia_payments = rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d') FROM country_status
           WHERE iso3 = 'EST' AND pillar = 'payments' ORDER BY release""",
    )
    assert estonia_payments == [(SECOND,), (THIRD,)]
    assert rows(con, "SELECT count(*) FROM country_status WHERE iso3 IN ('TZA', 'ATA')") == [(0,)]


def test_dpi_like_is_null_before_the_flag_and_set_after(con):
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), count(dpi_like), count(*)
           FROM systems GROUP BY release ORDER BY release""",
    ) == [(FIRST, 0, 27), (SECOND, 29, 29), (THIRD, 29, 29)]
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
    third = rows(
        con, "SELECT pillar, iso3 FROM country_status WHERE release = ? AND dpi_like", THIRD
    )
    assert set(third) == {*dpi_like, ("identity", "FRA")}  # France's ID turns DPI-like


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
        ("COD", None),
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
        ("cbdc", THIRD, "Brazil Synthetic CBDC"),
        ("mobile_money", FIRST, "Kenya Synthetic Mobile Money"),
        ("mobile_money", SECOND, "Kenya Synthetic Mobile Money"),
        ("mobile_money", THIRD, "Kenya Synthetic Mobile Money"),
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


def test_status_changes_between_the_first_two_releases(con):
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


def test_status_and_dpi_like_changes_into_the_third_release(con):
    changes = rows(
        con,
        """SELECT a.iso3, a.pillar, a.status, b.status, a.dpi_like, b.dpi_like
           FROM country_status a JOIN country_status b USING (iso3, pillar)
           WHERE a.release = ? AND b.release = ?
             AND (a.status <> b.status OR a.dpi_like <> b.dpi_like) ORDER BY ALL""",
        SECOND,
        THIRD,
    )
    assert changes == [
        ("COD", "payments", "planned_or_piloted", "implemented", False, False),
        ("FRA", "identity", "implemented", "implemented", False, True),
        ("TUV", "data_exchange", "none", "planned_or_piloted", False, False),
    ]


def test_one_low_income_country_assessed_in_every_pillar(con):
    assert rows(con, "SELECT iso3 FROM countries WHERE income_group = 'Low income'") == [("COD",)]
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), list(status ORDER BY pillar)
           FROM country_status WHERE iso3 = 'COD' GROUP BY release ORDER BY release""",
    ) == [
        (FIRST, ["none", "implemented", "planned_or_piloted"]),
        (SECOND, ["none", "implemented", "planned_or_piloted"]),
        (THIRD, ["none", "implemented", "implemented"]),
    ]


def test_other_spellings_match_by_library_and_by_the_alias_table(con):
    assert rows(
        con,
        """SELECT n.name_raw, n.iso3, n.method, c.name FROM name_matches n
           JOIN countries c USING (iso3) WHERE n.name_raw <> c.name ORDER BY ALL""",
    ) == [
        ("Congo, Dem. Rep.", "COD", "library", "DR Congo"),
        ("Democratic Republic of the Congo", "COD", "library", "DR Congo"),
        ("Saint Kits and Nevis", "KNA", "alias", "St. Kitts and Nevis"),
    ]


def test_a_small_state_has_a_shape_smaller_than_a_marker_needs(con):
    ((area, has_geometry, year),) = rows(
        con, "SELECT area_km2, has_geometry, population_year FROM countries WHERE iso3 = 'KNA'"
    )
    assert has_geometry and 500 < area < 3000  # atlas.categories.SMALL_STATE_KM2 is 3000
    assert year == 2027  # every other population estimate is for 2029


def test_technologies_named_are_x_road_and_wso2_in_every_release(con):
    assert rows(
        con,
        """SELECT iso3, block_id, role, count(*) FROM system_components
           WHERE role = 'technology' GROUP BY ALL ORDER BY ALL""",
    ) == [("EST", "x-road", "technology", 3), ("FRA", "wso2", "technology", 3)]


def test_two_systems_in_a_pillar_give_the_most_advanced_status(con):
    assert rows(
        con,
        """SELECT strftime(release, '%Y-%m-%d'), iso3, pillar, status, system_name, systems
           FROM country_status WHERE systems > 1 ORDER BY ALL""",
    ) == [
        (FIRST, "KEN", "payments", "implemented", "Kenya Synthetic Mobile Money", 2),
        (SECOND, "BRA", "payments", "implemented", "Brazil Synthetic Instant Payments", 2),
        (SECOND, "KEN", "payments", "implemented", "Kenya Synthetic Mobile Money", 2),
        (THIRD, "BRA", "payments", "implemented", "Brazil Synthetic Instant Payments", 2),
        (THIRD, "KEN", "payments", "implemented", "Kenya Synthetic Mobile Money", 2),
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
        ("COD", True, "Yes"),
        ("DEU", True, "Yes, No"),
        ("EST", False, "No"),
        ("FRA", None, "Unknown"),
        ("IND", True, "Yes"),
        ("KEN", True, "Yes"),
        ("TUV", None, "NA"),
    ]


def test_system_components_name_suppliers_from_the_second_release_on(con):
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
    assert [str(r) for (r,) in asked] == [SECOND, THIRD]  # the first release did not ask
    third = rows(
        con,
        """SELECT pillar, iso3, block_id, role FROM system_components
           WHERE release = ? ORDER BY ALL""",
        THIRD,
    )
    second = rows(
        con,
        """SELECT pillar, iso3, block_id, role FROM system_components
           WHERE release = ? ORDER BY ALL""",
        SECOND,
    )
    assert third == second  # the third release repeats the second's suppliers


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
    assert parts == {
        **{iso3: 1 for iso3 in ("ATA", "BRA", "COD", "DEU", "EST", "IND", "KEN", "KNA", "TZA")},
        "FRA": 2,
    }
    # Tuvalu is a marker at data/reference/point_locations.csv; France's is in Europe.
    assert rows(
        con, "SELECT iso3, lat, lon FROM countries WHERE iso3 IN ('TUV', 'FRA') ORDER BY iso3"
    ) == [("FRA", 46.0, 2.244), ("TUV", -8.52, 179.2)]


def test_outcome_indicators_one_beside_each_pillar(con):
    assert rows(con, "SELECT indicator, pillar, unit FROM indicators ORDER BY pillar") == [
        ("IT.NET.USER.ZS", "data_exchange", "%"),
        ("SP.REG.BRTH.ZS", "identity", "%"),
        ("FX.OWN.TOTL.ZS", "payments", "%"),
    ]
    citations = rows(
        con,
        "SELECT s.citation FROM indicators i JOIN sources s USING (source_id) ORDER BY 1",
    )
    assert len(citations) == 3 and all(c.startswith("SYNTHETIC: ") for (c,) in citations)


def test_outcome_values_per_indicator_and_country(con):
    assert rows(
        con,
        """SELECT indicator, list(iso3 || ':' || year || '=' || value ORDER BY iso3, year)
           FROM outcomes GROUP BY indicator ORDER BY indicator""",
    ) == [
        (
            "FX.OWN.TOTL.ZS",
            [
                "BRA:2021=60.0", "BRA:2024=68.0", "EST:2021=92.0", "EST:2024=96.0",
                "FRA:2017=93.0", "FRA:2021=95.0", "IND:2014=40.0", "IND:2021=70.0",
                "IND:2024=80.0", "KEN:2017=55.0", "KEN:2021=65.0", "KEN:2024=75.5",
                "TUV:2014=20.0", "TUV:2021=30.0", "TZA:2021=45.0", "TZA:2024=50.0",
            ],
        ),
        (
            "IT.NET.USER.ZS",
            [
                "BRA:2023=80.0", "DEU:2023=93.0", "EST:2023=91.0", "FRA:2022=86.0",
                "FRA:2023=87.0", "IND:2022=45.0", "IND:2023=50.0", "KEN:2022=30.0",
                "KEN:2023=35.0", "TUV:2016=10.0", "TZA:2023=25.0",
            ],
        ),
        (
            "SP.REG.BRTH.ZS",
            [
                "BRA:2019=96.0", "EST:2018=100.0", "IND:2021=89.0", "KEN:2014=60.0",
                "KEN:2022=76.0", "TUV:2020=50.0", "TZA:2016=26.0",
            ],
        ),
    ]  # fmt: skip


def test_outcome_ids_join_through_the_entity_file_and_gibraltar_is_excluded(con):
    # Tuvalu's id is `tuvalu` (upper-casing would give TUVALU); GIB is not a country here
    assert rows(con, "SELECT count(*) FROM outcomes WHERE iso3 = 'TUV'") == [(4,)]
    assert rows(con, "SELECT indicator, id, values FROM outcome_exclusions") == [
        ("IT.NET.USER.ZS", "gib", 1)
    ]
    assert rows(con, "SELECT count(*) FROM outcome_id_overrides") == [(0,)]
    # no value since 2017 (the outcomes page's rule): TUV internet use, TZA birth registration
    assert rows(
        con,
        """SELECT indicator, iso3 FROM outcomes GROUP BY ALL HAVING max(year) < 2017
           ORDER BY ALL""",
    ) == [("IT.NET.USER.ZS", "TUV"), ("SP.REG.BRTH.ZS", "TZA")]


def test_a_broken_fixture_fails_loudly_with_the_etl_output(tmp_path, monkeypatch):
    broken = tmp_path / "synthetic"
    shutil.copytree(fixtures.SYNTHETIC, broken)
    path = broken / f"dpimap.org/data/{SECOND}/{SECOND}-identity.json"
    path.write_text(path.read_text().replace('"Planned/Piloted"', '"Maybe"'))
    monkeypatch.setattr(fixtures, "SYNTHETIC", broken)
    with pytest.raises(fixtures.FixtureBuildError, match=r"(?s)exited 1.*unknown status 'Maybe'"):
        fixtures.build_synthetic_warehouse(tmp_path / "build")


def test_the_build_stops_when_an_x_road_flag_and_the_reviewed_spellings_disagree(
    warehouse, tmp_path
):
    """etl/warehouse.py CHECKS: the deck's X-Road count (a flag) and the Building blocks page's
    (the reviewed spellings) may never drift apart unnoticed."""
    import shutil

    import duckdb

    from etl.warehouse import CHECKS

    (label,) = [k for k in CHECKS if k.startswith("systems whose X-Road/UXP flag disagrees")]
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute(CHECKS[label]).fetchall() == []
        (flagged,) = con.execute(
            "SELECT count(*) FROM system_attributes WHERE attribute = 'x_road_based' AND value_bool"
        ).fetchone()
        assert flagged > 0
        con.execute(
            "UPDATE system_attributes SET value_bool = false WHERE attribute = 'x_road_based'"
        )
        assert len(con.execute(CHECKS[label]).fetchall()) == flagged
