"""Adoption and outcomes (AppTest) on the synthetic warehouse, and the outcome sections other
pages wire in (map measure, country block, Compare rows). Every number the page states is
re-derived here with SQL written in the test (tests/fixtures/synthetic/README.md lists the
synthetic world's invented values)."""

import io
import json
import shutil
import statistics

import duckdb
import pandas as pd
import pytest
from plotly_spec import values
from streamlit.testing.v1 import AppTest

PAGE = "pages/outcomes.py"
FX, NET, BRTH = "FX.OWN.TOTL.ZS", "IT.NET.USER.ZS", "SP.REG.BRTH.ZS"
IMPLEMENTED = "Implemented (DPI-like included)"
NOT_IMPLEMENTED = "Not implemented (no system, planned or piloted)"
NOT_ASSESSED = "Not assessed (no DPI Map record)"

# Each country's latest value from `since` on, beside its status in one pillar and release:
# written here, independently of atlas.outcome_queries / outcome_tables.
GROUPED = """
    WITH members AS (
        SELECT iso3 FROM countries  -- the universe: the World Bank's groups (no ATA)
        WHERE region IS NOT NULL AND (? IS NULL OR income_group = ?) AND (? IS NULL OR region = ?)
    ),
    status AS (
        SELECT m.iso3,
               CASE WHEN s.status IS NULL THEN 'not_assessed'
                    WHEN s.status = 'implemented' AND s.dpi_like THEN 'dpi_like'
                    ELSE s.status END AS grp
        FROM members m
        LEFT JOIN country_status s
               ON s.iso3 = m.iso3 AND s.pillar = ? AND s.release = CAST(? AS DATE)
    ),
    latest AS (
        SELECT o.iso3, o.year, o.value FROM outcomes o
        WHERE o.indicator = ? AND o.year >= ?
          AND o.year = (SELECT max(year) FROM outcomes x
                        WHERE x.iso3 = o.iso3 AND x.indicator = o.indicator AND x.year >= ?)
    )
    SELECT s.iso3, s.grp, l.year, l.value FROM status s LEFT JOIN latest l USING (iso3)
"""
ANSWER = {
    IMPLEMENTED: {"implemented", "dpi_like"},
    NOT_IMPLEMENTED: {"none", "planned_or_piloted"},
    NOT_ASSESSED: {"not_assessed"},
}


def grouped(con, release, pillar, indicator, since, income=None, region=None) -> pd.DataFrame:
    params = [income, income, region, region, pillar, release, indicator, since, since]
    return con.execute(GROUPED, params).df()


def expected_answer(rows: pd.DataFrame) -> dict[str, tuple]:
    """label -> (countries, countries with a value, median, first year, last year)."""
    out = {}
    for label, groups in ANSWER.items():
        part = rows[rows["grp"].isin(groups)]
        valued = part.dropna(subset=["value"])
        median = statistics.median(valued["value"]) if len(valued) else None
        years = (int(valued["year"].min()), int(valued["year"].max())) if len(valued) else None
        out[label] = (len(part), len(valued), median, years)
    return out


def figure(at, key: str) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    return json.loads(chart.proto.spec)


def table_with(at, column: str) -> pd.DataFrame:
    """The one table on the page that has `column`."""
    (found,) = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def metric(at, label: str):
    (found,) = [m for m in at.metric if m.label == label]
    return found


def check_answer(at, con, release, since, income=None):
    rows = grouped(con, release, "payments", FX, since, income)
    for label, (countries, n, median, years) in expected_answer(rows).items():
        shown = metric(at, label)
        if n:
            assert shown.value == f"{median:.1f}%"
            span = f"{years[0]}" if years[0] == years[1] else f"{years[0]}–{years[1]}"
            of = "country" if n == 1 else "countries"
            assert (
                f"Median of {n} {of} with a value (values {span}), of {countries} in the group."
                in captions(at)
            )
        else:
            assert shown.value == "no value"


# ------------------------------------------------------------------ the page
def test_default_view_answers_for_payments_with_a_short_link(run_page, con, latest):
    at = run_page(PAGE)
    assert not at.exception
    chosen = (at.segmented_control(key="pillar").value, at.selectbox(key="since").value)
    assert chosen == ("payments", 2017)
    assert (at.selectbox(key="x").value, at.selectbox(key="y").value) == (NET, FX)
    assert not {"pillar", "since", "x", "y"} & set(at.query_params)  # defaults: left out
    check_answer(at, con, latest, 2017)
    text = "\n".join(i.value for i in at.info)
    assert "Associations across countries, not effects" in text and "income drives both" in text
    assert any("Rule: each country's latest value from 2017 on." in m.value for m in at.markdown)


def test_every_metric_has_its_citation_and_the_release_under_it(run_page, latest):
    at = run_page(PAGE)
    source = f"Global Findex Database via World Bank WDI ({FX}); statuses: DPI Map ({latest})."
    assert captions(at).count(source) == len(at.metric) == 3
    assert "SYNTHETIC: World Bank, World Development Indicators (FX.OWN.TOTL.ZS" in captions(at)
    assert f"DPI Map ({latest})" in captions(at)


def test_the_distribution_shows_each_countrys_value_by_status_group(run_page, con, latest):
    at = run_page(PAGE)
    rows = grouped(con, latest, "payments", FX, 2017).dropna(subset=["value"])
    fig = figure(at, "distribution_chart")
    labels = {"Not assessed": "not_assessed", "No system": "none",
              "Planned or piloted": "planned_or_piloted", "Implemented": "implemented",
              "Implemented, DPI-like": "dpi_like"}  # fmt: skip
    assert len(fig["data"]) == 5
    for trace in fig["data"]:
        group = labels[trace["name"]]
        expected = sorted(rows.loc[rows["grp"] == group, "value"])
        assert sorted(values(trace.get("y", []))) == expected
        years = sorted(int(c[1]) for c in trace.get("customdata", []))
        assert years == sorted(rows.loc[rows["grp"] == group, "year"].astype(int))
    groups = table_with(at, "Values per year").set_index("Status group")
    for label, group in labels.items():
        everyone = grouped(con, latest, "payments", FX, 2017)
        part = everyone[everyone["grp"] == group]
        assert groups.loc[label, "Countries"] == len(part)
        assert groups.loc[label, "With a value"] == part["value"].notna().sum()


def test_mixed_years_are_flagged_and_one_year_is_one_click_away(run_page, con, latest):
    at = run_page(PAGE)
    years = grouped(con, latest, "payments", FX, 2017)["year"].dropna()
    assert years.nunique() > 1  # the synthetic world mixes 2021 and 2024 under 2017
    (warning,) = at.warning
    assert f"mix values from {int(years.min())} to {int(years.max())}" in warning.value
    one_year = run_page(PAGE, query_params={"since": "2024"})
    assert not one_year.exception and not one_year.warning
    check_answer(one_year, con, latest, 2024)


def test_sidebar_filters_and_an_older_release_change_the_answer(run_page, con):
    first = con.execute("SELECT strftime(min(release), '%Y-%m-%d') FROM releases").fetchone()[0]
    income = "Lower middle income"
    at = run_page(PAGE, query_params={"income": income, "release": first})
    assert not at.exception
    check_answer(at, con, first, 2017, income)
    members = con.execute("SELECT count(*) FROM countries WHERE income_group = ?", [income])
    assert any(f"({members.fetchone()[0]})." in m.value for m in at.markdown)


def test_pillar_and_axes_come_from_the_url_by_id(run_page, con, latest):
    at = run_page(PAGE, query_params={"pillar": "identity", "x": BRTH, "y": NET})
    assert not at.exception
    assert at.segmented_control(key="pillar").value == "identity"
    assert (at.selectbox(key="x").value, at.selectbox(key="y").value) == (BRTH, NET)
    assert at.subheader[0].value.startswith("Completeness of birth registration (%), where")
    scatter = figure(at, "scatter_chart")
    both = con.execute(
        """SELECT count(*) FROM (SELECT iso3 FROM outcomes WHERE year >= 2017
           AND indicator IN (?, ?) GROUP BY iso3 HAVING count(DISTINCT indicator) = 2)""",
        [BRTH, NET],
    ).fetchone()[0]
    assert sum(len(values(t["x"])) for t in scatter["data"]) == both
    assert f"{both} countries with both values under the rule" in captions(at)


def test_unknown_ids_in_the_url_fall_back_to_the_defaults_and_say_so(run_page):
    at = run_page(PAGE, query_params={"pillar": "stack", "x": "NOT.AN.ID", "since": "1900"})
    assert not at.exception
    assert at.segmented_control(key="pillar").value == "payments"
    assert at.selectbox(key="x").value == NET and at.selectbox(key="since").value == 2017
    assert not {"pillar", "since", "x"} & set(at.query_params)  # back to the defaults
    notices = "\n".join(i.value for i in at.info)
    assert "The link's pillar “stack” has no outcome here" in notices
    assert "The link's outcome “NOT.AN.ID” is not an outcome indicator here" in notices
    assert "The link's first year “1900” is not a year of the data" in notices


def test_widgets_rewrite_the_url_with_ids(run_page):
    at = run_page(PAGE)
    at.selectbox(key="y").select(BRTH).run()
    at.segmented_control(key="pillar").set_value("data_exchange").run()
    assert not at.exception
    assert at.query_params["y"] == BRTH and at.query_params["pillar"] == "data_exchange"


def test_the_change_between_waves_follows_when_payments_became_implemented(run_page, con, latest):
    """Each country with two values, grouped by its payments status in the release shown: if
    implemented, by the first release it was; else not implemented / not assessed then."""
    at = run_page(PAGE)
    two = con.execute(
        """
        WITH ranked AS (
            SELECT iso3, year, value, row_number() OVER (PARTITION BY iso3 ORDER BY year DESC) k
            FROM outcomes WHERE indicator = $fx),
        now AS (
            SELECT c.iso3, s.status FROM countries c LEFT JOIN country_status s
              ON s.iso3 = c.iso3 AND s.pillar = 'payments' AND s.release = CAST($r AS DATE)
            WHERE c.region IS NOT NULL)
        SELECT a.iso3, a.value - b.value AS change, now.status, (
            SELECT strftime(min(release), '%Y-%m-%d') FROM country_status s
            WHERE s.iso3 = a.iso3 AND s.pillar = 'payments' AND s.status = 'implemented'
              AND s.release <= CAST($r AS DATE)) AS first_implemented
        FROM ranked a JOIN ranked b ON a.iso3 = b.iso3 AND a.k = 1 AND b.k = 2
        JOIN now ON now.iso3 = a.iso3
        WHERE a.year >= 2017
        """,
        {"fx": FX, "r": latest},
    ).df()
    first = con.execute("SELECT strftime(min(release), '%Y-%m-%d') FROM releases").fetchone()[0]
    two["group"] = [
        ("Not assessed" if pd.isna(status) else "Not implemented") + f" in {latest}"
        if status != "implemented"
        else f"Implemented by {first} (first release)"
        if started == first
        else f"Became implemented in {started}"
        for status, started in zip(two["status"], two["first_implemented"], strict=True)
    ]
    summary = table_with(at, "Waves compared").set_index("When it became implemented")
    shown = summary.loc[summary["Countries"] > 0, "Countries"].to_dict()
    assert shown == two["group"].value_counts().to_dict()  # every group, counted
    for group, part in two.groupby("group"):
        median = summary.loc[group, "Median change (points)"]
        assert median == pytest.approx(part["change"].median(), abs=0.05), group
    assert two["group"].str.startswith("Became implemented").any()  # EST, assessed later


def test_downloads_are_offered_under_each_chart(run_page):
    at = run_page(PAGE)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Download this table (CSV, with its citation)") == 3


def test_a_region_with_no_country_says_so(run_page):
    at = run_page(PAGE, query_params={"region": "UN: Melanesia"})
    assert not at.exception  # the option does not exist in this world: the filter falls back
    at = run_page(PAGE, query_params={"income": "High income", "region": "WB: South Asia"})
    assert not at.exception
    assert any("No country matches these filters" in i.value for i in at.info)


def test_a_warehouse_without_outcome_tables_asks_for_a_rebuild(run_page, warehouse, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse, old)
    with duckdb.connect(str(old)) as connection:
        connection.execute("DROP TABLE outcomes")
    at = run_page(PAGE, db=old)
    assert not at.exception
    assert any("holds no outcome indicators" in i.value for i in at.info)


# ------------------------------------------------------------------ the bundles and sections
@pytest.fixture
def bare(app_db):
    """outcome_figures called directly (bare mode), on the synthetic warehouse."""
    from atlas import db, outcome_figures
    from atlas.selection import Selection

    version = db.current()
    release = db.query(version, "SELECT strftime(max(release), '%Y-%m-%d') AS r FROM releases")
    return outcome_figures, version, Selection(release["r"].iloc[0])


def test_the_distribution_download_is_the_table_behind_the_chart_with_its_citation(bare, con):
    from atlas import tables

    outcome_figures, version, selection = bare
    view = outcome_figures.distribution(version, selection, "payments", 2017)
    data = tables.csv_with_citation(view.table, view.citation).decode()
    table = pd.read_csv(io.StringIO(data))  # one header row, the citation in its own column
    assert set(table["citation"]) == {view.citation}
    assert "SYNTHETIC: World Bank" in view.citation
    assert f"DPI Map ({selection.release})" in view.citation
    rows = grouped(con, selection.release, "payments", FX, 2017).set_index("iso3")
    assert sorted(table["ISO3"]) == sorted(rows.index)
    shown = table.set_index("ISO3")["Year of the value"].dropna().astype(int).to_dict()
    assert shown == rows["year"].dropna().astype(int).to_dict()


def test_outcome_map_measure_colours_by_class_and_outlines_implemented(bare, con):
    """The map explorer's outcome measure (figures.view_map, the path pages and slides use)."""
    from atlas import figures
    from atlas.selection import is_outcome, measure_options

    outcome_figures, version, selection = bare
    measures = [m for m in measure_options(version, "payments") if is_outcome(m)]
    assert measures == [f"outcome:{c}" for c in (BRTH, NET, FX)]
    assert not any(map(is_outcome, ["status", "attr:cbdc", "block", None]))
    view = {"page": "map", "pillar": "payments", "measure": f"outcome:{FX}", "country": "KEN",
            "release": selection.release, "region": "All", "income": "All"}  # fmt: skip
    figure, frame = figures.view_map(version, view, present=False)
    rows = grouped(con, selection.release, "payments", FX, 2017).set_index("iso3")
    areas = {t.name: list(t.locations) for t in figure.data if t.type == "choropleth" and t.name}
    no_data = sorted(rows.index[rows["value"].isna()])
    assert sorted(areas["No data"]) == no_data and "DEU" in no_data  # DEU: no synthetic value
    assert areas["70–80%"] == ["KEN"]  # 75.5 (2024)
    implemented = sorted(rows.index[rows["grp"].isin(["implemented", "dpi_like"])])
    assert sorted(areas["Payments implemented (outline)"]) == implemented
    assert areas["Selected"] == ["KEN"]
    key = [t.name for t in figure.data if t.type == "scattergeo" and t.showlegend]
    assert "Payments implemented (outline)" in key  # the outline has a legend entry
    table, cite = outcome_figures.outcome_map_table(version, view, frame)
    ken = table.set_index("ISO3").loc["KEN"]
    assert (ken["Account ownership (% of population ages 15+)"], ken["Year"]) == (75.5, 2024)
    assert cite.startswith("SYNTHETIC: World Bank") and "KEN" not in cite
    assert "Grey: no value since 2017" in outcome_figures.outcome_map_caption(version, view)
    frames = figures.timeline_frames(version, view, present=False)
    assert [r for r, _ in frames] == [
        r for (r,) in con.execute("SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1").fetchall()
    ]  # fmt: skip


def test_a_filtered_outcome_map_greys_the_countries_outside(bare):
    from atlas import figures

    outcome_figures, version, selection = bare
    view = {"pillar": "identity", "measure": f"outcome:{BRTH}", "release": selection.release,
            "region": "All", "income": "Lower middle income", "since": "2017"}  # fmt: skip
    figure, frame = figures.view_map(version, view, present=True)
    assert sorted(frame["iso3"]) == ["IND", "KEN", "TZA"]
    outside = [t for t in figure.data if t.name == "Outside the selection"]
    assert "BRA" in list(outside[0].locations)
    no_data = [list(t.locations) for t in figure.data if t.name == "No data" and t.locations]
    assert no_data == [["TZA"]]  # TZA's birth registration is from 2016, before the rule


def country_section(iso3: str, since: int):
    from atlas import db, outcome_figures
    from atlas.selection import Selection

    version = db.version()
    release = db.query(version, "SELECT strftime(max(release), '%Y-%m-%d') AS r FROM releases")
    outcome_figures.show_country_outcomes(version, Selection(release["r"].iloc[0]), iso3, since)


def test_country_block_latest_value_year_history_and_peers(app_db, con):
    at = AppTest.from_function(country_section, args=("KEN", 2017), default_timeout=30).run()
    assert not at.exception
    table = table_with(at, "Among its region").set_index("Indicator")
    account = table.loc["Account ownership (% of population ages 15+)"]
    assert (account["Latest value"], account["Year"]) == ("75.5% (2024)", 2024)
    region = con.execute(
        """WITH l AS (SELECT o.iso3, arg_max(o.value, o.year) v FROM outcomes o
                      JOIN countries c USING (iso3)
                      WHERE indicator = ? AND year >= 2017 AND c.region = 'Sub-Saharan Africa'
                      GROUP BY o.iso3)
           SELECT count(*), median(v), 1 + count(*) FILTER (v > (SELECT v FROM l WHERE iso3 = 'KEN'))
           FROM l""",
        [FX],
    ).fetchone()
    n, median, rank = region
    assert account["Among its region"].startswith(
        f"{rank}{'st' if rank == 1 else 'nd'} highest of {n} in Sub-Saharan Africa "
        f"(median {median:.1f}%"
    )
    births = table.loc["Completeness of birth registration (%)"]
    assert births["Latest value"] == "76.0% (2022)"
    history = figure(at, "outcome_history")
    points = sum(len(values(t["x"])) for t in history["data"])
    assert points == con.execute("SELECT count(*) FROM outcomes WHERE iso3 = 'KEN'").fetchone()[0]
    assert "SYNTHETIC: World Bank" in captions(at)


def test_country_block_for_a_country_with_no_value_at_all(app_db):
    at = AppTest.from_function(country_section, args=("ATA", 2017), default_timeout=30).run()
    assert not at.exception
    table = table_with(at, "Among its region")
    assert set(table["Latest value"]) == {"no value since 2017"}
    assert any("No outcome value for this country" in i.value for i in at.info)


def compare_section(members: dict):
    from atlas import db, outcome_figures
    from atlas.selection import Selection

    version = db.version()
    release = db.query(version, "SELECT strftime(max(release), '%Y-%m-%d') AS r FROM releases")
    outcome_figures.show_compare_outcomes(version, Selection(release["r"].iloc[0]), members)


def test_compare_outcomes_side_by_side(app_db, con):
    members = {"Tuvalu": ["TUV"], "Income: Lower middle income": ["IND", "KEN", "TZA"]}
    at = AppTest.from_function(compare_section, args=(members,), default_timeout=30).run()
    assert not at.exception
    table = table_with(at, "Indicator").set_index("Indicator")
    internet = table.loc["Individuals using the Internet (% of population)"]
    assert internet["Tuvalu"] == "no value since 2017"  # TUV: 2016 only
    n, median, low, high = con.execute(
        """SELECT count(*), median(v), min(y), max(y) FROM (
               SELECT iso3, arg_max(value, year) v, max(year) y FROM outcomes
               WHERE indicator = ? AND year >= 2017 AND iso3 IN ('IND', 'KEN', 'TZA')
               GROUP BY iso3)""",
        [NET],
    ).fetchone()
    span = str(low) if low == high else f"{low}–{high}"
    assert internet["Income: Lower middle income"] == (
        f"median {median:.1f}% ({n} of 3 countries; values {span})"
    )
    account = table.loc["Account ownership (% of population ages 15+)", "Tuvalu"]
    assert account == "30.0% (2021)"
