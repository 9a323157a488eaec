"""Caption facts on the synthetic warehouse: every value equals its independent SQL derivation
(tests/facts_sql.py) in every release and selection, every fact has a definition, no part is
larger than its whole, upstream flags that contradict the status are named and not counted,
X-Road and UXP are counted apart; the Presenter page shows each value next to its definition."""

import shutil
from pathlib import Path

import duckdb
import pytest

from atlas.present import decks, facts
from tests.facts_sql import expected_facts

ROOT = Path(__file__).resolve().parents[2]
SELECTIONS = [
    (None, None),
    ("Sub-Saharan Africa", None),
    ("Europe & Central Asia", None),
    (None, "High income"),
    ("Europe & Central Asia", "High income"),
]


def releases(con) -> list[str]:
    sql = "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1"
    return [r for (r,) in con.execute(sql).fetchall()]


def app_facts(release: str, region: str | None, income: str | None) -> tuple[dict, dict]:
    from atlas import db

    choice = (f"WB: {region}" if region else "All", income or "All")
    return facts.fact_table(db.version(), release, *choice)


@pytest.mark.parametrize(("region", "income"), SELECTIONS)
def test_every_fact_equals_its_sql_derivation(app_db, con, region, income):
    for release in releases(con):
        values, _ = app_facts(release, region, income)
        expected = expected_facts(con, release, region, income)
        assert set(expected) <= set(values), set(expected) - set(values)
        assert {k: values[k] for k in expected} == expected, (release, region, income)


def test_the_synthetic_world_in_words(app_db, con):
    """The README's world, in the facts of the second release."""
    values, _ = app_facts("2030-04-15", None, None)
    assert values["implemented_identity"] == 7  # all but TUV (planned); TZA, ATA, KNA: no record
    assert values["x_road"] == 1 and values["uxp"] == 0 and values["x_road_or_uxp"] == 1
    assert values["newly_implemented"] == 2  # EST payments (first assessed), KEN (two pillars)
    assert values["newly_implemented_names"] == (
        "Estonia (payments), Kenya (digital identity, data exchange)"
    )
    assert values["changed_countries"] == 3  # and TUV: identity none -> planned
    assert values["dpi_like_identity"] == 3  # EST, IND, KEN
    first, _ = app_facts("2030-01-15", None, None)
    assert first["dpi_like_identity"] == facts.PRESENTER_NA  # the flag did not exist yet


@pytest.mark.parametrize(("region", "income"), SELECTIONS)
def test_no_part_is_larger_than_its_whole(app_db, con, region, income):
    for release in releases(con):
        values, _ = app_facts(release, region, income)
        for part, whole in facts.SUBSET_OF:
            if not all(isinstance(values[k], int) for k in (part, whole)):
                continue  # "not assessed", "not in this release": no count to compare
            assert values[part] <= values[whole], (release, region, income, part, whole)
        for pillar in ("identity", "data_exchange"):  # open and vendor-only never overlap
            parts = [values[f"open_block_{pillar}"], values[f"vendor_{pillar}"]]
            if all(isinstance(v, int) for v in parts):
                assert sum(parts) <= values[f"implemented_{pillar}"], (release, pillar)


def test_every_fact_has_a_definition_that_says_what_it_counts(app_db):
    values, words = app_facts("2030-04-15", None, None)
    assert set(words) == set(values)
    for name, text in words.items():
        assert len(text) > 25, name
    assert words["instant_payments"].startswith(
        "Countries in World (release 2030-04-15) whose payments status is implemented"
    )
    assert "planned or piloted" in words["instant_payments"]
    assert "Cybernetica's own product, not X-Road" in words["uxp"]
    assert "DPI-like flag" in words["changed_countries"]


# ------------------------------------------------------------------ a warehouse with a twist
@pytest.fixture
def twisted(warehouse, tmp_path, monkeypatch):
    """The synthetic warehouse with two upstream twists in the second release: Tuvalu's
    payment record (status 'no system') says an active real-time payment system is present,
    and France's data exchange runs on UXP. Connection and DPI_DB point at the copy."""
    copy = tmp_path / "twisted.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            """UPDATE system_attributes SET value_bool = true, value_text = 'Yes'
               WHERE iso3 = 'TUV' AND pillar = 'payments' AND attribute = 'real_time_payments'
                 AND release = DATE '2030-04-15'"""
        )
        con.execute(
            """UPDATE system_attributes SET value_bool = true, value_text = 'UXP'
               WHERE iso3 = 'FRA' AND attribute = 'uxp_based' AND release = DATE '2030-04-15'"""
        )
    monkeypatch.setenv("DPI_DB", str(copy))
    return copy


def test_a_yes_on_a_record_with_no_system_is_named_not_counted(twisted):
    from atlas import queries
    from atlas.db import version

    values, words = app_facts("2030-04-15", None, None)
    with duckdb.connect(str(twisted), read_only=True) as con:
        assert values == values | expected_facts(con, "2030-04-15")
        implemented = con.execute(
            """SELECT count(*) FROM country_status WHERE pillar = 'payments'
               AND status = 'implemented' AND release = DATE '2030-04-15'"""
        ).fetchone()[0]
    assert values["instant_payments_no_system"] == 1
    assert values["instant_payments"] <= implemented  # Tuvalu is not among them
    assert "contradicts their status" in words["instant_payments"]
    assert "no system: Tuvalu" in words["instant_payments"]
    report = queries.quality_report(version())["flags_contradicting_status"]
    assert set(report["country"]) == {"Tuvalu"}


def test_x_road_and_uxp_are_counted_apart(twisted):
    values, _ = app_facts("2030-04-15", None, None)
    assert (values["x_road"], values["uxp"], values["x_road_or_uxp"]) == (1, 1, 2)


# ------------------------------------------------------------------ on the Presenter page
def test_the_presenter_page_shows_each_caption_value_next_to_its_definition(run_page, con):
    at = run_page("pages/present.py")
    assert not at.exception
    (table,) = [t.value for t in at.table if "Definition" in t.value.columns and len(t.value) < 6]
    expected = expected_facts(con, releases(con)[-1])
    assert set(table["Placeholder"]) == {"{all_three_pillars}", "{dpi_like_all_three}"}
    for row in table.itertuples():
        name = row.Placeholder.strip("{}")
        assert row.Value == str(expected[name])
        assert row.Definition.startswith("Countries in World (release")
    everything = next(t.value for t in at.table if len(t.value) > 40)
    assert {"Placeholder", "Value", "Definition"} <= set(everything.columns)


def test_a_warehouse_built_before_the_x_road_uxp_split_is_refused_with_the_fix(
    run_page, warehouse, tmp_path
):
    """An older build has no uxp_based and an x_road_based that counted UXP too: a deck that
    counts X-Road or UXP is refused (never a number that counts the wrong thing)."""
    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse, old)
    with duckdb.connect(str(old)) as con:
        con.execute("DELETE FROM system_attributes WHERE attribute = 'uxp_based'")
        con.execute("DELETE FROM attributes WHERE attribute = 'uxp_based'")
    at = run_page("pages/present.py", db=old)
    assert not at.exception
    (error,) = at.error
    story = decks.load_deck(ROOT / "data" / "decks" / "global-story.toml")
    (number,) = [n for n, s in enumerate(story.slides, 1) if "{uxp}" in s.caption]
    assert (
        f"slide {number}: caption uses {{uxp}}, which this warehouse cannot compute" in error.value
    )
    assert "caption uses {x_road}" in error.value and "python -m etl build" in error.value
