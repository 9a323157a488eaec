"""Trends (AppTest): the figures and tables follow the widgets and agree with the warehouse."""

import json
import math

import pytest
from plotly_spec import values

from etl.vocabulary import PILLAR_LABELS

PAGE = "pages/trends.py"


def figure(at, key: str) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    return json.loads(chart.proto.spec)


def dataframe(at, column: str):
    """The one table on the page that has `column`."""
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def trace(fig: dict, name: str, axis: str = "x") -> dict:
    (found,) = [t for t in fig["data"] if t.get("name") == name and t.get("xaxis", "x") == axis]
    return found


def scalar(con, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchone()[0]


def releases(con) -> list[str]:
    rows = con.execute("SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1")
    return [r for (r,) in rows.fetchall()]


def test_adoption_lines_match_the_warehouse_and_leave_a_gap_where_not_assessed(run_page, con):
    at = run_page(PAGE)
    assert not at.exception
    fig = figure(at, "trend_chart")
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles[:3] == ["Digital identity", "Data exchange", "Payments"]
    ordered = releases(con)
    implemented = trace(fig, "Implemented (all)", "x")  # first facet: identity
    assert implemented["x"] == ordered
    expected = [
        scalar(
            con,
            "SELECT count(*) FROM country_status WHERE pillar = 'identity' "
            "AND status = 'implemented' AND release = CAST(? AS DATE)",
            [r],
        )
        for r in ordered
    ]
    assert values(implemented["y"]) == expected
    dpi = values(trace(fig, "of which DPI-like", "x")["y"])
    assessed = [
        scalar(
            con,
            "SELECT bool_or(dpi_like IS NOT NULL) FROM systems "
            "WHERE pillar = 'identity' AND release = CAST(? AS DATE)",
            [r],
        )
        for r in ordered
    ]
    assert not all(assessed), "the warehouse should include releases without the DPI-like flag"
    for value, was_assessed in zip(dpi, assessed, strict=True):
        assert math.isnan(value) != was_assessed  # a gap (NaN), never a zero, when not assessed
    shapes = fig["layout"]["shapes"]
    assert len(shapes) == 3 and all(s["type"] == "rect" for s in shapes)
    assert all(s["name"] == "Shaded: DPI-like not assessed" for s in shapes)
    # named once, in the legend, not written over the lines
    assert [s.get("name") for s in shapes if s.get("showlegend")] == [
        "Shaded: DPI-like not assessed"
    ]
    assert not any("not assessed" in t for t in titles)


@pytest.mark.parametrize(
    ("link", "region"),
    [
        ("wb:europe-central-asia", "Europe & Central Asia"),  # by id
        ("WB: Sub-Saharan Africa", "Sub-Saharan Africa"),  # by the label older links carry
    ],
)
def test_region_filter_counts_only_its_countries(run_page, con, link, region):
    at = run_page(PAGE, query_params={"region": link})
    assert not at.exception
    fig = figure(at, "trend_chart")
    members = scalar(con, "SELECT count(*) FROM countries WHERE region = ?", [region])
    assert members == 3 and members < scalar(con, "SELECT count(*) FROM countries")
    for name in ("Implemented (all)", "Planned or piloted", "No system", "Not assessed"):
        customdata = values(trace(fig, name)["customdata"])
        assert {row[1] for row in customdata} == {members}
    last = [values(trace(fig, n)["y"])[-1] for n in ("Implemented (all)", "Planned or piloted")]
    last += [values(trace(fig, n)["y"])[-1] for n in ("No system", "Not assessed")]
    assert sum(last) == members
    implemented = scalar(
        con,
        """
        SELECT count(*) FROM country_status s JOIN countries c USING (iso3)
        WHERE c.region = ? AND s.pillar = 'identity'
          AND s.status = 'implemented' AND s.release = (SELECT max(release) FROM releases)
        """,
        [region],
    )
    assert values(trace(fig, "Implemented (all)")["y"])[-1] == implemented


def test_breakdown_by_income_group_orders_low_to_high(run_page, con):
    at = run_page(PAGE)
    at.segmented_control(key="by").set_value("income_group").run()
    at.segmented_control(key="trend_pillar").set_value("payments").run()
    assert not at.exception
    fig = figure(at, "group_chart")
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    groups = [
        g
        for (g,) in con.execute(
            "SELECT DISTINCT income_group FROM countries WHERE region IS NOT NULL"
        ).fetchall()
    ]
    order = ["Low income", "Lower middle income", "Upper middle income", "High income"]
    assert titles == [g for g in order if g in groups]  # low to high; no "Not classified"
    assert titles == order  # every group has countries in this world
    shares = values(trace(fig, "Implemented (all)", "x")["y"])
    assert all(0 <= s <= 100 for s in shares)
    # The first facet (Low income): its share implemented in every release, from the warehouse.
    expected = [
        100 * share
        for (share,) in con.execute(
            """
            SELECT count(*) FILTER (WHERE s.status = 'implemented') / count(*)
            FROM releases r CROSS JOIN countries c
            LEFT JOIN country_status s
                   ON s.iso3 = c.iso3 AND s.release = r.release AND s.pillar = r.pillar
            WHERE r.pillar = 'payments' AND c.income_group = 'Low income'
            GROUP BY r.release ORDER BY r.release
            """
        ).fetchall()
    ]
    assert shares == pytest.approx(expected)


def test_population_share_matches_the_warehouse(run_page, con):
    at = run_page(PAGE)
    fig = figure(at, "population_chart")
    latest = releases(con)[-1]
    expected = scalar(
        con,
        """
        SELECT sum(c.population) FILTER (WHERE s.status = 'implemented') / sum(c.population)
        FROM countries c
        LEFT JOIN country_status s
               ON s.iso3 = c.iso3 AND s.pillar = 'payments' AND s.release = CAST(? AS DATE)
        WHERE c.population IS NOT NULL AND c.region IS NOT NULL
        """,
        [latest],
    )
    shown = values(trace(fig, "Payments")["y"])[-1]
    assert shown == pytest.approx(expected * 100)
    assert "Natural Earth admin-0 estimates (POP_EST)" in "\n".join(c.value for c in at.caption)
    assert any(population_words(con) in c.value for c in at.caption)


def flagged(con, pillar: str) -> dict[str, bool]:
    """release -> whether its records of `pillar` carry the DPI-like flag."""
    rows = con.execute(
        "SELECT strftime(release, '%Y-%m-%d'), count(dpi_like) > 0 FROM systems "
        "WHERE pillar = ? GROUP BY release",
        [pillar],
    )
    return dict(rows.fetchall())


@pytest.mark.parametrize(("pillar", "moved"), [("identity", 2), ("payments", 1)])
def test_transitions_sum_to_the_countries_assessed_in_both_releases(run_page, con, pillar, moved):
    """Identity: Kenya and Tuvalu change; payments: DR Congo."""
    at = run_page(PAGE)
    ordered = releases(con)
    # From the last release without the DPI-like flag (the first) to the latest release.
    before, after = [r for r in ordered if not flagged(con, pillar)[r]][-1], ordered[-1]
    assert before == ordered[0] and flagged(con, pillar)[after]
    at.selectbox(key="from").set_value(before)
    at.selectbox(key="to").set_value(after)
    at.selectbox(key="flow_pillar").set_value(pillar).run()
    assert not at.exception, at.exception
    both = scalar(
        con,
        """
        SELECT count(*) FROM country_status a JOIN country_status b USING (iso3, pillar)
        WHERE pillar = ? AND a.release = CAST(? AS DATE) AND b.release = CAST(? AS DATE)
        """,
        [pillar, before, after],
    )
    (sankey,) = figure(at, "sankey")["data"]
    assert sum(values(sankey["link"]["value"])) == both
    matrix = dataframe(at, "Total")
    assert matrix["Total"].sum() == both
    # One release did not assess DPI-like: statuses only, no "DPI-like" node.
    assert not any("DPI-like" in label for label in sankey["node"]["label"])
    changed = scalar(
        con,
        """
        SELECT count(*) FROM country_status a JOIN country_status b USING (iso3, pillar)
        WHERE pillar = ? AND a.release = CAST(? AS DATE)
          AND b.release = CAST(? AS DATE) AND a.status <> b.status
        """,
        [pillar, before, after],
    )
    assert changed == moved
    assert len(dataframe(at, "Before")) == moved


def test_transitions_open_on_the_last_releases_with_a_change_or_say_none(run_page, con):
    # A pillar and region in which no country assessed in two releases changed status.
    quiet = con.execute(
        """
        SELECT p.pillar, r.region FROM (SELECT unnest(['identity', 'data_exchange', 'payments'])
            AS pillar) p CROSS JOIN (SELECT DISTINCT region FROM countries
            WHERE region IS NOT NULL) r
        WHERE NOT EXISTS (
            SELECT 1 FROM country_status a JOIN country_status b USING (iso3, pillar)
            JOIN countries c USING (iso3)
            WHERE a.pillar = p.pillar AND c.region = r.region AND a.release < b.release
              AND a.status <> b.status)
        ORDER BY 1, 2 LIMIT 1
        """
    ).fetchone()
    assert quiet, "the synthetic world should have a pillar and region without a change"
    pillar, region = quiet
    at = run_page(PAGE, query_params={"flow_pillar": pillar, "region": f"WB: {region}"})
    assert not at.exception
    assert any(
        f"No country of this selection changed status in {PILLAR_LABELS[pillar].lower()}" in i.value
        for i in at.info
    )
    assert not [d for d in at.dataframe if "Before" in d.value.columns]  # no empty table


def test_split_dpi_like_when_both_releases_assessed_it(con):
    """history.transitions splits DPI-like out only when asked (both releases assessed it)."""
    from atlas import history

    frame = con.execute(
        "SELECT strftime(release, '%Y-%m-%d') AS release, iso3, c.name, pillar, status, dpi_like "
        "FROM country_status JOIN countries c USING (iso3)"
    ).df()
    latest = releases(con)[-1]
    split = history.transitions(frame, "identity", latest, latest, split_dpi=True)
    plain = history.transitions(frame, "identity", latest, latest, split_dpi=False)
    assert set(split.loc[split["iso3"].isin(["EST", "IND", "KEN"]), "after"]) == {"dpi_like"}
    assert "dpi_like" not in set(plain["after"])


def test_a_one_group_breakdown_says_how_to_split_it(run_page):
    at = run_page(PAGE, query_params={"region": "wb:europe-central-asia", "by": "region"})
    assert not at.exception
    assert any(
        "keeps one World Bank region (Europe & Central Asia)" in c.value
        and "break down by income group" in c.value
        for c in at.caption
    )


def test_changelog_lists_every_change_and_the_first_release_has_none(run_page, con):
    ordered = releases(con)
    at = run_page(PAGE, query_params={"release": ordered[-1]})
    log = dataframe(at, "Changed")
    changed_status = scalar(
        con,
        """
        WITH old AS (SELECT * FROM country_status WHERE release = CAST(? AS DATE)),
             new AS (SELECT * FROM country_status WHERE release = CAST(? AS DATE))
        SELECT count(*) FROM old FULL JOIN new USING (iso3, pillar)
        WHERE coalesce(old.status, 'not_assessed') <> coalesce(new.status, 'not_assessed')
        """,
        [ordered[-2], ordered[-1]],
    )
    assert log["Changed"].str.contains("status").sum() == changed_status
    assert len(log) >= changed_status and set(log["Status after"]) - {None}
    first = run_page(PAGE, query_params={"release": ordered[0]})
    assert not first.exception
    assert any("first release" in i.value for i in first.info)


@pytest.mark.parametrize(
    ("link", "region", "income"),
    [
        ({"region": "wb:south-asia", "income": "income:high"}, "South Asia", "High income"),
        (  # the labels older links carry
            {"region": "WB: East Asia & Pacific", "income": "Low income"},
            "East Asia & Pacific",
            "Low income",
        ),
    ],
)
def test_empty_selection_says_so(run_page, con, link, region, income):
    both = "SELECT count(*) FROM countries WHERE region = ? AND income_group = ?"
    assert scalar(con, both, [region, income]) == 0  # no country is in both
    at = run_page(PAGE, query_params=link)
    assert not at.exception
    assert any("No country matches" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def population_words(con) -> str:
    """The years of the universe's population estimates, in the page's words."""
    rows = con.execute(
        "SELECT population_year, count(*) FROM countries WHERE region IS NOT NULL "
        "AND population IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    (members,) = con.execute("SELECT count(*) FROM countries WHERE region IS NOT NULL").fetchone()
    (year, n), others = rows[0], sorted(y for y, _ in rows[1:])
    total = sum(k for _, k in rows)
    without = members - total
    assert without == 1  # Tuvalu: no population estimate
    if others:
        span = f"{others[0]}" if len(others) == 1 else f"{others[0]}–{others[-1]}"
        words = f"{year} estimates for {n} of {total} countries (others {span})"
    else:
        words = f"{year} estimates for {n} countries"
    return f"{words}; {without} without an estimate"
