"""Building blocks page (AppTest, synthetic warehouse): what the page states follows the
warehouse (re-derived here in SQL), the URL holds ids, and "not recorded" is never "no"."""

import io
import json

import pandas as pd
import pytest

from tests.app.plotly_spec import legend, values

PAGE = "pages/blocks.py"


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def iso3s(con, sql: str, *params) -> set[str]:
    return {r[0] for r in rows(con, sql, *params)}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart(at, key: str) -> list[dict]:
    (found,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.key]
    return json.loads(found.proto.spec)["data"]


def named_by_dpi_map(con, release, pillar, block) -> set[str]:
    return iso3s(
        con,
        """SELECT DISTINCT iso3 FROM system_components
           WHERE release = ? AND pillar = ? AND block_id = ? AND iso3 IS NOT NULL""",
        release,
        pillar,
        block,
    )


def listed_by_dpga(con, block) -> set[str]:
    return iso3s(
        con,
        "SELECT iso3 FROM dpg_deployments WHERE block_id = ? AND relation = 'deployed'",
        block,
    )


# ------------------------------------------------------------------ where a block runs
XROAD = {"pillar": "data_exchange"}  # X-Road is the data-exchange default


def test_x_road_for_data_exchange_with_both_sources(run_page, con, latest):
    at = run_page(PAGE, query_params={**XROAD, "block": "x-road"})
    assert not at.exception
    named = named_by_dpi_map(con, latest, "data_exchange", "x-road")
    listed = listed_by_dpga(con, "x-road")
    assert named == {"EST"} and listed == {"EST", "DEU"}  # the synthetic world, as its README says
    assert metrics(at) == {
        "DPI Map names X-Road": f"{len(named)} country",
        "DPGA registry lists it as deployed": f"{len(listed)} countries",
        "Both sources agree": f"{len(named & listed)} country",
    }
    shown = legend(at)
    assert shown["DPI Map and DPGA registry agree"] == named & listed
    assert shown["DPI Map only"] == named - listed
    assert shown["DPGA registry only"] == listed - named
    assert dict(at.query_params) == XROAD  # the block is the pillar's default: left out


def test_not_recorded_is_not_no(run_page, con, latest):
    """Kenya has an implemented data-exchange system whose architecture cell is empty: it is
    'not recorded', never 'no system' or 'other technology'."""
    at = run_page(PAGE, query_params=XROAD)
    shown = legend(at)
    empty = iso3s(
        con,
        """SELECT s.iso3 FROM systems s JOIN system_attributes a USING (system_id)
           WHERE s.release = CAST(? AS DATE) AND s.pillar = 'data_exchange'
             AND a.attribute = 'base_architecture' AND a.value_text IS NULL
             AND s.status <> 'none' AND s.iso3 IS NOT NULL""",
        latest,
    )
    other = iso3s(
        con,
        """SELECT s.iso3 FROM systems s JOIN system_attributes a USING (system_id)
           WHERE s.release = CAST(? AS DATE) AND s.pillar = 'data_exchange'
             AND a.attribute = 'base_architecture' AND a.value_text NOT LIKE '%X-Road%'
             AND s.status <> 'none' AND s.iso3 IS NOT NULL""",
        latest,
    )
    no_system = iso3s(
        con,
        """SELECT iso3 FROM country_status WHERE release = CAST(? AS DATE)
           AND pillar = 'data_exchange' AND status = 'none'""",
        latest,
    )
    # TUV's data exchange turned planned in the third release, its architecture "NA"
    assert empty == {"KEN", "TUV"} and other == {"FRA", "IND"} and no_system == {"BRA", "COD"}
    assert shown["Not recorded"] == empty
    assert shown["Other technology or supplier named"] == other
    assert shown["No system"] == no_system
    assert "TZA" in shown["Not assessed (no record)"]
    assert "ATA" not in set().union(*shown.values())  # outside the universe: not counted
    colours = {
        t["name"]: t["colorscale"][0][1]
        for t in json.loads(
            [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec][0].proto.spec
        )["data"]
        if t["type"] == "choropleth" and t.get("showlegend")
    }
    assert len(set(colours.values())) == len(colours) == 7


def test_the_page_opens_on_mosip_for_identity(run_page, con, latest):
    at = run_page(PAGE)
    assert not at.exception
    named = named_by_dpi_map(con, latest, "identity", "mosip")
    listed = listed_by_dpga(con, "mosip")
    assert named == {"KEN", "TUV"} and listed == {"KEN", "TZA"}
    assert metrics(at)["DPI Map names MOSIP"] == f"{len(named)} countries"
    assert metrics(at)["Both sources agree"] == f"{len(named & listed)} country"
    shown = legend(at)
    assert shown["DPGA registry only"] == {"TZA"} and shown["DPI Map only"] == {"TUV"}
    assert dict(at.query_params) == {}  # defaults stay out of the URL


def test_picking_a_block_writes_its_id_to_the_url(run_page):
    at = run_page(PAGE)
    at.segmented_control(key="pillar").set_value("data_exchange").run()
    assert dict(at.query_params) == XROAD
    at.pills(key="block").set_value("wso2").run()
    assert not at.exception
    assert dict(at.query_params) == {**XROAD, "block": "wso2"}
    assert metrics(at)["DPI Map names WSO2"] == "1 country"  # France
    assert legend(at)["DPI Map only"] == {"FRA"}  # WSO2 is not a registry product
    at.segmented_control(key="pillar").set_value("identity").run()
    assert dict(at.query_params) == {}  # identity and MOSIP: the defaults
    assert "DPI Map names MOSIP" in metrics(at)


def test_an_address_changed_under_the_page_wins(run_page):
    """Back / forward (or an edited address) change ?pillar= without touching the widget."""
    at = run_page(PAGE)
    at.segmented_control(key="pillar").set_value("data_exchange").run()
    assert "DPI Map names X-Road" in metrics(at)
    at.query_params.pop("pillar")  # Back: the address before the click
    at.run()
    assert "DPI Map names MOSIP" in metrics(at) and dict(at.query_params) == {}


def test_a_label_link_still_opens_and_a_wrong_value_says_so(run_page):
    at = run_page(PAGE, query_params={"pillar": "Data exchange", "block": "nonsense"})
    assert not at.exception
    assert "DPI Map names X-Road" in metrics(at)
    notices = "\n".join(i.value for i in at.info)
    assert "The link's block “nonsense” is not a choice here; showing X-Road." in notices
    assert dict(at.query_params) == XROAD  # the label rewritten to the id, the bad block gone


def test_payments_says_the_dpi_map_names_no_technology(run_page, con, latest):
    at = run_page(PAGE, query_params={"pillar": "payments", "block": "any"})
    assert not at.exception
    assert metrics(at)["DPI Map names an open building block"] == "Not recorded"  # never 0
    assert metrics(at)["Both sources agree"] == "—"
    listed = iso3s(
        con,
        """SELECT d.iso3 FROM dpg_deployments d JOIN building_blocks b USING (block_id)
           WHERE d.relation = 'deployed' AND b.pillars LIKE '%payments%'""",
    )
    assert legend(at)["DPGA registry only"] == listed == {"KEN", "TZA"}
    assert any("records no payments technology" in c.value for c in at.caption)


def test_the_page_cites_both_sources_and_says_what_it_cannot_answer(run_page, con, latest):
    at = run_page(PAGE)
    text = " ".join(c.value for c in at.caption) + " ".join(i.value for i in at.info)
    (dpga,) = rows(con, "SELECT DISTINCT citation FROM sources WHERE source = 'dpga'")[0]
    (dpi_map,) = rows(
        con,
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' AND release = ?",
        latest,
    )[0]
    assert dpga in text and dpi_map in text
    assert "never its technology" in text and "undated and incomplete" in text
    first = rows(con, "SELECT strftime(min(release), '%Y-%m-%d') FROM releases")[0][0]
    assert f"identity technical support: not in release {first}" in text


@pytest.fixture
def media(monkeypatch):
    """The in-memory media storage of the next AppTest run (downloads' bytes by URL)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    stores = []

    class Recorded(MemoryMediaFileStorage):
        def __init__(self, endpoint):
            super().__init__(endpoint)
            stores.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recorded)

    def read(url: str) -> bytes:
        return stores[-1].get_file(url.rsplit("/", 1)[-1]).content

    return read


def test_map_table_download_carries_both_citations(run_page, con, latest, media):
    at = run_page(PAGE, query_params=XROAD)
    (button,) = at.get("download_button")
    csv = media(button.proto.url).decode()
    (dpga,) = rows(con, "SELECT DISTINCT citation FROM sources WHERE source = 'dpga'")[0]
    (dpi_map,) = rows(
        con, "SELECT citation FROM sources WHERE source = 'dpimap' AND release = ? LIMIT 1", latest
    )[0]
    back = pd.read_csv(io.StringIO(csv))  # one header row, the citation in its own column
    assert set(back["citation"]) == {f"{dpi_map} | {dpga}"}
    (table,) = at.dataframe
    assert list(table.value["ISO3"]) == ["EST", "DEU"]  # both sources first, then registry only
    assert list(back["ISO3"]) == ["EST", "DEU"]


def test_presentation_mode_draws_the_map_on_a_stage(run_page):
    at = run_page(PAGE, query_params={"present": "1"})
    assert not at.exception
    assert any("choropleth" in c.proto.spec for c in at.get("plotly_chart"))


def test_an_empty_selection_says_so(run_page):
    at = run_page(PAGE, query_params={"region": "WB: South Asia", "income": "High income"})
    assert not at.exception
    assert any("No country matches these filters" in i.value for i in at.info)


# ------------------------------------------------------------------ open or proprietary
def implemented_classes(con, release: str, pillar: str, attribute: str, region=None):
    """(open, digital public goods, systems): implemented country systems whose field names an
    open block, a digital public good, and all implemented systems (SQL, not the app's)."""
    where = "AND k.region = ?" if region else ""
    params = [release, pillar, attribute] + ([region] if region else [])
    found = rows(
        con,
        f"""
        WITH impl AS (
            SELECT s.system_id, s.release, s.pillar, s.iso3, s.system_name
            FROM systems s JOIN countries k USING (iso3)
            WHERE s.release = CAST(? AS DATE) AND s.pillar = ? AND s.status = 'implemented'
              AND EXISTS (SELECT 1 FROM system_attributes a WHERE a.release = s.release
                          AND a.pillar = s.pillar AND a.attribute = ?) {where}
        ),
        kinds AS (
            SELECT i.system_id, list(b.kind) AS kinds
            FROM impl i JOIN system_components c
              ON CAST(c.release AS DATE) = i.release AND c.pillar = i.pillar
             AND c.iso3 = i.iso3 AND c.system_name IS NOT DISTINCT FROM i.system_name
            JOIN building_blocks b USING (block_id)
            GROUP BY i.system_id
        )
        SELECT count(*) FILTER (WHERE list_has_any(kinds, ['open_dpg', 'open_source'])),
               count(*) FILTER (WHERE list_contains(kinds, 'open_dpg')),
               count(*)
        FROM impl LEFT JOIN kinds USING (system_id)
        """,
        *params,
    )
    return found[0]


def test_share_of_implemented_systems_on_open_blocks(run_page, con, latest):
    at = run_page(PAGE, query_params={"section": "share"})
    assert not at.exception
    identity = implemented_classes(con, latest, "identity", "technical_support_organisations")
    exchange = implemented_classes(con, latest, "data_exchange", "base_architecture")
    assert identity == (1, 1, 7) and exchange == (2, 1, 4)  # COD's ID: implemented, "NA"
    shown = metrics(at)
    assert shown["Digital identity"] == f"{identity[0] / identity[2]:.0%}"
    assert shown["Data exchange"] == f"{exchange[0] / exchange[2]:.0%}"
    assert shown["Payments"] == "Not recorded"
    captions = " ".join(c.value for c in at.caption)
    assert (
        f"{identity[0]} of {identity[2]} implemented systems ({identity[1]} a digital" in captions
    )


def test_share_in_sub_saharan_africa(run_page, con, latest):
    region = "Sub-Saharan Africa"
    at = run_page(PAGE, query_params={"section": "share", "region": f"WB: {region}"})
    assert not at.exception
    identity = implemented_classes(
        con, latest, "identity", "technical_support_organisations", region
    )
    exchange = implemented_classes(con, latest, "data_exchange", "base_architecture", region)
    # Kenya: MOSIP (and IDEMIA), architecture empty; DR Congo: "NA" for both
    assert identity == (1, 1, 2) and exchange == (0, 0, 1)
    assert metrics(at)["Digital identity"] == f"{identity[0] / identity[2]:.0%}"
    assert metrics(at)["Data exchange"] == "0%"


def test_the_map_says_when_a_release_did_not_ask(run_page, con):
    first = rows(con, "SELECT strftime(min(release), '%Y-%m-%d') FROM releases")[0][0]
    at = run_page(PAGE, query_params={"release": first})
    assert not at.exception
    assert any(f"Release {first} has no “Technical support" in w.value for w in at.warning)
    assert metrics(at)["DPI Map names MOSIP"] == "Not recorded"  # not "0 countries"
    at = run_page(PAGE, query_params={"release": first, "pillar": "data_exchange"})
    assert not at.warning  # the architecture field was asked in both synthetic releases


def test_a_release_without_the_field_is_not_zero(run_page, con):
    first = rows(con, "SELECT strftime(min(release), '%Y-%m-%d') FROM releases")[0][0]
    at = run_page(PAGE, query_params={"section": "share", "release": first})
    assert not at.exception
    assert metrics(at)["Digital identity"] == "field not in release"
    trend = chart(at, "share_trend")
    annotated = [t for t in trend if t["type"] == "bar"]
    shares = {t["name"]: values(t["y"]) for t in annotated}
    assert all(v[0] is None or v[0] != v[0] for v in shares.values())  # NaN / gap, not 0


# ------------------------------------------------------------------ reuse and suppliers
def bars(at, key: str) -> dict[str, dict[str, float]]:
    """trace name -> {bar label: value} of a horizontal bar chart."""
    return {
        t["name"]: dict(zip(values(t["y"]), values(t["x"]), strict=True))
        for t in chart(at, key)
        if t["type"] == "bar"
    }


def test_reuse_counts_countries_per_source(run_page, con, latest):
    at = run_page(PAGE, query_params={"section": "reuse"})
    assert not at.exception
    reach = bars(at, "reach")
    for block, name in (("x-road", "X-Road"), ("mosip", "MOSIP")):
        named = iso3s(
            con,
            """SELECT iso3 FROM system_components WHERE release = ? AND block_id = ?
               AND iso3 IS NOT NULL""",
            latest,
            block,
        )
        listed = listed_by_dpga(con, block)
        assert reach["Named by the DPI Map"][name] == len(named)
        assert reach["Listed as deployed by the DPGA registry"][name] == len(listed)
        assert reach["Both"][name] == len(named & listed)
    vendors = bars(at, "vendors")
    idemia = iso3s(
        con,
        """SELECT iso3 FROM system_components WHERE release = ? AND block_id = 'idemia'
           AND pillar = 'identity' AND iso3 IS NOT NULL""",
        latest,
    )
    assert sum(v.get("IDEMIA", 0) for v in vendors.values()) == len(idemia) == 2
    funders = bars(at, "funders")
    world_bank = iso3s(
        con,
        """SELECT c.iso3 FROM system_components c JOIN building_blocks b USING (block_id)
           WHERE c.release = ? AND c.block_id = 'world-bank' AND c.iso3 IS NOT NULL""",
        latest,
    )
    assert sum(v.get("World Bank", 0) for v in funders.values()) == len(world_bank) == 2


def test_mosip_thales_idemia_systems_deep_link(run_page, con, latest):
    at = run_page(
        PAGE,
        query_params={
            "section": "reuse",
            "pillar": "identity",
            "pick": ["mosip", "thales", "idemia"],
        },
    )
    assert not at.exception
    (table,) = at.dataframe
    expected = rows(
        con,
        """SELECT c.iso3, c.block_id FROM system_components c
           WHERE c.release = ? AND c.pillar = 'identity' AND c.iso3 IS NOT NULL
             AND c.block_id IN ('mosip', 'thales', 'idemia') ORDER BY ALL""",
        latest,
    )
    names = {"mosip": "MOSIP", "thales": "Thales", "idemia": "IDEMIA"}
    shown = sorted(zip(table.value["ISO3"], table.value["Named"], strict=True))
    assert shown == sorted((iso3, names[block]) for iso3, block in expected)
    assert list(dict.fromkeys(table.value["Named"])) == ["MOSIP", "Thales", "IDEMIA"]
    assert at.query_params["pick"] == ["mosip", "thales", "idemia"]


# ------------------------------------------------------------------ every row
def test_every_row_from_both_sources(run_page, con, latest):
    at = run_page(PAGE, query_params={"section": "rows"})
    assert not at.exception
    (table,) = at.dataframe
    named = rows(
        con,
        "SELECT count(*) FROM system_components WHERE release = ? AND iso3 IS NOT NULL",
        latest,
    )[0][0]
    registry_only = rows(
        con,
        """SELECT count(DISTINCT (d.block_id, d.iso3)) FROM dpg_deployments d
           WHERE NOT EXISTS (SELECT 1 FROM system_components c WHERE c.release = ?
                             AND c.block_id = d.block_id AND c.iso3 = d.iso3)""",
        latest,
    )[0][0]
    assert len(table.value) == named + registry_only == 13 + 5
    assert any(f"**{named + registry_only} rows**" in m.value for m in at.markdown)
    est = table.value[(table.value["ISO3"] == "EST") & (table.value["Building block"] == "X-Road")]
    assert list(est["DPGA registry lists it here"]) == ["Yes: deployed, developed"]
    assert list(est["DPI Map source"]) == [f"dpimap:{latest}:data_exchange"]
    assert list(est["DPGA source"]) == ["dpga:x-road.json"]


@pytest.mark.parametrize("params", [{"pillar": "identity"}, {"pick": "x-road"}])
def test_every_row_filters(run_page, params):
    at = run_page(PAGE, query_params={"section": "rows", **params})
    assert not at.exception
    (table,) = at.dataframe
    if "pillar" in params:
        assert set(table.value["Pillar"]) == {"Digital identity"}
    else:
        assert set(table.value["Block id"]) == {"x-road"} and len(table.value) == 2


def test_the_page_is_in_the_navigation(run_page):
    at = run_page("dashboard.py")
    at.switch_page("pages/blocks.py").run()
    assert not at.exception
    assert any(t.value == "Building blocks and reuse" for t in at.title)


def test_the_block_map_outlines_the_places_it_does_not_count(run_page, con):
    at = run_page(PAGE)
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    traces = json.loads(chart.proto.spec)["data"]
    (area,) = [t for t in traces if t.get("legendgroup") == "outside" and "z" in t]
    (key,) = [t for t in traces if t.get("legendgroup") == "outside" and t.get("showlegend")]
    uncounted = {
        r for (r,) in con.execute("SELECT iso3 FROM countries WHERE region IS NULL").fetchall()
    }
    assert key["name"] == "Not counted (no World Bank group)"
    assert set(area["locations"]) == uncounted and uncounted  # ATA in the synthetic world
