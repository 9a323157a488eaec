"""Trends, country profile, compare and data & sources in a real browser (Chromium).

Every request that would leave the machine is blocked and fails the test (see conftest.py); a
1600x1000 screenshot of each test lands in test-artifacts/.
"""

from urllib.parse import parse_qs, quote, urlparse

import pandas as pd
from playwright.sync_api import expect


def wait_for_charts(page, minimum: int, timeout_ms: int = 30_000) -> int:
    """Wait until `minimum` plotly charts have drawn at least one trace; return how many."""
    handle = page.wait_for_function(
        """(minimum) => {
            const drawn = [...document.querySelectorAll('.js-plotly-plot')].filter(
                (plot) => plot.querySelector('.trace, .sankey, .bars')).length;
            return drawn >= minimum ? drawn : false;
        }""",
        arg=minimum,
        timeout=timeout_ms,
    )
    return handle.json_value()


def test_trends_draws_every_chart_and_the_not_assessed_band(page, app_server, wait_for_app):
    page.goto(f"{app_server}/trends")
    wait_for_app(page)
    assert wait_for_charts(page, 4) >= 4
    expect(page.get_by_role("heading", name="Transitions between two releases")).to_be_visible()
    assert page.locator(".js-plotly-plot .sankey-link").count() > 0
    assert page.locator(".js-plotly-plot text", has_text="not assessed").count() >= 1
    page.get_by_role("radio", name="Income group", exact=True).click()
    page.wait_for_function("() => location.search.includes('by=')")
    wait_for_app(page)
    expect(page.get_by_text("Lower middle income", exact=True).first).to_be_visible()
    assert not page.page_errors


def test_country_profile_from_url_and_picker(page, app_server, wait_for_app):
    page.goto(f"{app_server}/country?iso3=KEN")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Kenya (KEN)")).to_be_visible()
    wait_for_charts(page, 1)
    expect(page.get_by_text("Peers: same World Bank region and income group")).to_be_visible()
    picker = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    picker.locator("input").click()
    page.keyboard.type("Turkey")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('iso3=TUR')")
    expect(page.get_by_role("heading", name="Türkiye (TUR)")).to_be_visible()
    assert not page.page_errors


def test_map_panel_links_to_the_profile(page, app_server, wait_for_app, wait_for_map):
    page.goto(f"{app_server}/map?country=Kenya")
    wait_for_app(page)
    wait_for_map(page, min_paths=1)  # zoomed to Kenya: most shapes are off screen
    page.get_by_text("Open country profile").click()
    page.wait_for_function("() => location.pathname.endsWith('/country')")
    wait_for_app(page)
    assert "iso3=KEN" in page.url
    expect(page.get_by_role("heading", name="Kenya (KEN)")).to_be_visible()
    assert not page.page_errors


def test_compare_reads_and_writes_the_url(page, app_server, wait_for_app):
    region = quote("Region: Sub-Saharan Africa")
    page.goto(f"{app_server}/compare?compare=Kenya&compare={region}")
    wait_for_app(page)
    wait_for_charts(page, 1)
    assert page.locator(".js-plotly-plot .bars path").count() > 0
    expect(page.get_by_text("Statuses per pillar")).to_be_visible()
    page.wait_for_function("() => location.search.includes('compare=KEN')")  # ids now
    page.locator('[data-testid="stMultiSelect"] input').first.click()
    page.keyboard.type("India")
    page.keyboard.press("Enter")  # the best match only: India, not Indonesia or BIOT
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('compare=IND')")
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query)["compare"] == [
        "KEN",
        "wb:sub-saharan-africa",
        "IND",
    ]
    expect(page.get_by_role("columnheader", name="India").first).to_be_visible()
    assert not page.page_errors


def test_sources_downloads_carry_the_citation(page, app_server, wait_for_app, real_warehouse):
    page.goto(f"{app_server}/sources")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Data-quality report")).to_be_visible()
    with page.expect_download() as csv:
        page.get_by_role("button", name="Country statuses (CSV)").click()
    table = pd.read_csv(csv.value.path())  # one header row: no comment line to skip
    assert {"iso3", "pillar", "status", "selection", "citation"} <= set(table.columns)
    assert table["citation"].str.startswith("DPI Map (").all()
    assert csv.value.suggested_filename.startswith("dpi-atlas_status_")
    with page.expect_download() as full:
        page.get_by_role("button", name="Full warehouse").click()
    with open(full.value.path(), "rb") as file:
        head = file.read(16)
    assert b"DUCK" in head  # a DuckDB file
    assert not page.page_errors
