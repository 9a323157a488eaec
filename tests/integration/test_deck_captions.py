"""Every caption of the default deck, on the warehouse built from the real mirror: each
{placeholder} re-derived in SQL written for the test (tests/facts_sql.py, never the app's code
path) for the slide's release and scope, and the caption the Presenter page renders equal to
the deck's template filled with those values. Also: no caption number contradicts another."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas.present import decks
from atlas.present.slide_checks import caption_contradictions
from tests.facts_sql import expected_facts

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DECK = decks.load_deck(ROOT / "data" / "decks" / "global-story.toml")


@pytest.fixture(scope="module")
def con(real_con):
    return real_con


@pytest.fixture(scope="module")
def rendered(real_warehouse) -> list[str]:
    """The caption of every slide as the Presenter page renders it, stepping with Next."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DPI_DB", str(real_warehouse))
    mp.syspath_prepend(str(ROOT))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "pages" / "present.py"), default_timeout=120).run()
        captions = []
        for number in range(1, len(DECK.slides) + 1):
            assert not at.exception, [e.value for e in at.exception]
            captions.append(caption_text(at))
            if number < len(DECK.slides):
                at.button(key="deck_next").click().run()
        return captions
    finally:
        mp.undo()
        st.cache_data.clear()
        st.cache_resource.clear()


def caption_text(at) -> str:
    """The markdown right under the title row (the counter is bold, the rest is not)."""
    return next(m.value for m in at.markdown if m.value and not m.value.startswith(("**", "<")))


def releases(con) -> list[str]:
    sql = "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1"
    return [r for (r,) in con.execute(sql).fetchall()]


def slide_release(slide: decks.Slide, known: list[str]) -> str:
    word = slide.params.get("release", "latest")
    return {"latest": known[-1], "first": known[0], "previous": known[-2]}.get(word, word)


@pytest.mark.parametrize("number", range(1, len(DECK.slides) + 1))
def test_each_caption_equals_its_template_filled_from_sql(con, rendered, number):
    slide = DECK.slides[number - 1]
    region = slide.params.get("region")
    expected = expected_facts(
        con,
        slide_release(slide, releases(con)),
        region=region.removeprefix("WB: ") if region else None,
        income=slide.params.get("income"),
    )
    used = decks.caption_fields(slide.caption)
    assert used <= set(expected), f"slide {number}: no SQL for {used - set(expected)}"
    assert rendered[number - 1] == slide.caption.format_map(expected)


@pytest.mark.parametrize("number", range(1, len(DECK.slides) + 1))
def test_no_caption_number_contradicts_another(rendered, number):
    assert caption_contradictions(rendered[number - 1]) == []


def test_x_road_and_uxp_are_counted_apart_on_the_latest_release(con, rendered):
    """What the issue found, settled: no system counts as both X-Road and UXP (Cybernetica's
    own product), and each caption fact counts implemented systems only."""
    latest = releases(con)[-1]
    both = con.execute(
        """SELECT s.system_id FROM systems s
           JOIN system_attributes x ON x.system_id = s.system_id AND x.attribute = 'x_road_based'
           JOIN system_attributes u ON u.system_id = s.system_id AND u.attribute = 'uxp_based'
           WHERE s.release = CAST(? AS DATE) AND x.value_bool AND u.value_bool""",
        [latest],
    ).fetchall()
    assert both == []
    facts = expected_facts(con, latest)
    assert facts["x_road"] > 0 and facts["uxp"] > 0  # both are on the slide
    assert facts["x_road_or_uxp"] == facts["x_road"] + facts["uxp"]  # disjoint, as shown
    for number, caption in enumerate(rendered, 1):
        print(f"slide {number}: {caption}")


def test_the_quality_report_lists_the_flags_that_contradict_the_status(con):
    """The Yes-on-no-system records the captions leave out are in the data-quality report."""
    from etl.quality import REPORT

    latest = releases(con)[-1]
    report = con.execute(REPORT["flags_contradicting_status"][1]).df()
    report = report[(report["release"] == latest) & report["gives_country_status"]]
    expected = expected_facts(con, latest)
    assert (
        len(report) == expected["instant_payments_no_system"] + expected["instant_payments_planned"]
    )
    assert set(report["status"]) <= {"none", "planned_or_piloted"}
    assert (report["upstream_value"] == "Yes").all()
