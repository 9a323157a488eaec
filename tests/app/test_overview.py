"""Overview page and the frame (AppTest): headline figures agree with the warehouse."""

import json
import re

import pytest

from etl.vocabulary import PILLAR_LABELS, PILLARS

PAGES = ["dashboard.py", "pages/overview.py", "pages/map.py", "pages/sources.py"]


def test_headline_counts_agree_with_the_warehouse(run_page, con):
    at = run_page("pages/overview.py")
    assert not at.exception
    latest = con.execute("SELECT max(release) FROM releases").fetchone()[0]
    expected = dict(
        con.execute(
            "SELECT pillar, count(*) FROM country_status WHERE status = 'implemented' "
            "AND release = ? GROUP BY pillar",
            [latest],
        ).fetchall()
    )
    values = {m.label.split(":")[0]: int(m.value.split()[0]) for m in at.metric}
    assert values == {
        "Digital identity": expected["identity"],
        "Data exchange": expected["data_exchange"],
        "Payments": expected["payments"],
    }


def test_stack_map_and_changes(run_page):
    at = run_page("pages/overview.py")
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    names = [t["name"] for t in json.loads(chart.proto.spec)["data"] if t.get("showlegend")]
    assert names[-1] == "All 3 pillars" and "Not counted (no World Bank group)" in names
    assert len(at.tabs) == 3


def test_what_changed_lists_every_status_change_in_the_warehouse(run_page, con):
    at = run_page("pages/overview.py")
    shown = {
        (row["ISO3"], pillar)
        for table, pillar in zip(at.dataframe[-3:], PILLARS, strict=True)
        for _, row in table.value.iterrows()
    }
    changed = set(
        con.execute(
            """
            WITH r AS (SELECT max(release) AS new,
                              (SELECT max(release) FROM releases WHERE release < (SELECT max(release) FROM releases)) AS old
                       FROM releases)
            SELECT a.iso3, a.pillar FROM country_status a, r
            JOIN country_status b ON b.iso3 = a.iso3 AND b.pillar = a.pillar AND b.release = r.old
            WHERE a.release = r.new AND a.status <> b.status
            """
        ).fetchall()
    )
    assert changed and changed <= shown


def test_income_filter_narrows_the_headline(run_page, con, latest):
    world = run_page("pages/overview.py")
    high = run_page("pages/overview.py", query_params={"income": "income:high"})
    assert int(high.metric[0].value.split()[0]) < int(world.metric[0].value.split()[0])
    assert "High income" in high.markdown[0].value
    members, implemented = con.execute(
        "SELECT count(DISTINCT c.iso3), count(s.iso3) FROM countries c LEFT JOIN country_status s "
        "ON s.iso3 = c.iso3 AND s.pillar = 'identity' AND s.status = 'implemented' "
        "AND s.release = CAST(? AS DATE) WHERE c.income_group = 'High income'",
        [latest],
    ).fetchone()
    assert high.metric[0].value == f"{implemented} of {members}"


def test_counts_are_out_of_the_world_banks_list(run_page, con):
    at = run_page("pages/overview.py")
    (counted,) = con.execute("SELECT count(*) FROM countries WHERE region IS NOT NULL").fetchone()
    (everything,) = con.execute("SELECT count(*) FROM countries").fetchone()
    assert counted < everything  # Antarctica is drawn, not counted
    assert all(m.value.endswith(f" of {counted}") for m in at.metric)
    assert any(f"**{counted}** countries and territories" in c.value for c in at.caption)


def test_the_map_switches_to_a_pillar(run_page, con, latest):
    at = run_page("pages/overview.py", query_params={"pillar": "payments"})
    assert not at.exception
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    traces = json.loads(chart.proto.spec)["data"]
    legend = {t["name"]: set(t["locations"]) for t in traces if t.get("showlegend") and "z" in t}
    dpi = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM country_status WHERE pillar = 'payments' AND status = 'implemented' "
            "AND dpi_like AND release = CAST(? AS DATE)",
            [latest],
        ).fetchall()
    }
    assert legend["Implemented, DPI-like"] == dpi
    assert any("Payments: implementation status" in h.value for h in at.subheader)


def test_first_release_has_nothing_to_compare(run_page, con):
    first = con.execute("SELECT strftime(min(release), '%Y-%m-%d') FROM releases").fetchone()[0]
    at = run_page("pages/overview.py", query_params={"release": first})
    assert not at.exception
    assert any("first release" in i.value for i in at.info)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_explains_a_missing_database(run_page, empty_db_path, page):
    at = run_page(page, db=empty_db_path)
    assert not at.exception
    assert any("No warehouse" in w.value for w in at.warning)
    assert any("python -m etl build" in m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_citation(run_page, con, latest, page):
    (citation,) = con.execute(
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()
    assert "Institute for Innovation and Public Purpose" in citation
    at = run_page(page)
    assert not at.exception
    # the release is marked up to follow a map's timeline: read the caption as its text
    shown = [re.sub(r"<[^>]+>", "", c.value) for c in at.caption]
    assert any(f"**Data:** {citation} · Release {latest}" in text for text in shown)


def headline(at) -> dict[str, int]:
    return {m.label.split(":")[0]: int(m.value.split()[0]) for m in at.metric}


def test_income_filter_narrows_the_headline_main_world(run_page, con, latest):
    world = run_page("pages/overview.py")
    low = run_page("pages/overview.py", query_params={"income": "Low income"})
    assert not low.exception
    expected = dict(
        con.execute(
            """
            SELECT pillar, count(*) FILTER (WHERE s.status = 'implemented')
            FROM country_status s JOIN countries c USING (iso3)
            WHERE c.income_group = 'Low income' AND s.release = CAST(? AS DATE)
            GROUP BY pillar
            """,
            [latest],
        ).fetchall()
    )
    assert headline(low) == {PILLAR_LABELS[p]: expected.get(p, 0) for p in PILLARS}
    assert any(headline(low)[k] < v for k, v in headline(world).items())
    assert "Low income" in low.markdown[0].value


def test_first_release_has_nothing_to_compare_main_world(run_page, con):
    (first,) = con.execute("SELECT strftime(min(release), '%Y-%m-%d') FROM releases").fetchone()
    at = run_page("pages/overview.py", query_params={"release": first})
    assert not at.exception
    assert f"release **{first}**." in at.markdown[0].value  # no "(compared with ...)"
    assert any("first release" in i.value for i in at.info)
