"""A fresh page's first map: drawn by the server (preview.py) while plotly.js is still loading,
then replaced by plotly's interactive map, which must look the same."""

import io

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import expect

from atlas.localrun import MAP_PATHS

PLOTLY_BUNDLE = "**/PlotlyChart*.js"  # Streamlit's lazily loaded plotly.js chunk
# Resolves once the preview's background image (a data URI) has decoded.
PREVIEW_DECODED = """async () => {
    const box = document.querySelector('.map-preview-map');
    const url = getComputedStyle(box).backgroundImage.slice(5, -2);
    const image = new Image();
    image.src = url;
    await image.decode();
    return image.naturalWidth > 0;
}"""
LEGEND_DRAWN = "document.querySelectorAll('.js-plotly-plot .legend .traces').length > 0"
# A pixel differs when a channel is off by more than anti-aliasing would make it. Measured
# when this was written: 1.3-1.9% of the map's pixels differ (borders and legend type);
# drawn 2 px off, the same maps differ in 8-16%.
CHANNEL_TOLERANCE = 40
MAX_DIFFERING = 0.04


def stage_image(page, stage: str) -> Image.Image:
    return Image.open(io.BytesIO(page.locator(f".st-key-{stage}").screenshot())).convert("RGB")


def share_differing(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: v > CHANNEL_TOLERANCE)
    return sum(diff.histogram()[1:]) / (a.width * a.height)


@pytest.mark.parametrize(
    ("path", "stage", "drawn"),
    [
        ("", "stack_stage", 100),  # the overview: world map, natural earth
        ("map?pillar=Payments", "map_stage", 100),
        ("map?region=UN%3A+Caribbean", "map_stage", 10),  # Mercator, small-state markers
        ("map?region=WB%3A+Sub-Saharan+Africa", "map_stage", 20),  # natural earth, rotated, scaled
        ("map?country=Kenya", "map_stage", 8),  # zoomed to one country, outlined
        ("map?region=UN%3A+Polynesia", "map_stage", 3),  # Mercator across the antimeridian
        ("map?region=WB%3A+East+Asia+%26+Pacific", "map_stage", 20),  # centred on the Pacific
    ],
)
def test_server_drawn_map_comes_first_and_plotly_draws_the_same(
    page, app_server, wait_for_map, path, stage, drawn
):
    held = []
    page.route(PLOTLY_BUNDLE, lambda route: held.append(route))  # plotly.js: not yet
    page.goto(f"{app_server}/{path}")
    preview = page.locator(".map-preview-map")
    expect(preview).to_be_visible()
    assert page.evaluate(PREVIEW_DECODED)
    assert held, "the page asked for plotly.js"
    assert page.locator(MAP_PATHS).count() == 0  # so this map is the server's
    before = stage_image(page, stage)

    for route in held:
        route.fallback()
    wait_for_map(page, min_paths=drawn)  # countries inside the view
    page.wait_for_function(LEGEND_DRAWN)
    expect(preview).to_be_hidden()
    after = stage_image(page, stage)

    assert before.size == after.size  # same place, same size: nothing moves
    assert share_differing(before, after) < MAX_DIFFERING
    assert not page.page_errors


def test_after_an_interaction_only_plotly_draws(page, app_server, wait_for_app, wait_for_map):
    page.goto(f"{app_server}/map")
    wait_for_app(page)
    wait_for_map(page)
    page.get_by_role("radio", name="Payments", exact=True).click()
    expect(page.locator(".map-preview")).to_have_count(0)  # the rerun sent no second preview
    wait_for_map(page)
    assert "pillar=payments" in page.url
    assert page.locator(".st-key-map_stage .js-plotly-plot").is_visible()
