"""Map explorer (AppTest): the plotly spec follows the widgets, the URL and the warehouse."""

import json

from etl.vocabulary import STATUS_LABELS

PAGE = "pages/map.py"


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


def test_switching_pillar_and_measure_repaints(run_page):
    at = run_page(PAGE)
    identity = locations_by_legend(at)
    at.segmented_control(key="pillar").set_value("data_exchange").run()
    exchange = locations_by_legend(at)
    assert identity != exchange
    at.selectbox(key="measure").select("attr:x_road_based").run()
    assert not at.exception
    legend = locations_by_legend(at)
    assert list(legend) == ["Not assessed (no record)", "Unknown / not applicable", "No", "Yes"]
    assert "EST" in legend["Yes"] and "FIN" in legend["Yes"]  # Estonia, Finland run X-Road


def test_dpi_like_before_it_was_assessed_is_never_no(run_page):
    at = run_page(PAGE, query_params={"release": "2024-11-19", "measure": "DPI-like system"})
    legend = locations_by_legend(at)
    assert legend["No"] == [] and legend["Yes"] == []
    assert len(legend["Unknown / not applicable"]) > 150


def test_region_filter_limits_and_zooms(run_page, con):
    at = run_page(PAGE, query_params={"region": "WB: Sub-Saharan Africa"})
    shown = {iso for v in locations_by_legend(at).values() for iso in v}
    members = {
        r
        for (r,) in con.execute(
            "SELECT iso3 FROM countries WHERE region = 'Sub-Saharan Africa'"
        ).fetchall()
    }
    assert shown == members
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    geo = json.loads(chart.proto.spec)["layout"]["geo"]
    assert -10 < geo["center"]["lon"] < 40 and -20 < geo["center"]["lat"] < 10
    assert geo["projection"]["scale"] > 1.5  # zoomed in on Africa, not the whole world


def test_a_country_zooms_in_close(run_page):
    at = run_page(PAGE, query_params={"country": "Jamaica"})
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    geo = json.loads(chart.proto.spec)["layout"]["geo"]
    west, east = geo["lonaxis"]["range"]
    assert west < -78.4 and east > -76.2 and east - west < 30


def test_selected_country_gets_a_panel_a_highlight_and_markers_for_small_states(run_page):
    at = run_page(PAGE, query_params={"country": "Jamaica", "pillar": "Payments"})
    assert not at.exception
    assert any(m.value.startswith("#### Jamaica") for m in at.markdown)
    traces = map_traces(at)
    assert any(t.get("name") == "Selected" and t["locations"] == ["JAM"] for t in traces)
    markers = {iso for t in traces if t["type"] == "scattergeo" for (iso,) in t["customdata"]}
    assert {"BRB", "TUV", "GLP"} <= markers  # small or shapeless states stay findable


def test_malformed_parameters_fall_back_to_defaults(run_page):
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


def test_table_download_carries_the_citation(run_page):
    at = run_page(PAGE)
    table = at.dataframe[0].value
    assert {"Country", "ISO3", "Status", "DPI-like", "Systems", "Last updated"} <= set(
        table.columns
    )
    (button,) = at.get("download_button")
    assert "CSV" in button.proto.label


def test_stack_view(run_page):
    at = run_page(PAGE, query_params={"pillar": "All three (stack)"})
    legend = locations_by_legend(at)
    assert list(legend) == [
        "Not assessed",
        "No pillar implemented",
        "1 of 3 pillars",
        "2 of 3 pillars",
        "All 3 pillars",
    ]
    assert "EST" in legend["All 3 pillars"]
