"""Country profile (AppTest): picker <-> URL, systems and attributes, history, peers."""

import json
import re

from etl.vocabulary import PILLAR_LABELS, STATUS_LABELS

PAGE = "pages/country.py"


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def timeline(at) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-timeline")]
    return json.loads(chart.proto.spec)


def test_without_a_country_the_page_asks_for_one(run_page):
    at = run_page(PAGE)
    assert not at.exception
    assert at.selectbox(key="iso3").value is None
    assert any("Pick a country" in i.value for i in at.info)


def test_url_opens_the_profile_with_every_system_and_attribute(run_page, con, latest):
    at = run_page(PAGE, query_params={"iso3": "KEN"})
    assert not at.exception
    assert at.selectbox(key="iso3").value == "KEN"
    assert at.header[0].value == "Kenya (KEN)"
    systems = con.execute(
        "SELECT system_name, url FROM systems WHERE iso3 = 'KEN' AND release = CAST(? AS DATE)",
        [latest],
    ).fetchall()
    text = markdown_text(at)
    for name, url in systems:
        assert name in text
        if url and url.startswith("http"):
            assert f"]({url})" in text  # the official URL is a link
    attributes = con.execute(
        "SELECT count(*) FROM system_attributes WHERE iso3 = 'KEN' AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()[0]
    attribute_tables = [t for t in at.table if "Attribute" in t.value.columns]
    assert sum(len(t.value) for t in attribute_tables) == attributes
    labels = {row for t in attribute_tables for row in t.value["Attribute"]}
    assert "Collects or uses biometric data" in labels


def test_picking_a_country_rewrites_the_url_and_a_link_moves_the_picker(run_page):
    at = run_page(PAGE, query_params={"iso3": "KEN"})
    at.selectbox(key="iso3").select("IND").run()
    assert not at.exception
    assert at.query_params["iso3"] == "IND"
    assert at.header[0].value == "India (IND)"
    at.query_params["iso3"] = "BRA"  # e.g. the map's "Open country profile" link
    at.run()
    assert at.selectbox(key="iso3").value == "BRA"
    assert at.header[0].value == "Brazil (BRA)"


def test_picker_searches_codes_names_and_other_spellings(run_page, con):
    at = run_page(PAGE)
    options = at.selectbox(key="iso3").options
    names = dict(con.execute("SELECT iso3, name FROM countries").fetchall())
    assert len(options) == len(names)
    for iso3, name in names.items():  # the code first, then the name
        assert any(o.startswith(f"{iso3} · {name}") for o in options)
    # data/reference/search_aliases.csv: the official name as another spelling
    assert any(o == "TZA · Tanzania · United Republic of Tanzania" for o in options)


def test_the_pillar_in_the_link_opens_its_tab_and_a_tab_rewrites_the_link(run_page):
    at = run_page(PAGE, query_params={"iso3": "KEN", "pillar": "payments"})
    assert not at.exception
    assert at.session_state["pillar"] == "Payments"
    at.session_state["pillar"] = "Data exchange"  # the visitor opens another tab
    at.run()
    assert at.query_params["pillar"] == "data_exchange"
    at.session_state["pillar"] = "Digital identity"  # the default tab: no parameter
    at.run()
    assert "pillar" not in at.query_params


def test_history_timeline_matches_the_warehouse(run_page, con):
    at = run_page(PAGE, query_params={"iso3": "KEN"})
    fig = timeline(at)
    shown = {}
    for trace in fig["data"]:
        for release, pillar in zip(trace["x"], trace["y"], strict=True):
            shown[(release, pillar)] = trace["name"]
    rows = con.execute(
        "SELECT strftime(release, '%Y-%m-%d'), pillar, status, dpi_like FROM country_status "
        "WHERE iso3 = 'KEN'"
    ).fetchall()
    assert len(shown) == len(rows)
    for release, pillar, status, dpi_like in rows:
        key = "dpi_like" if status == "implemented" and dpi_like else status
        assert shown[(release, PILLAR_LABELS[pillar])] == STATUS_LABELS[key]
    # The releases without the DPI-like flag (categories on the x axis) are shaded, no others.
    ordered = sorted({release for release, _ in shown})
    flag = dict(
        con.execute(
            "SELECT strftime(release, '%Y-%m-%d'), count(dpi_like) > 0 FROM systems "
            "GROUP BY release"
        ).fetchall()
    )
    unflagged = [i for i, release in enumerate(ordered) if not flag[release]]
    assert unflagged and len(unflagged) < len(ordered)
    (shade,) = fig["layout"]["shapes"]
    covered = {i for i in range(len(ordered)) if shade["x0"] < i < shade["x1"]}
    assert covered == set(unflagged)


def test_peers_share_region_and_income_group_and_highlight_the_country(run_page, con):
    at = run_page(PAGE, query_params={"iso3": "KEN"})
    (peers,) = [d for d in at.dataframe if "ISO3" in d.value.columns]
    expected = {
        iso3
        for (iso3,) in con.execute(
            """
            SELECT iso3 FROM countries WHERE (region, income_group) =
                (SELECT (region, income_group) FROM countries WHERE iso3 = 'KEN')
            """
        ).fetchall()
    }
    assert len(expected) > 1 and set(peers.value["ISO3"]) == expected
    styles = peers.proto.arrow_data.styler.styles
    highlighted = {int(row) for row in re.findall(r"_row(\d+)_col", styles)}
    assert highlighted == {peers.value.index[peers.value["ISO3"] == "KEN"][0]}


def test_a_pillar_without_a_record_says_not_assessed(run_page, con, latest):
    (iso3, missing) = con.execute(
        """
        SELECT c.iso3, count(*) FROM countries c
        JOIN country_status s ON s.iso3 = c.iso3 AND s.release = CAST(? AS DATE)
        GROUP BY c.iso3 HAVING count(*) < 3 ORDER BY c.iso3 LIMIT 1
        """,
        [latest],
    ).fetchone()
    at = run_page(PAGE, query_params={"iso3": iso3})
    assert not at.exception
    not_assessed = [i for i in at.info if "not assessed" in i.value]
    assert len(not_assessed) == 3 - missing


def test_a_territory_without_groups_has_no_peers(run_page, con):
    (iso3,) = con.execute(
        "SELECT iso3 FROM countries WHERE region IS NULL AND income_group IS NULL "
        "ORDER BY iso3 LIMIT 1"
    ).fetchone()
    at = run_page(PAGE, query_params={"iso3": iso3})
    assert not at.exception
    assert any("no peers" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "ISO3" in d.value.columns]  # no peers table


def test_the_profile_shows_building_blocks_and_outcomes(run_page, con, latest):
    """The profile's building-block rows and outcome table (their shaping is tested in
    test_blocks_wiring.py and test_outcomes_page.py): here, that the page shows them."""
    at = run_page(PAGE, query_params={"iso3": "KEN"})
    assert not at.exception
    named = {
        name
        for (name,) in con.execute(
            """SELECT DISTINCT b.name FROM system_components c JOIN building_blocks b
               USING (block_id) WHERE c.iso3 = 'KEN' AND c.release = ?""",
            [latest],
        ).fetchall()
    }
    assert named  # the synthetic Kenya's ID names MOSIP and IDEMIA
    shown = " ".join(str(v) for t in at.table for v in t.value.to_numpy().ravel())
    assert all(name in shown for name in named), (named, shown)
    ((value, year),) = con.execute(
        """SELECT value, year FROM outcomes WHERE iso3 = 'KEN' AND indicator = 'FX.OWN.TOTL.ZS'
           ORDER BY year DESC LIMIT 1"""
    ).fetchall()
    (name,) = con.execute(
        "SELECT name FROM indicators WHERE indicator = 'FX.OWN.TOTL.ZS'"
    ).fetchone()
    frames = [d.value for d in at.dataframe]
    text = [" ".join(str(v) for v in f.to_numpy().ravel()) for f in frames]
    (cells,) = [c for c in text if name in c]  # the outcome table: one row per indicator
    assert str(year) in cells and f"{value:g}" in cells
