"""The map explorer's "Building block" and outcome measures (AppTest, synthetic warehouse):
what the map colours, the table and the file under it, and the links and deck slides that name
them. Every expected set is re-derived here in SQL, independently of atlas/block_queries.py and
atlas/outcome_queries.py."""

import io
import json
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest

from atlas.categories import TECH_MEASURE_LABELS
from atlas.present import decks

PAGE = "pages/map.py"
ROOT = Path(__file__).resolve().parents[2]
SECOND = "2030-04-15"  # the synthetic release whose identity files name suppliers
FX = "FX.OWN.TOTL.ZS"

# Each counted country's class in one pillar and release: the blocks its status-giving system
# names (technology or technical support), else what its status and cell say.
BLOCK_CLASSES = """
WITH st AS (
    SELECT c.iso3, cs.status, cs.system_id
    FROM countries c LEFT JOIN country_status cs
      ON cs.iso3 = c.iso3 AND cs.pillar = $pillar AND cs.release = CAST($release AS DATE)
    WHERE c.region IS NOT NULL
),
named AS (
    SELECT sy.system_id,
           bool_or(b.kind = 'open_dpg') AS dpg, bool_or(b.kind = 'open_source') AS oss,
           bool_or(b.kind = 'proprietary') AS vendor
    FROM systems sy
    JOIN system_components c
      ON c.release = strftime(sy.release, '%Y-%m-%d') AND c.pillar = sy.pillar
     AND c.iso3 = sy.iso3 AND c.system_name IS NOT DISTINCT FROM sy.system_name
    JOIN building_blocks b ON b.block_id = c.block_id
    WHERE c.role IN ('technology', 'technical_support')
    GROUP BY sy.system_id
),
cell AS (
    SELECT system_id, value_text FROM system_attributes WHERE attribute = $field
)
SELECT st.iso3,
       CASE WHEN st.status IS NULL THEN 'not_assessed'
            WHEN n.dpg THEN 'open_dpg' WHEN n.oss THEN 'open_source'
            WHEN n.vendor THEN 'proprietary'
            WHEN st.status = 'none' THEN 'no_system'
            WHEN cell.value_text IS NOT NULL THEN 'other'
            ELSE 'not_recorded' END AS class
FROM st LEFT JOIN named n USING (system_id) LEFT JOIN cell USING (system_id)
"""

# Each counted country's latest value since 2017 and whether the pillar is implemented.
OUTCOME = """
WITH latest AS (
    SELECT iso3, value, year FROM outcomes o
    WHERE indicator = $indicator AND year >= 2017
      AND year = (SELECT max(year) FROM outcomes x
                  WHERE x.iso3 = o.iso3 AND x.indicator = o.indicator AND x.year >= 2017)
)
SELECT c.iso3, l.value, l.year, coalesce(cs.status = 'implemented', false) AS implemented
FROM countries c
LEFT JOIN latest l USING (iso3)
LEFT JOIN country_status cs
  ON cs.iso3 = c.iso3 AND cs.pillar = $pillar AND cs.release = CAST($release AS DATE)
WHERE c.region IS NOT NULL
"""


def traces(at) -> list[dict]:
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return json.loads(chart.proto.spec)["data"]


def shown(at) -> dict[str, set[str]]:
    """Legend entry -> the countries its areas colour (entries with none left out)."""
    return {
        t["name"]: set(t["locations"])
        for t in traces(at)
        if t["type"] == "choropleth" and t.get("showlegend") and t.get("locations")
    }


def outlined(at, name: str) -> set[str]:
    """The countries an outline (an area without a colour of its own) is drawn round."""
    (area,) = [t for t in traces(at) if t["type"] == "choropleth" and t.get("name") == name]
    return set(area["locations"])


def grouped(rows: pd.DataFrame, key: str) -> dict[str, set[str]]:
    return {k: set(part["iso3"]) for k, part in rows.groupby(key)}


@pytest.mark.parametrize(
    ("pillar", "field"),
    [("identity", "technical_support_organisations"), ("data_exchange", "base_architecture")],
)
def test_the_building_block_measure_colours_each_country_by_its_systems_blocks(
    run_page, con, pillar, field
):
    at = run_page(PAGE, query_params={"pillar": pillar, "measure": "block", "release": SECOND})
    assert not at.exception
    assert at.selectbox(key="measure").value == "block"
    rows = con.execute(BLOCK_CLASSES, {"pillar": pillar, "release": SECOND, "field": field}).df()
    expected = {TECH_MEASURE_LABELS[k]: v for k, v in grouped(rows, "class").items()}
    assert shown(at) == expected
    caption = "\n".join(c.value for c in at.caption)
    assert "what the system that gives each country its status runs on" in caption


def test_the_building_block_table_and_file_name_the_blocks_with_both_citations(
    run_page, con, downloads
):
    at = run_page(PAGE, query_params={"pillar": "identity", "measure": "block", "release": SECOND})
    table = at.dataframe[0].value.set_index("ISO3")
    rows = con.execute(
        BLOCK_CLASSES,
        {"pillar": "identity", "release": SECOND, "field": "technical_support_organisations"},
    ).df()
    classes = rows.set_index("iso3")["class"]
    for iso3, words in table["Building block"].items():
        assert words.startswith(TECH_MEASURE_LABELS[classes[iso3]]), iso3
    (ken_blocks,) = con.execute(
        """SELECT string_agg(DISTINCT b.name, ', ' ORDER BY b.name) FROM system_components c
           JOIN building_blocks b USING (block_id) JOIN country_status cs
             ON cs.release = CAST(c.release AS DATE) AND cs.pillar = c.pillar
            AND cs.iso3 = c.iso3 AND cs.system_name IS NOT DISTINCT FROM c.system_name
           WHERE c.release = ? AND c.pillar = 'identity' AND c.iso3 = 'KEN'
             AND c.role = 'technical_support'""",
        [SECOND],
    ).fetchone()
    assert table.loc["KEN", "Building block"].endswith(f": {ken_blocks}")
    (download,) = downloads.values()
    frame = pd.read_csv(io.BytesIO(download.content()))
    assert {"building_block_class", "building_blocks", "as_written"} <= set(frame.columns)
    assert frame.set_index("iso3")["building_block_class"].to_dict() == classes.to_dict()
    assert "reviewed catalogue" in frame["citation"].iloc[0]
    assert "DPI Map" in frame["citation"].iloc[0]
    assert download.file_name.startswith(f"dpi-atlas_identity-block_{SECOND}")


def test_payments_offers_no_building_block_measure_and_a_link_to_one_says_so(run_page):
    at = run_page(PAGE, query_params={"pillar": "payments", "measure": "block"})
    assert not at.exception
    assert "block" not in at.selectbox(key="measure").options
    assert at.selectbox(key="measure").value == "status"
    notices = "\n".join(i.value for i in at.info)
    assert "“block” is not a measure of Payments" in notices


def test_the_outcome_measure_colours_by_class_outlines_implemented_and_dates_each_value(
    run_page, con, latest, downloads
):
    at = run_page(PAGE, query_params={"pillar": "payments", "measure": f"outcome:{FX}"})
    assert not at.exception
    rows = con.execute(OUTCOME, {"indicator": FX, "pillar": "payments", "release": latest}).df()
    rows["class"] = [
        "No data"
        if pd.isna(v)
        else f"{min(int(v // 10), 9) * 10}–{min(int(v // 10), 9) * 10 + 10}%"
        for v in rows["value"]
    ]
    outline = outlined(at, "Payments implemented (outline)")
    assert outline == set(rows.loc[rows["implemented"], "iso3"])
    assert shown(at) == grouped(rows, "class")
    key = [t for t in traces(at) if t["type"] == "scattergeo" and t.get("showlegend")]
    assert "Payments implemented (outline)" in [t["name"] for t in key]
    table = at.dataframe[0].value.set_index("ISO3")
    values = rows.dropna(subset=["value"]).set_index("iso3")
    name = "Account ownership (% of population ages 15+)"
    assert table[name].dropna().to_dict() == values["value"].round(1).to_dict()
    assert table["Year"].dropna().astype(int).to_dict() == values["year"].astype(int).to_dict()
    caption = "\n".join(c.value for c in at.caption)
    assert "Rule: each country's latest value from 2017 on" in caption
    assert "Grey: no value since 2017" in caption
    (download,) = downloads.values()
    frame = pd.read_csv(io.BytesIO(download.content())).set_index("iso3")
    assert frame["value"].dropna().to_dict() == values["value"].to_dict()
    assert frame["year"].dropna().astype(int).to_dict() == values["year"].astype(int).to_dict()
    assert set(frame["indicator"]) == {FX}
    assert frame["citation"].iloc[0].startswith("SYNTHETIC: World Bank")


def test_the_outcome_map_in_the_dark_theme_and_under_a_filter(run_page, con, latest):
    params = {"pillar": "identity", "measure": "outcome:SP.REG.BRTH.ZS", "income": "income:low"}
    at = run_page(PAGE, query_params=params)
    assert not at.exception
    low = {r for (r,) in con.execute("SELECT iso3 FROM countries WHERE income_group = 'Low income'").fetchall()}  # fmt: skip
    coloured = set().union(*shown(at).values())
    assert coloured == low


# ------------------------------------------------------------------ decks
def test_a_deck_slide_shows_the_building_block_map_and_links_to_it_by_id(run_page):
    story = decks.load_deck(ROOT / "data" / "decks" / "global-story.toml")
    (number,) = [n for n, s in enumerate(story.slides, 1) if s.params.get("measure") == "block"]
    deck_page = run_page("pages/present.py", query_params={"slide": str(number)})
    assert not deck_page.exception
    link = next(m.value for m in deck_page.markdown if "Open this view" in m.value)
    query = parse_qs(link.split("href='", 1)[1].split("'", 1)[0].partition("?")[2])
    assert query == {"pillar": ["identity"], "measure": ["block"]}
    map_page = run_page(PAGE, query_params={k: v[0] for k, v in query.items()})
    assert shown(map_page) == shown(deck_page)


def test_deck_views_may_name_regions_and_incomes_by_id(app_db):
    from atlas import db
    from atlas.present import slides

    version = db.version()
    slide = decks.Slide(
        "T", "{countries}", "page=overview&region=wb:sub-saharan-africa&income=income:low"
    )
    assert decks.check_deck(decks.Deck("D", (slide,)), slides.catalogue(version)) == []
    view = slides.resolve(version, slide)
    assert (view["region"], view["income"]) == ("WB: Sub-Saharan Africa", "Low income")
    assert slides.deep_link(version, slide).endswith(
        "region=wb%3Asub-saharan-africa&income=income%3Alow"
    )


def test_the_deck_checker_knows_which_measures_the_warehouse_has(app_db):
    from atlas import db
    from atlas.present import slides

    catalogue = slides.catalogue(db.version())

    def problems(view: str) -> list[str]:
        return decks.check_deck(decks.Deck("D", (decks.Slide("T", "x", view),)), catalogue)

    assert problems("page=map&pillar=identity&measure=block") == []
    assert problems(f"page=map&pillar=payments&measure=outcome:{FX}") == []
    assert problems("page=map&pillar=stack&measure=outcome:IT.NET.USER.ZS") == []
    (block,) = problems("page=map&pillar=payments&measure=block")
    assert "payments has no measure 'block'" in block
    (unknown,) = problems("page=map&pillar=identity&measure=outcome:NOT.AN.INDICATOR")
    assert "identity has no measure 'outcome:NOT.AN.INDICATOR'" in unknown


# ------------------------------------------------------------------ yes/no with the status
def test_a_yes_on_a_record_that_is_not_implemented_is_shown_apart_from_yes(run_page, con):
    """The caption facts count a Yes among implemented countries only; the map agrees: a Yes
    on a planned, piloted or no-system record is its own category, never a plain Yes."""
    query = {"pillar": "payments", "measure": "attr:cross_domain", "release": SECOND}
    at = run_page(PAGE, query_params=query)
    assert not at.exception
    rows = con.execute(
        """SELECT cs.iso3, cs.status = 'implemented' AS live FROM country_status cs
           JOIN system_attributes a ON a.system_id = cs.system_id
           WHERE a.attribute = 'cross_domain' AND a.value_bool AND cs.pillar = 'payments'
             AND cs.release = CAST(? AS DATE)""",
        [SECOND],
    ).df()
    legend = shown(at)
    not_live = set(rows.loc[~rows["live"], "iso3"])
    assert not_live, "the synthetic world has a Yes on a planned record (COD)"
    assert legend["Yes, but not implemented (planned or no system)"] == not_live
    assert legend["Yes"] == set(rows.loc[rows["live"], "iso3"])
    table = at.dataframe[0].value.set_index("ISO3")
    column = at.selectbox(key="measure").format_func("attr:cross_domain")
    assert {table.loc[i, column] for i in not_live} == {
        "Yes, but not implemented (planned or no system)"
    }


def test_internet_use_beside_the_stack_outlines_the_countries_with_all_three(
    run_page, con, latest, downloads
):
    net = "IT.NET.USER.ZS"
    at = run_page(PAGE, query_params={"pillar": "stack", "measure": f"outcome:{net}"})
    assert not at.exception
    assert at.selectbox(key="measure").value == f"outcome:{net}"
    all_three = {
        r
        for (r,) in con.execute(
            """SELECT iso3 FROM country_status WHERE release = CAST(? AS DATE)
               AND status = 'implemented' GROUP BY iso3 HAVING count(*) = 3""",
            [latest],
        ).fetchall()
    }
    assert all_three, "the synthetic world has a country with all three pillars"
    assert outlined(at, "All three pillars implemented (outline)") == all_three
    rows = con.execute(OUTCOME, {"indicator": net, "pillar": "identity", "release": latest}).df()
    coloured = set().union(*shown(at).values())
    assert coloured == set(rows["iso3"])  # every counted country: a class or no data
    table = at.dataframe[0].value.set_index("ISO3")
    done = dict(
        con.execute(
            """SELECT iso3, count(*) FILTER (WHERE status = 'implemented') FROM country_status
               WHERE release = CAST(? AS DATE) GROUP BY iso3""",
            [latest],
        ).fetchall()
    )
    for iso3 in table.index:
        expected = {0: "No pillar implemented", 1: "1 of 3 pillars", 2: "2 of 3 pillars",
                    3: "All 3 pillars"}.get(done.get(iso3), "Not assessed")  # fmt: skip
        assert table.loc[iso3, "Pillars implemented"] == expected, iso3
    caption = "\n".join(c.value for c in at.caption)
    assert "Outline: all three pillars implemented in release" in caption
    (download,) = downloads.values()
    frame = pd.read_csv(io.BytesIO(download.content())).set_index("iso3")
    assert set(frame.index[frame["pillar_implemented"]]) == all_three


def test_the_country_panel_says_what_the_measure_says_of_the_country(run_page, con, latest):
    at = run_page(PAGE, query_params={"pillar": "payments", "measure": f"outcome:{FX}", "country": "KEN"})  # fmt: skip
    rows = con.execute(OUTCOME, {"indicator": FX, "pillar": "payments", "release": latest}).df()
    ken = rows.set_index("iso3").loc["KEN"]
    text = "\n".join(m.value for m in at.markdown)
    expected = f"{ken['value']:.1f}% ({int(ken['year'])})"
    assert f"**Account ownership (% of population ages 15+):** {expected}" in text
    block = run_page(PAGE, query_params={"pillar": "identity", "measure": "block", "release": SECOND, "country": "KEN"})  # fmt: skip
    assert not block.exception
    text = "\n".join(m.value for m in block.markdown)
    assert "**Building block:** Open building block: a digital public good: IDEMIA, MOSIP" in text


def test_an_outcome_view_cites_its_indicator_in_the_footer_and_on_the_slide_image(
    run_page, con, latest
):
    (citation, terms) = con.execute(
        "SELECT s.citation, s.terms FROM indicators i JOIN sources s USING (source_id) "
        "WHERE i.indicator = ?",
        [FX],
    ).fetchone()
    at = run_page(PAGE, query_params={"pillar": "payments", "measure": f"outcome:{FX}"})
    footer = "\n".join(c.value for c in at.caption if c.value.startswith("**Data:**"))
    assert f"Outcome: {citation} Terms: {terms}" in footer
    from atlas import db
    from atlas.present import export

    line = export.slide_footer(db.version(), latest, f"outcome:{FX}")
    assert f"Outcome: {citation}" in line and "DPI Map" in line
    assert "Outcome:" not in export.slide_footer(db.version(), latest, "block")
