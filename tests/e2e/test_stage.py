"""On stage, in a real browser (Chromium, network cut off): at 1920x1080 and 1366x768 every
slide of the default deck, and the Overview and Map explorer in presentation mode, show
title, caption, map, legend and citation on the screen with no scrolling and nothing
overlapping; the exit control never covers a navigation control, and Next is clicked where
a presenter clicks it, at its centre. Dark theme: legends and buttons follow it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from atlas.localrun import offline_context
from atlas.present import decks

ROOT = Path(__file__).resolve().parents[2]
DECK = decks.load_deck(ROOT / "data" / "decks" / "global-story.toml")
SIZES = [(1920, 1080), (1366, 768)]

# The test's own measuring (not the rehearsal's): rectangles [left, top, right, bottom] of the
# parts a slide must show, of every visible element above the map's bottom, and the scroll.
RECTS = """([chart, stage]) => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 ? [r.left, r.top, r.right, r.bottom] : null; };
  const q = (s) => box(document.querySelector(s));
  const main = document.querySelector('[data-testid="stMain"]');
  const elements = [...document.querySelectorAll('[data-testid="stElementContainer"]')]
    .map((el) => [el.className.match(/st-key-[\\w-]+/)?.[0] || el.firstElementChild?.dataset.testid,
                  box(el), box(el.firstElementChild)])
    .filter(([, outer]) => outer);
  return {
    title: q("h1"), caption: q(".st-key-slide_caption p"), map: q(`.st-key-${chart}`),
    legend: q(`.st-key-${stage} g.legend`),
    citation: q('.st-key-present_footer [data-testid="stMarkdownContainer"] p'),
    exit: q(".st-key-exit_presentation button"), previous: q(".st-key-deck_previous button"),
    next: q(".st-key-deck_next button"), elements,
    scroll: [main.scrollTop, main.scrollHeight, main.clientHeight],
  };
}"""


def rects(page, chart="slide_chart", stage="slide_map") -> dict:
    """RECTS once the map has been fitted to the screen (two equal reads in a row)."""
    before = None
    for _ in range(30):
        page.wait_for_timeout(150)
        now = page.evaluate(RECTS, [chart, stage])
        if now == before:
            return now
        before = now
    return now


def inside(box, width, height) -> bool:
    return box[0] >= -1 and box[1] >= -1 and box[2] <= width + 1 and box[3] <= height + 1


def overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1


def check_fits(r: dict, size, parts, whole_page: bool, where: str) -> None:
    width, height = size
    for part in parts:
        assert r[part] is not None, f"{where}: no {part}"
        assert inside(r[part], width, height), f"{where}: {part} {r[part]} off a {size} screen"
    top, scroll_height, client_height = r["scroll"]
    assert top == 0, f"{where}: scrolled {top} px"
    if whole_page:
        assert scroll_height <= client_height + 1, f"{where}: {scroll_height} px tall"
    assert not overlap(r["legend"], r["citation"]), f"{where}: legend under the citation"
    shown = [
        (name, outer if inner is None else union(outer, inner))
        for name, outer, inner in r["elements"]
        if outer[1] < (height if whole_page else r["map"][3])
    ]
    for name, box in shown:
        assert inside(box, width, height), f"{where}: {name} {box} off a {size} screen"
    for i, (first, a) in enumerate(shown):
        for second, b in shown[i + 1 :]:
            assert not overlap(a, b), f"{where}: {first} {a} overlaps {second} {b}"
    for control in ("previous", "next"):
        if r[control] and r["exit"]:
            assert not overlap(r["exit"], r[control]), f"{where}: Exit covers {control}"


def union(a, b):
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def click_centre(page, locator) -> None:
    """Click where a presenter aims: the centre of the control, by screen position. The
    element found there must be the control itself (not something laid over it)."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('button')?.innerText || ''", [x, y]
    )
    assert "Next" in hit, f"at Next's centre ({x:.0f}, {y:.0f}) is {hit!r}"
    page.mouse.click(x, y)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_slide_fits_the_screen_and_next_is_clicked_at_its_centre(
    page, app_server, wait_for_app, wait_for_map, size
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_server}/present?present=1")
    wait_for_app(page)
    total = len(DECK.slides)
    for number, slide in enumerate(DECK.slides, 1):
        expect(page.locator("h1").first).to_have_text(slide.title)
        expect(page.get_by_text(f"slide {number} of {total}", exact=True)).to_be_visible()
        wait_for_app(page)
        wait_for_map(page, min_paths=10)
        where = f"slide {number} at {size[0]}x{size[1]}"
        r = rects(page)
        check_fits(r, size, ("title", "caption", "map", "legend", "citation"), True, where)
        page.screenshot(path=ROOT / "test-artifacts" / f"stage-{size[0]}x{size[1]}-{number}.png")
        if number < total:
            click_centre(page, page.get_by_role("button", name="Next", exact=True))
    assert "present=true" in page.url and f"slide={total}" in page.url
    assert not page.page_errors


def test_after_start_presenting_next_stays_in_presentation_mode(
    page, app_server, wait_for_app, wait_for_map
):
    """The issue's path: the deck page, scrolled down to 'Start presenting', then Next."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_server}/present")
    wait_for_app(page)
    start = page.get_by_role("button", name="Start presenting")
    start.scroll_into_view_if_needed()
    start.click()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden(timeout=20_000)  # after the rerun
    wait_for_app(page)
    wait_for_map(page, min_paths=10)
    r = rects(page)
    check_fits(r, (1920, 1080), ("title", "map", "legend", "citation"), True, "after start")
    click_centre(page, page.get_by_role("button", name="Next", exact=True))
    expect(page.locator("h1").first).to_have_text(DECK.slides[1].title)
    expect(page.get_by_role("button", name="Exit presentation")).to_be_visible()
    assert "present=true" in page.url


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("path", "chart", "stage"),
    [("", "overview_map", "stack_stage"), ("map", "map_chart", "map_stage")],
    ids=["overview", "map-explorer"],
)
def test_pages_in_presentation_mode_fit_down_to_their_map(
    page, app_server, wait_for_app, wait_for_map, size, path, chart, stage
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_server}/{path}?present=1")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden(timeout=20_000)  # after the rerun
    wait_for_map(page, min_paths=100)
    r = rects(page, chart, stage)
    where = f"{path or 'overview'} at {size[0]}x{size[1]}"
    check_fits(r, size, ("title", "map", "legend", "citation"), False, where)
    assert r["map"][3] - r["map"][1] > 0.4 * size[1], f"{where}: the map is {r['map']}"


def test_the_what_changed_slide_maps_the_changes(page, app_server, wait_for_app, wait_for_map):
    number = next(i for i, s in enumerate(DECK.slides, 1) if "measure=changes" in s.view)
    page.goto(f"{app_server}/present?present=1&slide={number}")
    wait_for_app(page)
    wait_for_map(page, min_paths=10)
    legend = page.locator(".st-key-slide_map g.legend text.legendtext").all_text_contents()
    assert {"Newly implemented", "Newly DPI-like", "No change"} <= set(legend)


def luminance(css: str) -> float:
    channels = [float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_dark_theme_legends_and_buttons_follow_it(browser, app_server, wait_for_app, wait_for_map):
    external = []
    viewport = {"width": 1366, "height": 768}
    context = offline_context(browser, external, viewport=viewport, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{app_server}/present?present=1")
        wait_for_app(page)
        wait_for_map(page, min_paths=10)
        colours = page.evaluate(
            """() => ({
              page: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
              text: [...document.querySelectorAll('.st-key-slide_map g.legend text.legendtext')]
                .map((t) => getComputedStyle(t).fill),
              swatches: [...document.querySelectorAll('.st-key-slide_map g.legend .legendpoints path')]
                .map((p) => {  // a choropleth's swatch is a gradient: its colour is its stop's
                  const id = (getComputedStyle(p).fill.match(/#([^")]+)/) || [])[1];
                  const stop = id && document.getElementById(id)?.querySelector('stop');
                  return stop ? getComputedStyle(stop).stopColor : getComputedStyle(p).fill;
                }),
            })"""
        )
        assert luminance(colours["page"]) < 0.05, colours["page"]
        assert colours["text"] and colours["swatches"]
        for colour in colours["text"] + colours["swatches"]:
            assert contrast(colour, colours["page"]) >= 3, (colour, colours["page"])
        frame = next(f for f in page.frames if f.locator("#export").count())
        button = frame.locator("#export").evaluate("(b) => getComputedStyle(b).backgroundColor")
        assert luminance(button) < 0.05, f"the download button is {button} on a dark page"
        page.goto(f"{app_server}/map?pillar=Payments")  # a new session's very first run
        wait_for_app(page)
        wait_for_map(page)
        text = page.locator(".st-key-map_stage g.legend text.legendtext").first
        fill = text.evaluate("(t) => getComputedStyle(t).fill")
        assert contrast(fill, colours["page"]) >= 4.5, f"legend text {fill} on a dark page"
    finally:
        context.close()
    assert not external, external


def test_add_to_deck_says_where_the_slide_went_and_opens_it(page, app_server, wait_for_app):
    page.goto(f"{app_server}/map?pillar=Payments")
    wait_for_app(page)
    page.get_by_role("button", name=re.compile("Save view as slide")).click()
    page.get_by_label("Slide title").fill("My payments slide")
    page.get_by_role("button", name=re.compile("Add to deck")).click()
    added = "Added as slide 1 of the deck “A new deck (your saved slides)”."
    expect(page.get_by_text(added)).to_be_visible()
    page.get_by_role("link", name=re.compile("Open slide 1 of that deck")).click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("My payments slide")
    expect(page.get_by_text("slide 1 of 1", exact=True)).to_be_visible()
    assert not page.page_errors
