"""Map explorer (AppTest, synthetic warehouse): the plotly spec follows the widgets, the link
and the warehouse; every expected set is re-derived here in SQL."""

import io
import json

import pandas as pd
import pytest

from atlas import categories, mapframes, tables
from atlas.selection import Selection
from etl.vocabulary import STATUS_LABELS

PAGE = "pages/map.py"
OUTSIDE = ("Outside the selection", "Not counted (no World Bank group)")
YES_PLANNED = "Yes, but not implemented (planned or no system)"  # a Yes the status does not bear


def map_spec(at) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return json.loads(chart.proto.spec)


def map_traces(at) -> list[dict]:
    return map_spec(at)["data"]


def locations_by_legend(at) -> dict[str, list[str]]:
    """Legend entry -> the countries it colours (the outside places apart, see outside())."""
    return {
        t["name"]: list(t["locations"])
        for t in map_traces(at)
        if t["type"] == "choropleth" and t.get("showlegend")
    }


def outside(at) -> tuple[str, set[str]]:
    """The outside places' legend name and the places themselves."""
    (area,) = [t for t in map_traces(at) if t.get("legendgroup") == "outside" and "z" in t]
    (key,) = [
        t for t in map_traces(at) if t.get("legendgroup") == "outside" and t.get("showlegend")
    ]
    return key["name"], set(area["locations"])


def codes(con, sql: str, params=None) -> set[str]:
    return {row[0] for row in con.execute(sql, params or []).fetchall()}


def test_default_view_colours_every_counted_country_and_outlines_the_rest(run_page, con):
    at = run_page(PAGE)
    assert not at.exception
    legend = locations_by_legend(at)
    assert list(legend) == [
        STATUS_LABELS[k]
        for k in ("not_assessed", "none", "planned_or_piloted", "implemented", "dpi_like")
    ]
    counted = codes(con, "SELECT iso3 FROM countries WHERE region IS NOT NULL")
    assert sorted(iso for v in legend.values() for iso in v) == sorted(counted)
    name, places = outside(at)
    assert name == "Not counted (no World Bank group)"
    assert places == codes(con, "SELECT iso3 FROM countries WHERE region IS NULL") == {"ATA"}
    colours = [
        t["colorscale"][0][1]
        for t in map_traces(at)
        if t["type"] == "choropleth" and t.get("showlegend")
    ]
    assert len(set(colours)) == 5  # "not assessed" never shares a colour with "no system"
    assert categories.OUTSIDE_COLOUR not in colours


def test_payments_link_by_id_matches_the_warehouse(run_page, con, latest):
    at = run_page(PAGE, query_params={"pillar": "payments"})
    assert at.query_params["pillar"] == "payments"  # kept, as an id
    legend = locations_by_legend(at)
    implemented = codes(
        con,
        "SELECT iso3 FROM country_status JOIN countries USING (iso3) WHERE pillar = 'payments' "
        "AND status = 'implemented' AND region IS NOT NULL AND release = CAST(? AS DATE)",
        [latest],
    )
    shown = set(legend[STATUS_LABELS["implemented"]]) | set(legend[STATUS_LABELS["dpi_like"]])
    assert shown == implemented
    dpi = codes(
        con,
        "SELECT iso3 FROM country_status WHERE pillar = 'payments' AND status = 'implemented' "
        "AND dpi_like AND release = CAST(? AS DATE)",
        [latest],
    )
    assert set(legend[STATUS_LABELS["dpi_like"]]) == dpi == {"BRA", "IND"}
    assert any(m.value.startswith("**Payments · Implementation status**") for m in at.markdown)


def test_switching_pillar_and_measure_repaints(run_page, con, latest):
    at = run_page(PAGE)
    identity = locations_by_legend(at)
    at.segmented_control(key="pillar").set_value("data_exchange").run()
    assert at.query_params["pillar"] == "data_exchange"
    assert identity != locations_by_legend(at)
    at.selectbox(key="measure").select("attr:x_road_based").run()
    assert not at.exception
    assert at.query_params["measure"] == "attr:x_road_based"
    legend = locations_by_legend(at)
    assert list(legend) == [
        "Not assessed (no record)", "Unknown / not applicable", "No", YES_PLANNED, "Yes"
    ]  # fmt: skip
    # The attribute of the system that gives each country its data-exchange status; a Yes
    # counts as Yes where the status is implemented, apart otherwise.
    implemented = codes(
        con,
        "SELECT iso3 FROM country_status WHERE release = CAST(? AS DATE) "
        "AND pillar = 'data_exchange' AND status = 'implemented'",
        [latest],
    )
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
    everyone = codes(con, "SELECT iso3 FROM countries WHERE region IS NOT NULL")
    yes = {iso3 for iso3, v in values.items() if v is True}
    assert set(legend["Yes"]) == yes & implemented == {"EST"}
    assert set(legend[YES_PLANNED]) == yes - implemented
    assert set(legend["No"]) == {iso3 for iso3, v in values.items() if v is False}
    assert set(legend["Unknown / not applicable"]) == {i for i, v in values.items() if v is None}
    assert set(legend["Not assessed (no record)"]) == everyone - set(values)
    unknown = [
        t["colorscale"][0][1]
        for t in map_traces(at)
        if t.get("name") == "Unknown / not applicable" and t["type"] == "choropleth"
    ]
    assert unknown == [categories.YES_NO_COLOURS["unknown"]] != [categories.OUTSIDE_COLOUR]


@pytest.mark.parametrize("measure", ["dpi_like", "DPI-like system"])  # id, older label
def test_dpi_like_before_it_was_assessed_is_never_no(run_page, con, measure):
    # The first release in which no identity system carries the DPI-like flag.
    (release,) = con.execute(
        """
        SELECT strftime(min(release), '%Y-%m-%d') FROM (
            SELECT release FROM systems WHERE pillar = 'identity'
            GROUP BY release HAVING count(dpi_like) = 0)
        """
    ).fetchone()
    assert release, "the warehouse should hold a release from before the DPI-like flag"
    at = run_page(PAGE, query_params={"release": release, "measure": measure})
    assert not at.exception
    legend = locations_by_legend(at)
    assert legend["No"] == [] and legend["Yes"] == []
    recorded = codes(
        con,
        "SELECT iso3 FROM country_status JOIN countries USING (iso3) WHERE pillar = 'identity' "
        "AND region IS NOT NULL AND release = CAST(? AS DATE)",
        [release],
    )
    assert recorded and set(legend["Unknown / not applicable"]) == recorded
    everyone = codes(con, "SELECT iso3 FROM countries WHERE region IS NOT NULL")
    assert set(legend["Not assessed (no record)"]) == everyone - recorded


def test_region_filter_limits_and_zooms_without_clipping(run_page, con):
    at = run_page(PAGE, query_params={"region": "wb:europe-central-asia"})
    shown = {iso for v in locations_by_legend(at).values() for iso in v}
    members = codes(con, "SELECT iso3 FROM countries WHERE region = 'Europe & Central Asia'")
    assert shown == members == {"DEU", "EST", "FRA"}
    caption = [m.value for m in at.markdown if "release" in m.value][0]
    assert caption.endswith(f"Europe & Central Asia ({len(members)} countries)")
    name, places = outside(at)
    assert name == "Outside the selection"
    assert places == codes(con, "SELECT iso3 FROM countries") - members
    geo = map_spec(at)["layout"]["geo"]
    assert "lonaxis" not in geo  # no range: neighbouring land is not cut along straight lines
    assert geo["projection"]["scale"] > 2 and geo["showframe"]
    assert -10 < geo["center"]["lon"] < 30 and 40 < geo["center"]["lat"] < 60


def test_a_country_zooms_in_close(run_page, con):
    at = run_page(PAGE, query_params={"country": "KEN"})
    west, south, east, north = con.execute(
        "SELECT min_lon, min_lat, max_lon, max_lat FROM country_bounds WHERE iso3 = 'KEN'"
    ).fetchone()
    geo = map_spec(at)["layout"]["geo"]
    assert west < geo["center"]["lon"] < east and south < geo["center"]["lat"] < north
    assert geo["projection"]["scale"] > 5


def smallest_country(con) -> tuple[str, str]:
    """(iso3, name) of the smallest country that has a shape on the map."""
    return con.execute(
        "SELECT iso3, name FROM countries WHERE has_geometry ORDER BY area_km2 LIMIT 1"
    ).fetchone()


SMALL_STATE_KM2 = 3000  # the map promises a marker for states smaller than this, or shapeless


@pytest.mark.parametrize(
    ("which", "pillar"), [("shapeless", "payments"), ("smallest", "Payments")]
)  # by ISO3 and id; by name and the older label
def test_selected_country_gets_a_panel_a_highlight_and_markers_for_small_states(
    run_page, con, which, pillar
):
    iso3, name = ("TUV", "Tuvalu") if which == "shapeless" else smallest_country(con)
    link = iso3 if which == "shapeless" else name
    at = run_page(PAGE, query_params={"country": link, "pillar": pillar})
    assert not at.exception
    assert any(m.value.startswith(f"#### {name}") for m in at.markdown)
    traces = map_traces(at)
    assert any(t.get("name") == "Selected" and t["locations"] == [iso3] for t in traces)
    markers = {
        iso
        for t in traces
        if t["type"] == "scattergeo" and "customdata" in t  # not the outside legend's key
        for (iso,) in t["customdata"]
    }
    small = dict(
        con.execute(
            "SELECT iso3, has_geometry FROM countries WHERE NOT has_geometry OR area_km2 < ?",
            [SMALL_STATE_KM2],
        ).fetchall()
    )
    assert set(small.values()) == {True, False}, "need a small shape and a shapeless state"
    assert iso3 in markers and markers == set(small)  # findable, and no other state marked
    links = [p for p in at.get("page_link")] + [m for m in at.markdown if "country?iso3" in m.value]
    assert links  # "Open country profile", on the pillar shown (see test_links_to_profile)


def test_the_profile_link_opens_the_pillar_shown(run_page):
    at = run_page(PAGE, query_params={"country": "KEN", "pillar": "payments"})
    text = "\n".join(m.value for m in at.markdown)
    pages = [p.proto for p in at.get("page_link")]
    assert "iso3=KEN&pillar=payments" in text or any(
        "pillar=payments" in str(p) and "KEN" in str(p) for p in pages
    )


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
    assert at.selectbox(key="release").value in ("latest", latest)  # ids: latest is one
    notices = "\n".join(i.value for i in at.info)
    for value in ("Bogus", "1999-01-01", "Atlantis", "%%%"):
        assert f"“{value}”" in notices


def test_the_table_and_its_download(run_page, con, latest):
    at = run_page(PAGE, query_params={"region": "wb:europe-central-asia", "pillar": "payments"})
    table = at.dataframe[0].value
    assert {"Country", "ISO3", "Status", "DPI-like", "Systems", "Last updated"} <= set(
        table.columns
    )
    assert set(table["ISO3"]) == {"DEU", "EST", "FRA"}
    (button,) = at.get("download_button")
    assert "CSV" in button.proto.label


def test_the_download_opens_in_pandas_with_its_citation(con, latest):
    """The map's CSV, built as the page builds it: one header row, plain values, the selection
    and the citation in columns (no comment line)."""
    countries = con.execute("SELECT * FROM countries").df()
    long = con.execute(
        "SELECT c.iso3, c.name, 'payments' AS pillar, coalesce(s.status, 'not_assessed') AS status, "
        "s.dpi_like, s.system_name, s.system_name AS systems, "
        "CAST(NULL AS VARCHAR) AS last_updated FROM countries c "
        "LEFT JOIN country_status s ON s.iso3 = c.iso3 AND s.pillar = 'payments' "
        "AND s.release = CAST(? AS DATE) WHERE c.region = 'Europe & Central Asia'",
        [latest],
    ).df()
    frame = mapframes.pillar_map_frame(long, countries, "payments")
    cite = "DPI Map (synthetic). Test."
    data = tables.csv_download(tables.map_download(frame, latest, "payments"), cite, "Europe")
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns[:3]) == ["release", "iso3", "country"]
    assert set(back["iso3"]) == {"DEU", "EST", "FRA"}
    assert (back["citation"] == cite).all() and (back["selection"] == "Europe").all()
    assert set(back["status"]) == {"implemented"}
    name = tables.download_name(
        "payments-status", Selection(latest, "WB: South Asia", "Low income"), "csv"
    )
    assert name == f"dpi-atlas_payments-status_{latest}_wb-south-asia_income-low.csv"


@pytest.mark.parametrize("pillar", ["stack", "All three (stack)"])  # id, older label
def test_stack_view_counts_the_implemented_pillars_of_each_country(run_page, con, latest, pillar):
    at = run_page(PAGE, query_params={"pillar": pillar})
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
    everyone = codes(con, "SELECT iso3 FROM countries WHERE region IS NOT NULL")
    assert set(legend["Not assessed"]) == everyone - set(implemented)
    for label, n in [
        ("No pillar implemented", 0),
        ("1 of 3 pillars", 1),
        ("2 of 3 pillars", 2),
        ("All 3 pillars", 3),
    ]:
        assert set(legend[label]) == {iso3 for iso3, k in implemented.items() if k == n}, label
    assert legend["All 3 pillars"], "some country should have all three pillars"
    caption = [m.value for m in at.markdown if "release" in m.value][0]
    assert caption.startswith(
        "**All three (stack) · pillars implemented** · release"
    )  # no stray **


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
