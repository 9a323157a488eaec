"""The issue's Done question on the real warehouse: "Among low-income countries, what is median
account ownership where payments DPI is implemented, and where it is not, and how many
countries is that?" — re-derived here with SQL written in the test, and once more from the
raw Findex CSV in the mirror (csv module, joined through the raw entity file), then compared
with what the Adoption and outcomes page shows at its deep link
`outcomes?pillar=payments&income=Low income` (rule: latest value since 2017, and since 2024).
"""

import csv
import statistics
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl.fetch import url_path
from etl.sources import read_manifest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
FX = "FX.OWN.TOTL.ZS"
LABELS = {
    "implemented": "Implemented (DPI-like included)",
    "not_implemented": "Not implemented (no system, planned or piloted)",
    "not_assessed": "Not assessed (no DPI Map record)",
}
ANSWER_SQL = """
    WITH low AS (SELECT iso3 FROM countries WHERE income_group = 'Low income'),
    status AS (
        SELECT l.iso3, CASE WHEN s.status IS NULL THEN 'not_assessed'
                            WHEN s.status = 'implemented' THEN 'implemented'
                            ELSE 'not_implemented' END AS answer
        FROM low l LEFT JOIN country_status s
          ON s.iso3 = l.iso3 AND s.pillar = 'payments' AND s.release = CAST(? AS DATE)
    ),
    account AS (
        SELECT iso3, max(year) AS year, arg_max(value, year) AS value FROM outcomes
        WHERE indicator = 'FX.OWN.TOTL.ZS' AND year >= ? GROUP BY iso3
    )
    SELECT answer, count(*) AS members, count(value) AS n, median(value) AS median,
           min(year) AS first, max(year) AS last
    FROM status LEFT JOIN account USING (iso3) GROUP BY answer
"""


@pytest.fixture(scope="module")
def con(real_con):
    return real_con


@pytest.fixture(scope="module")
def latest(real_latest) -> str:
    return real_latest


def answer(con, release: str, since: int) -> dict[str, tuple]:
    rows = con.execute(ANSWER_SQL, [release, since]).fetchall()
    return {key: rest for key, *rest in rows}


def raw_answer(con, mirror_dir: Path, release: str, since: int) -> dict[str, tuple]:
    """The same answer from the raw Findex CSV, ids joined through the raw entity file (plus
    the one reviewed override, kos -> XKX); only the statuses come from the warehouse."""
    manifest = read_manifest()

    def rows(key):
        path = mirror_dir / url_path(manifest[key]["url"])
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))

    iso3 = {r["country"]: r["iso3166_1_alpha3"] for r in rows("wdi_geo_entities")}
    iso3["kos"] = "XKX"
    latest: dict[str, tuple[int, float]] = {}
    for row in rows("wdi_account_ownership"):
        year, code = int(row["time"]), iso3.get(row["geo"])
        if code and year >= since and year > latest.get(code, (0, 0.0))[0]:
            latest[code] = (year, float(row["fx_own_totl_zs"]))
    status = dict(
        con.execute(
            """SELECT c.iso3, coalesce(s.status, 'not_assessed') FROM countries c
               LEFT JOIN country_status s ON s.iso3 = c.iso3 AND s.pillar = 'payments'
                AND s.release = CAST(? AS DATE)
               WHERE c.income_group = 'Low income'""",
            [release],
        ).fetchall()
    )
    groups = {"implemented": [], "not_implemented": [], "not_assessed": []}
    for code, word in status.items():
        key = word if word in ("implemented", "not_assessed") else "not_implemented"
        groups[key].append(code)
    out = {}
    for key, codes in groups.items():
        found = [latest[c] for c in codes if c in latest]
        values = [v for _, v in found]
        years = [y for y, _ in found]
        out[key] = (
            len(codes),
            len(found),
            statistics.median(values) if values else None,
            min(years) if years else None,
            max(years) if years else None,
        )
    return {key: value for key, value in out.items() if value[0]}


@pytest.fixture
def page(real_warehouse, monkeypatch):
    monkeypatch.setenv("DPI_DB", str(real_warehouse))
    monkeypatch.syspath_prepend(str(ROOT))
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(**params):
        at = AppTest.from_file(str(ROOT / "pages/outcomes.py"), default_timeout=60)
        at.query_params.update(params)
        return at.run()

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("since", [2017, 2024])
def test_sql_and_the_raw_csv_agree(con, mirror_dir, latest, since):
    from_sql = answer(con, latest, since)
    from_raw = raw_answer(con, mirror_dir, latest, since)
    assert from_sql.keys() == from_raw.keys()
    for key, (members, n, median, first, last) in from_sql.items():
        raw = from_raw[key]
        assert (members, n, first, last) == (raw[0], raw[1], raw[3], raw[4])
        assert median == pytest.approx(raw[2])
    assert from_sql["implemented"][1] > 0 and from_sql["not_implemented"][1] > 0


@pytest.mark.parametrize("since", [2017, 2024])
def test_the_deep_link_answers_the_done_question(page, con, latest, since):
    at = page(pillar="payments", income="Low income", since=str(since))
    assert not at.exception
    # the old label link is read and the address bar switches to the id (a default: left out)
    assert "pillar" not in at.query_params and at.query_params["income"] == "income:low"
    assert at.query_params.get("since") == (None if since == 2017 else str(since))
    expected = answer(con, latest, since)
    captions = "\n".join(c.value for c in at.caption)
    shown = {m.label: m.value for m in at.metric}
    for key, label in LABELS.items():
        members, n, median, first, last = expected.get(key, (0, 0, None, None, None))
        if not n:
            assert shown[label] == "no value"
            continue
        assert shown[label] == f"{median:.1f}%"
        span = str(first) if first == last else f"{first}–{last}"
        of = "country" if n == 1 else "countries"
        assert f"Median of {n} {of} with a value (values {span}), of {members} in the group." in (
            captions
        )
    citation = f"Global Findex Database via World Bank WDI ({FX}); statuses: DPI Map ({latest})."
    assert captions.count(citation) == 3  # under each of the three numbers
    assert "via Gapminder open-numbers" in captions and "CC BY 4.0" in captions
    print(f"since {since}:", {LABELS[k]: v for k, v in expected.items()})
