"""etl.outcomes on the real files in the mirror, checked against the raw CSVs read here with the
csv module (not through etl.outcomes), and against the countries of the real warehouse."""

import csv

import duckdb
import pytest

from etl.fetch import url_path
from etl.outcome_reference import EXCLUSIONS_CSV
from etl.outcomes import read_outcomes
from etl.sources import read_manifest

pytestmark = pytest.mark.integration
ACCOUNT = "wdi_account_ownership"
ENTITIES = "wdi_geo_entities"


@pytest.fixture(scope="module")
def known_iso3(real_warehouse):
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        return {iso3 for (iso3,) in con.execute("SELECT iso3 FROM countries").fetchall()}


@pytest.fixture(scope="module")
def outcomes(mirror_dir, known_iso3):
    return read_outcomes(read_manifest(), lambda url: mirror_dir / url_path(url), known_iso3)


def raw_rows(mirror_dir, key: str) -> list[dict]:
    path = mirror_dir / url_path(read_manifest()[key]["url"])
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def committed_exclusions() -> set[str]:
    with EXCLUSIONS_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


def test_countries_with_a_2024_account_ownership_value(mirror_dir, outcomes):
    raw_2024 = {row["geo"] for row in raw_rows(mirror_dir, ACCOUNT) if row["time"] == "2024"}
    assert len(raw_2024) == 139  # as SOURCES.md says for this pinned file
    kept = raw_2024 - committed_exclusions()
    table = outcomes.outcomes
    module_2024 = table[(table["indicator"] == "FX.OWN.TOTL.ZS") & (table["year"] == 2024)]
    # Kosovo's `kos` joins as XKX through data/reference/outcome_id_overrides.csv: none is lost
    assert len(module_2024) == module_2024["iso3"].nunique() == len(kept) == 139


def test_kenya_2024_account_ownership(mirror_dir, outcomes):
    kenya = [r["country"] for r in raw_rows(mirror_dir, ENTITIES) if r["iso3166_1_alpha3"] == "KEN"]
    assert kenya == ["ken"]
    raw = [
        r["fx_own_totl_zs"]
        for r in raw_rows(mirror_dir, ACCOUNT)
        if r["geo"] == "ken" and r["time"] == "2024"
    ]
    assert raw == ["90.11992"]
    table = outcomes.outcomes
    module = table.query("iso3 == 'KEN' and indicator == 'FX.OWN.TOTL.ZS' and year == 2024")
    assert module["value"].tolist() == [pytest.approx(90.11992)]


def test_kosovo_joins_as_xkx_through_the_reviewed_override(mirror_dir, outcomes, known_iso3):
    entity = [r for r in raw_rows(mirror_dir, ENTITIES) if r["country"] == "kos"]
    assert [r["iso3166_1_alpha3"] for r in entity] == [""]  # why the override exists
    assert "XKX" in known_iso3
    raw = sorted(
        (int(r["time"]), float(r["fx_own_totl_zs"]))
        for r in raw_rows(mirror_dir, ACCOUNT)
        if r["geo"] == "kos"
    )
    table = outcomes.outcomes
    module = table.query("iso3 == 'XKX' and indicator == 'FX.OWN.TOTL.ZS'")
    assert list(zip(module["year"], module["value"], strict=True)) == raw and len(raw) == 5
    assert outcomes.overridden.query("id == 'kos'")["values"].sum() == 5 + 2  # FX + Internet


def test_every_raw_value_is_kept_or_excluded_with_a_reason(mirror_dir, outcomes):
    by_indicator = outcomes.outcomes.groupby("indicator").size()
    excluded = outcomes.excluded.groupby("indicator")["values"].sum()
    for key, code in [
        (ACCOUNT, "FX.OWN.TOTL.ZS"),
        ("wdi_birth_registration", "SP.REG.BRTH.ZS"),
        ("wdi_internet_use", "IT.NET.USER.ZS"),
    ]:
        raw = raw_rows(mirror_dir, key)
        assert by_indicator[code] + excluded.get(code, 0) == len(raw)
    assert (outcomes.outcomes["value"].between(0, 100)).all()


def test_every_id_resolves_with_the_committed_exclusions(outcomes, known_iso3):
    # read_outcomes raising would have failed the fixture; here: no exclusion is unused,
    # and every kept row is a country the real_warehouse knows.
    assert set(outcomes.excluded["id"]) == committed_exclusions()
    assert set(outcomes.outcomes["iso3"]) <= known_iso3
    assert outcomes.excluded["reason"].str.len().gt(20).all()
