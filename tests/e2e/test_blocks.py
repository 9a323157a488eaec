"""The Building blocks page in a real browser (Chromium, every external request blocked): the
three questions it answers, each two clicks from the landing page and each a deep link whose
address holds ids."""

from playwright.sync_api import expect


def search(page) -> str:
    """The address's query string as the browser holds it (Streamlit changes it with pushState)."""
    return page.evaluate("location.search")


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).first


def test_x_road_in_two_clicks_then_back(page, app_server, wait_for_app, wait_for_map):
    """Which countries run data exchange on X-Road, and does the DPGA registry agree?"""
    page.goto(app_server)
    wait_for_app(page)
    page.get_by_role("link", name="Building blocks").click()  # click 1
    expect(metric(page, "DPI Map names MOSIP")).to_be_visible()
    page.get_by_role("radio", name="Data exchange", exact=True).click()  # click 2
    expect(metric(page, "DPI Map names X-Road")).to_be_visible()
    expect(metric(page, "Both sources agree")).to_contain_text("countries")
    wait_for_map(page)
    expect(page.get_by_text("DPGA registry only").first).to_be_visible()  # the legend
    page.wait_for_function("() => location.search === '?pillar=data_exchange'")
    page.go_back()
    expect(metric(page, "DPI Map names MOSIP")).to_be_visible()
    assert search(page) == ""
    assert not page.page_errors


def test_deep_links_hold_ids_and_paint_offline(page, app_server, wait_for_app, wait_for_map):
    page.goto(f"{app_server}/blocks?pillar=data_exchange&block=uxp")
    wait_for_app(page)
    expect(metric(page, "DPI Map names UXP")).to_be_visible()
    wait_for_map(page)
    assert search(page) == "?pillar=data_exchange&block=uxp"
    page.get_by_role("radio", name="X-Road", exact=True).click()
    expect(metric(page, "DPI Map names X-Road")).to_be_visible()
    page.wait_for_function("() => location.search === '?pillar=data_exchange'")  # default block


def test_suppliers_in_two_clicks(page, app_server, wait_for_app):
    """Which identity systems does MOSIP support, and which does Thales or IDEMIA supply?"""
    page.goto(app_server)
    wait_for_app(page)
    page.get_by_role("link", name="Building blocks").click()
    page.get_by_role("radio", name="Reuse and suppliers", exact=True).click()
    expect(page.get_by_role("heading", name="Vendors of digital identity systems")).to_be_visible()
    picked = page.locator('[data-testid="stMultiSelect"]')
    for name in ("MOSIP", "Thales", "IDEMIA"):  # the open block named, the top two vendors
        expect(picked).to_contain_text(name)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def test_open_share_in_sub_saharan_africa(page, app_server, wait_for_app):
    """How much of implemented DPI in Sub-Saharan Africa is on an open building block?"""
    page.goto(f"{app_server}/blocks?section=share&region=WB%3A+Sub-Saharan+Africa")
    wait_for_app(page)
    expect(page.get_by_text("Implemented systems on an open building block")).to_be_visible()
    expect(metric(page, "Digital identity")).to_contain_text("%")
    expect(metric(page, "Payments")).to_contain_text("Not recorded")
    assert "section=share" in search(page)
