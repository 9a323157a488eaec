"""The rehearsal's checks on what a slide shows, on hand-made inputs: caption numbers that
contradict each other, rectangles that do not fit or overlap, colours that do not read."""

import pytest

from atlas.present.slide_checks import (
    caption_contradictions,
    contrast,
    contrast_problems,
    layout_problems,
)


@pytest.mark.parametrize(
    "caption",
    [
        "136 of the 125 countries with a payment system implemented have an active real-time "
        "payment system.",  # what the slide 4 amounted to
        "Of the 109 countries with data exchange implemented, 141 run it on X-Road and 5 on UXP.",
        "65 countries have implemented all three pillars; in 70 of them all three are DPI-like.",
        "Since <date>, 8 countries changed status in at least one pillar: 9 newly implemented "
        "one (Kenya (payments)) and 2 newly count as DPI-like in one.",
        "103 countries (149% of the 210 assessed) have implemented a digital ID.",
        "Sub-Saharan Africa: digital ID is implemented in 1,200 of its 48 countries.",
    ],
)
def test_a_part_larger_than_its_whole_is_flagged(caption):
    assert caption_contradictions(caption)


@pytest.mark.parametrize(
    "caption",
    [
        "65 countries have implemented all three pillars (digital ID, data exchange and "
        "payments); in 40 of them all three are DPI-like.",
        "In release 2026-01-15, 103 countries (49% of the 210 assessed) have implemented a "
        "digital ID; 68 of them count as DPI-like.",
        "125 of the 125 countries with a payment system implemented have an active real-time "
        "payment system; 40 of them run a cross-domain payment system.",
        "Of the 109 countries with data exchange implemented, 21 run it on X-Road and 5 on UXP "
        "(Cybernetica's own platform); X-Road is planned or piloted in 12 more.",
        "Since 2025-10-27, 8 countries changed status or DPI-like flag in at least one pillar: "
        "3 newly implemented one (Brunei Darussalam (digital identity), Djibouti (payments)) "
        "and 6 newly count as DPI-like in one.",
        "In the first DPI Map release (2024-11-19), 95 countries had implemented a digital ID.",
    ],
)
def test_consistent_captions_pass_and_dates_are_not_numbers(caption):
    assert caption_contradictions(caption) == []


def layout(**named) -> dict:
    """A 1366x768 screen with the named parts; every part is also a plain element box."""
    parts = {
        "title": [40, 20, 900, 80],
        "caption": [40, 90, 1300, 130],
        "map": [40, 140, 1326, 660],
        "legend": [200, 620, 1100, 655],
        "citation": [40, 725, 900, 750],
        "exit": [1190, 722, 1340, 755],
        "previous": [980, 30, 1100, 70],
        "next": [1220, 30, 1326, 70],
    } | named
    boxes = [
        {"name": name, "rect": rect}
        for name, rect in parts.items()
        if name != "legend" and rect is not None
    ]
    return {"viewport": [1366, 768], "scroll": [0, 768, 768], "named": parts, "boxes": boxes}


def test_a_slide_that_fits_has_no_problem():
    assert layout_problems(layout()) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"map": [40, 140, 1326, 800]}, "its map is not on the screen"),
        ({"legend": None}, "shows no legend"),
        ({"exit": [1200, 35, 1320, 65]}, "the exit button overlaps Next"),
        ({"caption": [40, 60, 1300, 130]}, "title overlaps caption"),
        ({"legend": [200, 700, 1100, 740]}, "the legend runs under the citation"),
    ],
)
def test_what_does_not_fit_is_named(change, problem):
    assert any(problem in p for p in layout_problems(layout(**change)))


def test_a_page_that_scrolls_or_is_scrolled_is_named():
    scrolling = layout() | {"scroll": [25, 1105, 768]}
    problems = layout_problems(scrolling)
    assert "the page scrolls (1105 px tall in 768 px)" in problems
    assert "the page is scrolled 25 px down" in problems
    assert "the page scrolls (1105 px tall in 768 px)" not in layout_problems(
        scrolling, whole_page=False
    )


def test_contrast_reads_css_colours():
    assert contrast("rgb(255, 255, 255)", "#000000") == pytest.approx(21.0)
    page = {"background": "rgb(23, 22, 20)", "legendText": ["rgb(26, 26, 26)"]}
    page["legendSwatches"] = ["rgb(11, 15, 63)", "rgb(207, 232, 255)"]
    problems = contrast_problems(page, swatches=True)
    assert [p.split(" has ")[0] for p in problems] == [
        "legend text rgb(26, 26, 26)",
        "legend colour rgb(11, 15, 63)",
    ]
    assert len(contrast_problems(page, swatches=False)) == 1
