"""Map explorer (AppTest): the plotly spec follows the widgets, the URL and the warehouse."""

import io
import json

import pandas as pd
import pytest

from etl.vocabulary import STATUS_LABELS

PAGE = "pages/map.py"
SMALL_STATE_KM2 = 3000  # the map promises a marker for states smaller than this, or shapeless


def map_traces(at) -> list[dict]:
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return json.loads(chart.proto.spec)["data"]


def locations_by_legend(at) -> dict[str, list[str]]:
    return {
        t["name"]: list(t["locations"])
        for t in map_traces(at)
        if t["type"] == "choropleth" and t.get("showlegend")
    }


def test_default_view_lists_every_status_category_and_every_country(run_page, con):
    at = run_page(PAGE)
    assert not at.exception
    legend = locations_by_legend(at)
    assert list(legend) == [
        STATUS_LABELS[k]
        for k in ("not_assessed", "none", "planned_or_piloted", "implemented", "dpi_like")
    ]
    (n_countries,) = con.execute("SELECT count(*) FROM countries").fetchone()
    assert sum(len(v) for v in legend.values()) == n_countries
    colours = {
        t["name"]: t["colorscale"][0][1]
        for t in map_traces(at)
        if t["type"] == "choropleth" and t.get("showlegend")
    }
    assert len(set(colours.values())) == 5  # "not assessed" never shares a colour with "no system"


def test_payments_deep_link_matches_the_warehouse(run_page, con, latest):
    at = run_page(PAGE, query_params={"pillar": "Payments"})
    legend = locations_by_legend(at)
    expected = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM country_status WHERE pillar = 'payments' AND status = 'implemented' "
            "AND release = CAST(? AS DATE)",
            [latest],
        ).fetchall()
    }
    shown = set(legend[STATUS_LABELS["implemented"]]) | set(legend[STATUS_LABELS["dpi_like"]])
    assert shown == expected
    dpi = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM country_status WHERE pillar = 'payments' AND status = 'implemented' "
            "AND dpi_like AND release = CAST(? AS DATE)",
            [latest],
        ).fetchall()
    }
    assert set(legend[STATUS_LABELS["dpi_like"]]) == dpi
    assert "Payments" in at.markdown[0].value or any("Payments" in m.value for m in at.markdown)


def test_switching_pillar_and_measure_repaints(run_page, con, latest):
    at = run_page(PAGE)
    identity = locations_by_legend(at)
    at.segmented_control(key="pillar").set_value("data_exchange").run()
    exchange = locations_by_legend(at)
    assert identity != exchange
    at.selectbox(key="measure").select("attr:x_road_based").run()
    assert not at.exception
    legend = locations_by_legend(at)
    assert list(legend) == ["Not assessed (no record)", "Unknown / not applicable", "No", "Yes"]
    # The attribute of the system that gives each country its data-exchange status.
    values = dict(
        con.execute(
            """
            SELECT cs.iso3, a.value_bool FROM country_status cs
            LEFT JOIN system_attributes a
                   ON a.system_id = cs.system_id AND a.attribute = 'x_road_based'
            WHERE cs.release = CAST(? AS DATE) AND cs.pillar = 'data_exchange'
            """,
            [latest],
        ).fetchall()
    )
    everyone = {iso3 for (iso3,) in con.execute("SELECT iso3 FROM countries").fetchall()}
    assert any(values.values()), "some country should run X-Road"
    assert set(legend["Yes"]) == {iso3 for iso3, v in values.items() if v is True}
    assert set(legend["No"]) == {iso3 for iso3, v in values.items() if v is False}
    assert set(legend["Unknown / not applicable"]) == {i for i, v in values.items() if v is None}
    assert set(legend["Not assessed (no record)"]) == everyone - set(values)


def test_dpi_like_before_it_was_assessed_is_never_no(run_page, con):
    # The first release in which no identity system carries the DPI-like flag.
    (release,) = con.execute(
        """
        SELECT strftime(min(release), '%Y-%m-%d') FROM (
            SELECT release FROM systems WHERE pillar = 'identity'
            GROUP BY release HAVING count(dpi_like) = 0)
        """
    ).fetchone()
    assert release, "the warehouse should hold a release from before the DPI-like flag"
    at = run_page(PAGE, query_params={"release": release, "measure": "DPI-like system"})
    assert not at.exception
    legend = locations_by_legend(at)
    assert legend["No"] == [] and legend["Yes"] == []
    assessed = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM country_status WHERE pillar = 'identity' "
            "AND release = CAST(? AS DATE)",
            [release],
        ).fetchall()
    }
    assert assessed and set(legend["Unknown / not applicable"]) == assessed
    everyone = {iso3 for (iso3,) in con.execute("SELECT iso3 FROM countries").fetchall()}
    assert set(legend["Not assessed (no record)"]) == everyone - assessed


def geo_layout(at) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return json.loads(chart.proto.spec)["layout"]["geo"]


def bounds_of(con, iso3s: set[str]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the countries' shapes, from the warehouse."""
    return con.execute(
        "SELECT min(min_lon), min(min_lat), max(max_lon), max(max_lat) FROM country_bounds "
        "WHERE list_contains(?, iso3)",
        [sorted(iso3s)],
    ).fetchone()


def assert_frames(geo: dict, west: float, south: float, east: float, north: float) -> None:
    """The map shows the whole box, zoomed in from the world view when the box is at most half
    the world wide and high."""
    if "lonaxis" in geo:  # a country or a small region: Mercator with axis ranges
        left, right = geo["lonaxis"]["range"]
        bottom, top = geo["lataxis"]["range"]
        assert left <= west and east <= right and bottom <= south and north <= top, geo
        assert right - left < 180, geo
    else:  # a continent-sized box: the world's projection, centred on it and scaled
        scale = geo["projection"]["scale"]
        assert west <= geo["center"]["lon"] <= east and south <= geo["center"]["lat"] <= north
        assert (east - west) * scale <= 360 and (north - south) * scale <= 180, geo
        if east - west <= 180 and north - south <= 90:
            assert scale > 1, geo


@pytest.mark.parametrize(
    ("param", "value", "where"),
    [
        ("region", "WB: Sub-Saharan Africa", "region = 'Sub-Saharan Africa'"),
        ("income", "High income", "income_group = 'High income'"),  # spread over continents
    ],
)
def test_a_filter_limits_the_map_and_zooms_to_its_countries(run_page, con, param, value, where):
    at = run_page(PAGE, query_params={param: value})
    assert not at.exception
    shown = {iso for v in locations_by_legend(at).values() for iso in v}
    members = {r for (r,) in con.execute(f"SELECT iso3 FROM countries WHERE {where}").fetchall()}
    assert len(members) > 1 and shown == members
    assert_frames(geo_layout(at), *bounds_of(con, members))


def smallest_country(con) -> tuple[str, str]:
    """(iso3, name) of the smallest country that has a shape on the map."""
    return con.execute(
        "SELECT iso3, name FROM countries WHERE has_geometry ORDER BY area_km2 LIMIT 1"
    ).fetchone()


def test_a_country_zooms_in_close(run_page, con):
    iso3, name = smallest_country(con)
    at = run_page(PAGE, query_params={"country": name})
    assert not at.exception
    geo = geo_layout(at)
    assert_frames(geo, *bounds_of(con, {iso3}))
    west, east = geo["lonaxis"]["range"]
    assert east - west < 30


def test_selected_country_gets_a_panel_a_highlight_and_markers_for_small_states(run_page, con):
    iso3, name = smallest_country(con)
    at = run_page(PAGE, query_params={"country": name, "pillar": "Payments"})
    assert not at.exception
    assert any(m.value == f"#### {name}" for m in at.markdown)
    traces = map_traces(at)
    assert any(t.get("name") == "Selected" and t["locations"] == [iso3] for t in traces)
    markers = {iso for t in traces if t["type"] == "scattergeo" for (iso,) in t["customdata"]}
    small = dict(
        con.execute(
            "SELECT iso3, has_geometry FROM countries WHERE NOT has_geometry OR area_km2 < ?",
            [SMALL_STATE_KM2],
        ).fetchall()
    )
    assert set(small.values()) == {True, False}, "need a small shape and a shapeless state"
    assert markers == set(small)  # small or shapeless states stay findable, no others


def test_malformed_parameters_fall_back_to_defaults(run_page, latest):
    at = run_page(
        PAGE,
        query_params={
            "pillar": "Bogus",
            "release": "1999-01-01",
            "country": "Atlantis",
            "measure": "%%%",
        },
    )
    assert not at.exception
    assert at.segmented_control(key="pillar").value == "identity"
    assert at.selectbox(key="country").value is None
    assert at.selectbox(key="measure").value == "status"
    assert at.selectbox(key="release").value == latest


def test_table_download_carries_the_citation(run_page, con, latest, downloads):
    at = run_page(PAGE)
    table = at.dataframe[0].value
    assert {"Country", "ISO3", "Status", "DPI-like", "Systems", "Last updated"} <= set(
        table.columns
    )
    (button,) = at.get("download_button")
    assert "CSV" in button.proto.label
    (citation,) = con.execute(
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()
    first, rest = downloads[button.proto.label].text().split("\n", 1)
    assert first == f"# Source: {citation}"
    csv = pd.read_csv(io.StringIO(rest))
    assert list(csv.columns) == list(table.columns)
    assert sorted(csv["ISO3"]) == sorted(table["ISO3"])  # the table as shown


def test_stack_view_counts_the_implemented_pillars_of_each_country(run_page, con, latest):
    at = run_page(PAGE, query_params={"pillar": "All three (stack)"})
    legend = locations_by_legend(at)
    assert list(legend) == [
        "Not assessed",
        "No pillar implemented",
        "1 of 3 pillars",
        "2 of 3 pillars",
        "All 3 pillars",
    ]
    implemented = dict(
        con.execute(
            "SELECT iso3, count(*) FILTER (WHERE status = 'implemented') FROM country_status "
            "WHERE release = CAST(? AS DATE) GROUP BY iso3",
            [latest],
        ).fetchall()
    )
    everyone = {iso3 for (iso3,) in con.execute("SELECT iso3 FROM countries").fetchall()}
    assert set(legend["Not assessed"]) == everyone - set(implemented)
    for label, n in [
        ("No pillar implemented", 0),
        ("1 of 3 pillars", 1),
        ("2 of 3 pillars", 2),
        ("All 3 pillars", 3),
    ]:
        assert set(legend[label]) == {iso3 for iso3, k in implemented.items() if k == n}, label
    assert legend["All 3 pillars"], "some country should have all three pillars"
