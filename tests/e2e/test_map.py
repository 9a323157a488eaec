"""The map explorer in a real browser (Chromium), with every external request blocked."""

import re
from urllib.parse import parse_qs, quote, urlparse

from playwright.sync_api import expect

# The biggest painted country inside the selection (the ones outside are light grey).
LARGEST_COLOURED_COUNTRY = """() => {
    const paths = [...document.querySelectorAll('.choroplethlayer path.choroplethlocation')]
        .filter(p => getComputedStyle(p).fill !== 'rgb(140, 140, 140)');
    const boxes = paths.map(p => p.getBoundingClientRect());
    const box = boxes.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


def painted_colours(page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            ".js-plotly-plot .choroplethlayer path.choroplethlocation",
            "paths => paths.map(p => getComputedStyle(p).fill)",
        )
    )


def test_overview_paints_the_stack_map(page, app_server, wait_for_app, wait_for_map):
    page.goto(app_server)
    wait_for_app(page)
    assert wait_for_map(page) > 150
    assert page.get_by_text("The DPI stack").is_visible()
    assert not page.page_errors


def test_switching_pillar_repaints(page, app_server, wait_for_app, wait_for_map):
    page.goto(f"{app_server}/map")
    wait_for_app(page)
    wait_for_map(page)
    identity = painted_colours(page)
    before = page.locator(".js-plotly-plot .choroplethlayer path").evaluate_all(
        "paths => paths.map(p => getComputedStyle(p).fill).join()"
    )
    page.get_by_role("radio", name="Payments", exact=True).click()
    page.wait_for_function(
        """(before) => [...document.querySelectorAll('.js-plotly-plot .choroplethlayer path')]
             .map(p => getComputedStyle(p).fill).join() !== before""",
        arg=before,
    )
    wait_for_map(page)
    assert "pillar=payments" in page.url  # the pillar's id, not its label
    assert identity  # both views painted with the status palette
    assert not page.page_errors


def test_deep_link_reproduces_the_view(page, app_server, wait_for_app, wait_for_map):
    page.goto(
        f"{app_server}/map?pillar=payments&release=2025-06-30&region=wb:latin-america-caribbean"
        "&country=JAM"
    )
    wait_for_app(page)
    wait_for_map(page, min_paths=20)
    expect(page.get_by_text("Payments · Implementation status").first).to_be_visible()
    expect(page.get_by_text("release 2025-06-30").first).to_be_visible()
    expect(page.get_by_role("heading", name="Jamaica")).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    assert query["country"] == ["JAM"] and query["region"] == ["wb:latin-america-caribbean"]
    assert not page.page_errors


def test_an_old_label_link_opens_the_same_view_with_ids(page, app_server, wait_for_app):
    region = quote("WB: Latin America & Caribbean")
    page.goto(f"{app_server}/map?pillar=Payments&region={region}&country=Jamaica")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Jamaica")).to_be_visible()
    page.wait_for_function("() => location.search.includes('country=JAM')")
    query = parse_qs(urlparse(page.url).query)
    assert query == {
        "pillar": ["payments"],
        "region": ["wb:latin-america-caribbean"],
        "country": ["JAM"],
    }


def test_clicking_a_country_selects_it(page, app_server, wait_for_app, wait_for_map):
    page.goto(f"{app_server}/map?region={quote('WB: South Asia')}")
    wait_for_app(page)
    wait_for_map(page, min_paths=5)
    box = page.evaluate(LARGEST_COLOURED_COUNTRY)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('country=')", timeout=20_000)
    expect(page.get_by_text("Open country profile")).to_be_visible()
    chosen = parse_qs(urlparse(page.url).query)["country"][0]
    assert re.fullmatch(r"[A-Z]{3}", chosen)  # the link carries the ISO3 code
    expect(page.locator('[data-testid="stMain"] h4').first).to_be_visible()  # its panel


def rgb(colour: str) -> str:
    """'#1b2a6b' or 'rgb(1, 2, 3)' as the browser reports a fill: 'rgb(27, 42, 107)'."""
    if colour.startswith("rgb("):
        return colour
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def test_the_building_block_and_outcome_measures_paint_offline(
    page, app_server, wait_for_app, wait_for_map
):
    from atlas import categories, outcome_charts

    page.goto(f"{app_server}/map?pillar=identity&measure=block")
    wait_for_app(page)
    assert wait_for_map(page) > 150
    block = painted_colours(page)
    for key in ("open_dpg", "proprietary", "not_recorded", "no_system"):
        assert rgb(categories.BLOCK_COLOURS[key]) in block, key
    assert page.get_by_text("Building block (technology or supplier)").first.is_visible()

    page.goto(f"{app_server}/map?pillar=payments&measure=outcome:FX.OWN.TOTL.ZS")
    wait_for_app(page)
    assert wait_for_map(page) > 150
    outcome = painted_colours(page)
    classes = {rgb(c) for c in outcome_charts.BIN_COLOURS}
    assert len(outcome & classes) >= 6  # a spread of classes, read from the palette
    assert rgb(outcome_charts.NO_DATA_COLOUR) in outcome  # "no data" apart from low values
    outlines = page.eval_on_selector_all(
        ".js-plotly-plot .choroplethlayer path.choroplethlocation",
        "paths => paths.filter(p => getComputedStyle(p).stroke === 'rgb(17, 17, 17)').length",
    )
    assert outlines > 20  # the countries with payments implemented, outlined
    legend = page.locator(".js-plotly-plot .legendtext", has_text="Payments implemented (outline)")
    assert legend.count() == 1 and legend.is_visible()
    assert not page.page_errors
