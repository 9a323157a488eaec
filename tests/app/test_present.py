"""Presenter mode and decks (AppTest): presentation mode, the deck page, captions from the
warehouse, slide navigation, malformed decks, saved slides, the map's timeline and palette."""

import json
import tomllib
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from atlas import categories, maps
from atlas.present import decks
from tests.facts_sql import expected_facts

PRESENT = "pages/present.py"
MAP = "pages/map.py"
ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "data" / "decks" / "global-story.toml"


@pytest.fixture(scope="module")
def story() -> decks.Deck:
    return decks.load_deck(DECK)


def caption_of(at) -> str:
    """The slide caption: the markdown right under the title row."""
    return next(m.value for m in at.markdown if m.value and not m.value.startswith("**"))


def counter(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**slide "))


def styles(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def slide_traces(at) -> list[dict]:
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return json.loads(chart.proto.spec)["data"]


def count(con, sql: str, params: list) -> int:
    return con.execute(sql, params).fetchone()[0]


# ------------------------------------------------------------------ presentation mode
def test_present_1_switches_presentation_mode_on_and_hides_the_sidebar(run_page):
    at = run_page("pages/overview.py", query_params={"present": "1"})
    assert not at.exception
    assert at.session_state["present"] is True
    assert at.query_params["present"] == "true"  # rewritten to the toggle's own value
    css = styles(at)
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    assert ".st-key-present_footer {position: fixed" in css
    assert at.button(key="exit_presentation").label == "Exit presentation"


def test_exit_presentation_brings_the_sidebar_back(run_page):
    at = run_page("pages/map.py", query_params={"present": "true"})
    assert '[data-testid="stSidebar"]' in styles(at)
    at.button(key="exit_presentation").click().run()
    assert not at.exception
    assert at.session_state["present"] is False
    assert '[data-testid="stSidebar"]' not in styles(at)
    assert not [b for b in at.button if b.key == "exit_presentation"]


def test_without_present_nothing_is_hidden(run_page):
    at = run_page("pages/overview.py")
    assert '[data-testid="stSidebar"]' not in styles(at)
    assert at.toggle(key="present").value is False


def test_presenting_maps_use_the_high_contrast_palette_and_fill_the_screen(run_page):
    at = run_page(MAP, query_params={"present": "1"})
    traces = [t for t in slide_traces(at) if t["type"] == "choropleth" and t.get("showlegend")]
    colours = [t["colorscale"][0][1] for t in traces]
    assert colours == list(categories.PRESENT_COLOURS.values())
    spec = json.loads(
        [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec][0].proto.spec
    )
    assert "height" not in spec["layout"]  # the chart stretches to the screen instead
    assert spec["layout"]["font"]["size"] == maps.STAGE_FONT
    plain = run_page(MAP)
    colours = [
        t["colorscale"][0][1]
        for t in slide_traces(plain)
        if t["type"] == "choropleth" and t.get("showlegend")
    ]
    assert colours == list(categories.STATUS_COLOURS.values())


# ------------------------------------------------------------------ decks
def test_the_default_deck_loads_with_captions_computed_from_the_warehouse(
    run_page, con, latest, story
):
    at = run_page(PRESENT)
    assert not at.exception
    assert [t.value for t in at.title] == [story.slides[0].title]
    assert counter(at) == f"**slide 1 of {len(story.slides)}**"
    implemented = """
        SELECT count(*) FROM (SELECT iso3 FROM country_status
        WHERE release = CAST(? AS DATE) AND status = 'implemented' {extra}
        GROUP BY iso3 HAVING count(*) = 3)"""
    all_three = count(con, implemented.format(extra=""), [latest])
    all_dpi = count(con, implemented.format(extra="AND dpi_like"), [latest])
    assert caption_of(at).startswith(f"{all_three} countries have implemented all three pillars")
    assert f"in {all_dpi} of them all three are DPI-like" in caption_of(at)


def test_every_slide_of_the_default_deck_fits_the_warehouse(run_page, con, story):
    """Each slide's caption is its template filled with facts re-derived in SQL
    (tests/facts_sql.py) for the slide's release and region."""
    releases = [r for (r,) in con.execute(
        "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1").fetchall()]  # fmt: skip
    words = {"latest": releases[-1], "first": releases[0], "previous": releases[-2]}
    at = run_page(PRESENT)
    assert not at.error, [e.value for e in at.error]
    for number, slide in enumerate(story.slides, 1):
        release = slide.params.get("release", "latest")
        region = slide.params.get("region")
        facts = expected_facts(
            con, words.get(release, release), region and region.removeprefix("WB: "),
            slide.params.get("income"),
        )  # fmt: skip
        assert caption_of(at) == slide.caption.format_map(facts), slide.title
        assert [t.value for t in at.title] == [slide.title]
        assert len(slide_traces(at)) >= 5
        if number < len(story.slides):
            at.button(key="deck_next").click().run()
            assert not at.exception


def test_next_and_previous_move_between_slides(run_page, story):
    at = run_page(PRESENT)
    assert at.button(key="deck_previous").disabled
    at.button(key="deck_next").click().run()
    assert [t.value for t in at.title] == [story.slides[1].title]
    assert counter(at) == f"**slide 2 of {len(story.slides)}**"
    assert at.query_params["slide"] == "2"
    at.button(key="deck_next").click().run()
    at.button(key="deck_previous").click().run()
    assert [t.value for t in at.title] == [story.slides[1].title]
    assert (at.button(key="deck_next").label, at.button(key="deck_previous").label) == (
        "Next",
        "Previous",
    )  # plain names; the keys are on hidden buttons: the arrows and a clicker's pages
    shortcuts = {k: at.button(key=k).proto.shortcut for k in ("arrow_next", "arrow_back")}
    shortcuts |= {k: at.button(key=k).proto.shortcut for k in ("clicker_next", "clicker_back")}
    assert shortcuts == {
        "arrow_next": "right",
        "arrow_back": "left",
        "clicker_next": "pagedown",
        "clicker_back": "pageup",
    }


def test_a_slide_link_opens_that_slide_and_its_map_matches_the_warehouse(
    run_page, con, latest, story
):
    number = next(i for i, s in enumerate(story.slides, 1) if "x_road_based" in s.view)
    at = run_page(PRESENT, query_params={"slide": str(number)})
    assert counter(at) == f"**slide {number} of {len(story.slides)}**"
    expected = {
        iso3
        for (iso3,) in con.execute(
            """SELECT cs.iso3 FROM country_status cs JOIN system_attributes a
               ON a.system_id = cs.system_id AND a.attribute = 'x_road_based'
               WHERE cs.release = CAST(? AS DATE) AND cs.pillar = 'data_exchange' AND a.value_bool
                 AND cs.status = 'implemented'""",
            [latest],
        ).fetchall()
    }  # a Yes on a planned or no-system record is a category of its own
    yes = next(t for t in slide_traces(at) if t["type"] == "choropleth" and t.get("name") == "Yes")
    assert set(yes["locations"]) == expected
    implemented = count(
        con,
        """SELECT count(*) FROM country_status WHERE release = CAST(? AS DATE)
           AND pillar = 'data_exchange' AND status = 'implemented'""",
        [latest],
    )
    on_x_road = count(  # among the implemented only (the map also shows planned ones)
        con,
        """SELECT count(*) FROM country_status cs JOIN system_attributes a
           ON a.system_id = cs.system_id AND a.attribute = 'x_road_based'
           WHERE cs.release = CAST(? AS DATE) AND cs.pillar = 'data_exchange'
             AND cs.status = 'implemented' AND a.value_bool""",
        [latest],
    )
    assert caption_of(at).startswith(
        f"Of the {implemented} countries with data exchange implemented, {on_x_road} run their "
        "main system on X-Road"
    )
    assert at.query_params["slide"] == str(number)


def test_the_last_slide_has_no_next(run_page, story):
    at = run_page(PRESENT, query_params={"slide": "99"})
    assert counter(at) == f"**slide {len(story.slides)} of {len(story.slides)}**"
    assert at.button(key="deck_next").disabled


def test_a_malformed_deck_file_gives_a_message_naming_the_file_and_line(
    run_page, tmp_path, monkeypatch
):
    (tmp_path / "broken.toml").write_text(
        'title = "Broken"\n\n[[slide]]\ntitle = "One"\ncaption = "x"\nview = "page=map\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DPI_DECKS", str(tmp_path))
    at = run_page(PRESENT, query_params={"deck": "broken"})
    assert not at.exception
    (error,) = at.error
    assert "broken.toml" in error.value
    assert "line 6, column" in error.value and "not valid TOML" in error.value
    assert not at.get("plotly_chart")


def test_a_deck_that_does_not_fit_the_warehouse_names_the_slide_line(
    run_page, tmp_path, monkeypatch
):
    (tmp_path / "stale.toml").write_text(
        'title = "Stale"\n\n[[slide]]\ntitle = "Fine"\ncaption = "{countries}"\n'
        'view = "page=map"\n\n[[slide]]\ntitle = "Old"\ncaption = "{countries_total}"\n'
        'view = "page=map&release=1999-01-01"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DPI_DECKS", str(tmp_path))
    at = run_page(PRESENT, query_params={"deck": "stale"})
    (error,) = at.error
    assert "stale.toml" in error.value
    assert "line 8: slide 2: caption uses unknown fact(s) {countries_total}" in error.value
    assert "line 8: slide 2: release 1999-01-01 is not in the warehouse" in error.value


def test_save_view_as_slide_says_where_it_went_and_links_to_it(run_page, story):
    at = run_page(MAP, query_params={"pillar": "Payments"})
    assert at.selectbox(key="save_slide_deck").value == "new"  # a new deck unless told
    at.text_input(key="save_slide_title").input("My payments slide")
    at.text_input(key="save_slide_caption").input("{implemented_payments} countries")
    at.button(key="save_slide").click().run()
    assert not at.exception
    (saved,) = at.session_state["added_slides"]["new"]
    assert saved.title == "My payments slide"
    assert saved.params == {
        "page": "map",
        "pillar": "payments",
        "measure": "status",
        "release": "latest",
    }
    (success,) = at.success
    assert success.value == "Added as slide 1 of the deck “A new deck (your saved slides)”."
    # a page link in the app; run alone (AppTest) the same link as plain markdown
    link = next(m.value for m in at.markdown if "Open slide 1 of that deck" in m.value)
    assert "(./present?deck=A+new+deck+%28your+saved+slides%29&slide=1)" in link
    assert (at.session_state["slide_deck"], at.session_state["slide_number"]) == ("new", 1)

    at.selectbox(key="save_slide_deck").select("global-story").run()
    at.button(key="save_slide").click().run()
    total = len(story.slides) + 1
    assert at.success[0].value == f"Added as slide {total} of the deck “global-story”."
    assert len(at.session_state["added_slides"]["global-story"]) == 1


def test_a_saved_slide_is_presented_in_its_deck_and_downloadable(
    run_page, app_db, story, downloads
):
    saved = decks.Slide("My payments slide", "{implemented_payments}", "page=map&pillar=payments")
    deck_page = AppTest.from_file(str(ROOT / PRESENT), default_timeout=30)
    deck_page.session_state["added_slides"] = {"new": [saved]}  # left by the map page
    deck_page.query_params["deck"] = "A new deck (your saved slides)"  # the picker's label
    deck_page.run()
    assert [t.value for t in deck_page.title] == ["My payments slide"]
    assert counter(deck_page) == "**slide 1 of 1**"
    assert any(b.proto.label == "Download deck (.toml)" for b in deck_page.get("download_button"))
    downloaded = tomllib.loads(downloads["Download deck (.toml)"].text())
    assert [s["title"] for s in downloaded["slide"]] == ["My payments slide"]
    assert downloaded["slide"][-1]["caption"] == "{implemented_payments}"
    assert "pillar=payments" in downloaded["slide"][-1]["view"]
    plain = run_page(PRESENT)  # the default deck is not changed by a slide saved elsewhere
    assert counter(plain) == f"**slide 1 of {len(story.slides)}**"


def test_a_caption_with_an_unknown_fact_is_not_saved(run_page):
    at = run_page(MAP)
    at.text_input(key="save_slide_caption").input("{no_such_fact}")
    at.button(key="save_slide").click().run()
    assert "added_slides" not in at.session_state
    assert any("no_such_fact" in e.value for e in at.error)


# ------------------------------------------------------------------ export and timeline
def test_the_slide_export_carries_title_caption_release_and_citation(run_page, con, latest):
    at = run_page(PRESENT)
    (frame,) = at.get("iframe")
    html = frame.proto.srcdoc
    assert "plotly.min.js" in html and "width: 1920, height: 1080" in html
    figure = json.loads(html.split("const figure = ", 1)[1].split(", fileName = ", 1)[0])
    texts = [figure["layout"]["title"]["text"]] + [
        a["text"] for a in figure["layout"]["annotations"]
    ]
    assert "The DPI stack around the world" in texts[0]
    assert any("countries have implemented all three pillars" in t for t in texts)
    (citation,) = con.execute(
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()
    assert any(f"DPI Map release {latest}" in t and f"Source: {citation}" in t for t in texts)
    assert figure["layout"]["width"] == 1920 and figure["layout"]["height"] == 1080
    assert "cdn" not in html.lower()


def test_play_adds_a_timeline_of_every_release_that_the_browser_animates(run_page, con, latest):
    at = run_page(MAP)
    at.button(key="play").click().run()
    assert not at.exception
    spec = json.loads(
        [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec][0].proto.spec
    )
    releases = [
        r
        for (r,) in con.execute(
            "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1"
        ).fetchall()
    ]
    assert [f["name"] for f in spec["frames"]] == releases
    assert [s["label"] for s in spec["layout"]["sliders"][0]["steps"]] == releases
    play = spec["layout"]["updatemenus"][0]["buttons"][0]
    assert play["args"][1]["frame"]["duration"] == 1600  # the default speed, 1x
    last = {
        t["name"]: set(t.get("locations", []))
        for t in spec["frames"][-1]["data"]
        if t["type"] == "choropleth"
    }
    implemented = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM country_status WHERE pillar = 'identity' AND release = CAST(? AS DATE) "
            "AND status = 'implemented' AND NOT coalesce(dpi_like, false)",
            [latest],
        ).fetchall()
    }
    assert last["Implemented"] == implemented
    assert any("play 1" in h.proto.body for h in at.get("html"))  # presses play in the browser
    at.selectbox(key="speed").select("2×").run()
    spec = json.loads(
        [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec][0].proto.spec
    )
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["args"][1]["frame"]["duration"] == 800


def test_each_slides_link_opens_the_same_map_in_the_explorer(run_page, story):
    """The "Open this view in the dashboard" link is a real deep link: same countries, same
    categories as the slide."""
    for number, slide in enumerate(story.slides, 1):
        deck_page = run_page(PRESENT, query_params={"slide": str(number)})
        link = next(m.value for m in deck_page.markdown if "Open this view" in m.value)
        href = link.split("href='", 1)[1].split("'", 1)[0]
        path, _, query = href.partition("?")
        page = {"./": "pages/overview.py", "./map": MAP}[path]
        params = {k: v[0] for k, v in parse_qs(query).items()}
        view_page = run_page(page, query_params=params)
        assert not view_page.exception, slide.title
        assert legend_locations(view_page) == legend_locations(deck_page), slide.title


def legend_locations(at) -> dict[str, set[str]]:
    return {
        t["name"]: set(t.get("locations", []))
        for t in slide_traces(at)
        if t["type"] == "choropleth" and t.get("showlegend")
    }


def test_the_what_changed_map_colours_each_country_by_its_change(run_page):
    """The synthetic world's second release against its first (tests/fixtures/synthetic):
    KEN (identity, data exchange) and EST (payments, first assessed) newly implemented, TUV's
    identity none -> planned another change, the rest no change or not compared."""
    second = {"release": "2030-04-15"}  # the second release against the first
    at = run_page(MAP, query_params={**second, "pillar": "All three (stack)", "measure": "Changes since the previous release"})  # fmt: skip
    assert not at.exception
    shown = legend_locations(at)
    assert shown["Newly implemented"] == {"KEN", "EST"}
    assert shown["Other change"] == {"TUV"}
    assert shown["No change"] == {"BRA", "COD", "DEU", "FRA", "IND", "KNA"}
    assert shown["Not compared"] == {"TZA"}  # ATA is outside the universe: not counted
    assert shown["Newly DPI-like"] == set()  # the first release had no flag to compare
    identity = run_page(MAP, query_params={**second, "pillar": "Digital identity", "measure": "Changes since the previous release"})  # fmt: skip
    assert legend_locations(identity)["Newly implemented"] == {"KEN"}
    first = run_page(MAP, query_params={"release": "2030-01-15", "measure": "Changes since the previous release"})  # fmt: skip
    assert {k for k, v in legend_locations(first).items() if v} == {"Not compared"}
