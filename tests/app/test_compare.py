"""Compare (AppTest, synthetic warehouse): items from the link (ids), add/remove, aggregates
and the sidebar filter checked against the warehouse in SQL."""

import json

from plotly_spec import values

from etl.vocabulary import PILLAR_LABELS, PILLARS, STATUS_LABELS

PAGE = "pages/compare.py"
SSA = "wb:sub-saharan-africa"
SSA_NAME = "Region: Sub-Saharan Africa"


def bars(at) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-compare_chart")]
    return json.loads(chart.proto.spec)


def status_table(at):
    (table,) = [t.value for t in at.table if "Pillar" in t.value.columns]
    return table.set_index("Pillar")


def test_nothing_picked_explains_what_to_do(run_page):
    at = run_page(PAGE)
    assert not at.exception
    assert any("Pick up to six" in i.value for i in at.info)


def test_link_items_are_compared_and_the_aggregate_share_matches_the_warehouse(
    run_page, con, latest
):
    at = run_page(PAGE, query_params={"compare": ["KEN", SSA]})
    assert not at.exception
    assert at.multiselect(key="compare").value == ["KEN", SSA]
    table = status_table(at)
    implemented, assessed, members = con.execute(
        """
        SELECT count(*) FILTER (WHERE s.status = 'implemented'), count(s.iso3), count(*)
        FROM countries c
        LEFT JOIN country_status s
               ON s.iso3 = c.iso3 AND s.pillar = 'payments' AND s.release = CAST(? AS DATE)
        WHERE c.region = 'Sub-Saharan Africa'
        """,
        [latest],
    ).fetchone()
    assert 0 < implemented <= assessed < members  # Tanzania has no record
    expected = f"{implemented / assessed:.0%} implemented ({implemented} of {assessed} assessed"
    assert table.loc["Payments", SSA_NAME].startswith(expected)
    assert f"{members} countries" in table.loc["Payments", SSA_NAME]
    status, system = con.execute(
        "SELECT status, system_name FROM country_status WHERE iso3 = 'KEN' "
        "AND pillar = 'payments' AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()
    assert system in table.loc["Payments", "Kenya"]
    fig = bars(at)
    assert {y for t in fig["data"] for y in t["y"]} == {"Kenya", SSA_NAME}
    kenya = {
        t["name"]: values(t["x"])[t["y"].index("Kenya")] for t in fig["data"] if t["xaxis"] == "x3"
    }
    dpi = con.execute(
        "SELECT dpi_like FROM country_status WHERE iso3 = 'KEN' AND pillar = 'payments' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()[0]
    category = "dpi_like" if status == "implemented" and dpi else status
    assert kenya.pop(STATUS_LABELS[category]) == 100  # one country: one full bar
    assert set(kenya.values()) == {0}


def test_adding_and_removing_items_writes_ids(run_page):
    at = run_page(PAGE, query_params={"compare": ["KEN"]})
    at.multiselect(key="compare").select("IND").select("income:lower-middle").run()
    assert not at.exception
    assert list(status_table(at).columns) == ["Kenya", "India", "Income: Lower middle income"]
    assert at.query_params["compare"] == ["KEN", "IND", "income:lower-middle"]
    at.multiselect(key="compare").unselect("KEN").run()
    assert list(status_table(at).columns) == ["India", "Income: Lower middle income"]
    (attributes,) = [
        t for t in at.dataframe if "Attribute" in t.value.columns and "India" in t.value.columns
    ][:1]
    assert set(attributes.value.columns) == {"Attribute", "India", "Income: Lower middle income"}


def test_at_most_six_items(run_page):
    seven = ["KEN", "IND", "BRA", "EST", "FRA", "DEU", "TUV"]
    at = run_page(PAGE, query_params={"compare": seven})
    assert not at.exception
    assert len(at.multiselect(key="compare").value) == 6


def test_an_aggregate_with_one_member_is_that_country(run_page, con, latest):
    # Within the sidebar filter "Upper middle income", East Asia & Pacific is Tuvalu alone.
    ((iso3, name),) = con.execute(
        "SELECT iso3, name FROM countries WHERE region = 'East Asia & Pacific' "
        "AND income_group = 'Upper middle income'"
    ).fetchall()
    item, label = "wb:east-asia-pacific", "Region: East Asia & Pacific"
    at = run_page(PAGE, query_params={"compare": [item, iso3], "income": "income:upper-middle"})
    assert not at.exception
    table = status_table(at)
    for pillar in table.index:
        cell = table.loc[pillar, label]
        assert cell.endswith("; 1 country)") or cell.startswith("No member assessed")
    fig = bars(at)
    for axis in ("x", "x2", "x3"):
        country = [values(t["x"])[t["y"].index(name)] for t in fig["data"] if t["xaxis"] == axis]
        group = [values(t["x"])[t["y"].index(label)] for t in fig["data"] if t["xaxis"] == axis]
        assert country == group  # the same bar


def test_an_aggregate_with_no_member_in_the_filters_warns(run_page):
    at = run_page(PAGE, query_params={"compare": ["wb:south-asia"], "income": "income:high"})
    assert not at.exception
    assert any("matches the sidebar filters" in w.value for w in at.warning)


def test_the_page_says_how_the_sidebar_filter_applies(run_page):
    at = run_page(PAGE, query_params={"compare": ["KEN", "EST"], "region": SSA})
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "applies to regions and income groups" in text
    assert "outside it: Estonia" in text  # a picked country outside the filter is named
    assert list(status_table(at).columns) == ["Kenya", "Estonia"]  # and still compared


def test_at_most_six_items_main_world(run_page, con):
    seven = [
        tuple(r)
        for r in con.execute(
            "SELECT iso3, name FROM countries WHERE region IS NOT NULL ORDER BY name LIMIT 7"
        ).fetchall()
    ]
    assert len(seven) == 7
    at = run_page(PAGE, query_params={"compare": [name for _, name in seven]})  # old label links
    assert not at.exception
    assert at.multiselect(key="compare").value == [iso3 for iso3, _ in seven[:6]]  # ids
    assert list(status_table(at).columns) == [name for _, name in seven[:6]]


def test_an_aggregate_with_one_member_is_that_country_main_world(run_page, con, latest):
    # A region with several countries, of which one is in the sidebar filter "Low income".
    region, iso3, name = con.execute(
        """
        SELECT c.region, any_value(c.iso3), any_value(c.name) FROM countries c
        WHERE c.income_group = 'Low income' GROUP BY c.region
        HAVING count(*) = 1 AND (SELECT count(*) FROM countries r WHERE r.region = c.region) > 1
        ORDER BY c.region LIMIT 1
        """
    ).fetchone()
    item = f"Region: {region}"
    at = run_page(PAGE, query_params={"compare": [item, name], "income": "Low income"})
    assert not at.exception
    table = status_table(at)
    statuses = dict(
        con.execute(
            "SELECT pillar, status FROM country_status WHERE iso3 = ? AND release = CAST(? AS DATE)",
            [iso3, latest],
        ).fetchall()
    )
    assert statuses, f"{iso3} should be assessed in {latest}"
    for pillar in PILLARS:
        if pillar not in statuses:
            expected = "No member assessed (1 country)"
        elif statuses[pillar] == "implemented":
            expected = "100% implemented (1 of 1 assessed; 1 country)"
        else:
            expected = "0% implemented (0 of 1 assessed; 1 country)"
        assert table.loc[PILLAR_LABELS[pillar], item] == expected
    fig = bars(at)
    for axis in ("x", "x2", "x3"):
        country = [values(t["x"])[t["y"].index(name)] for t in fig["data"] if t["xaxis"] == axis]
        group = [values(t["x"])[t["y"].index(item)] for t in fig["data"] if t["xaxis"] == axis]
        assert country == group  # the same bar


def test_an_aggregate_with_no_member_in_the_filters_warns_main_world(run_page, con):
    (region,) = con.execute(
        """
        SELECT DISTINCT region FROM countries WHERE region IS NOT NULL AND region NOT IN
            (SELECT region FROM countries WHERE income_group = 'Low income' AND region IS NOT NULL)
        ORDER BY region LIMIT 1
        """
    ).fetchone()
    item = f"Region: {region}"
    at = run_page(PAGE, query_params={"compare": [item], "income": "Low income"})
    assert not at.exception
    assert [w.value for w in at.warning] == [f"No country of {item} matches the sidebar filters."]


def test_outcomes_are_compared_side_by_side(run_page, con):
    """Compare's outcome rows (shaped and tested in test_outcomes_page.py): shown on the page,
    with each country's latest value and its year."""
    at = run_page(PAGE, query_params={"compare": ["KEN", "IND"]})
    assert not at.exception
    assert any(s.value == "Outcomes side by side" for s in at.subheader)
    shown = " ".join(str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()) + " ".join(
        str(v) for t in at.table for v in t.value.to_numpy().ravel()
    )
    for iso3 in ("KEN", "IND"):
        ((value, year),) = con.execute(
            """SELECT value, year FROM outcomes WHERE iso3 = ? AND indicator = 'FX.OWN.TOTL.ZS'
               ORDER BY year DESC LIMIT 1""",
            [iso3],
        ).fetchall()
        assert f"{value:g}" in shown and str(year) in shown, (iso3, value, year)
