"""The two journeys of issue 13 in a real browser, each on a 1600x1000 screen in light and in
dark mode and on a 390x844 phone (fixture real_warehouse; no request may leave the machine).

- Policymaker: the overview -> switch the map to a pillar -> click a country -> its profile
  opens on that pillar's tab.
- Analyst: filter by region and income group -> pick a measure -> download the table and read
  it back with pandas -> compare countries and groups (Enter adds one item) -> trends, the
  filter kept all along.

Every number checked here is re-derived with SQL written in this file. Each step leaves a
screenshot in test-artifacts/journeys/<setup>/.
"""

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from atlas.localrun import offline_context
from tests.e2e.conftest import APP_IDLE, wait_for_map_paths

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
PHONE_AGENT = (  # Chrome on an Android phone: the browser these tests drive is Chromium
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
SETUPS = {
    "desktop-light": {"viewport": {"width": 1600, "height": 1000}, "color_scheme": "light"},
    "desktop-dark": {"viewport": {"width": 1600, "height": 1000}, "color_scheme": "dark"},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "color_scheme": "light",
        "is_mobile": True,
        "has_touch": True,
        "user_agent": PHONE_AGENT,
    },
}


class Journey:
    """A page in one setup, with the steps a visitor takes and a screenshot of each."""

    def __init__(self, page: Page, setup: str, base: str, name: str):
        self.page, self.setup, self.base, self.step = page, setup, base, 0
        self.phone = setup == "phone"
        self.folder = ARTIFACTS / setup / name
        self.folder.mkdir(parents=True, exist_ok=True)

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base}/{path}")
        self.idle()

    def idle(self, pause: float = 0.6) -> None:
        time.sleep(pause)  # a click's rerun may not have started yet
        self.page.wait_for_selector(APP_IDLE, state="attached", timeout=60_000)

    def shot(self, name: str) -> Path:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=path)
        return path

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.page.url).query)

    def wait_for_query(self, key: str, value: str) -> None:
        self.page.wait_for_function(
            "([k, v]) => new URLSearchParams(location.search).getAll(k).includes(v)",
            arg=[key, value],
            timeout=30_000,
        )

    def wait_for_map(self, minimum: int = 20) -> None:
        wait_for_map_paths(self.page, minimum, timeout_ms=60_000)

    def sidebar(self):
        """The sidebar, opened first on a phone (where it starts collapsed)."""
        sidebar = self.page.locator('[data-testid="stSidebar"]')
        if sidebar.get_attribute("data-collapsed") != "false":
            self.page.locator('[data-testid="stExpandSidebarButton"]').click()
            expect(sidebar).to_have_attribute("data-collapsed", "false")
            time.sleep(0.5)  # its slide-in
        return sidebar

    def close_sidebar(self) -> None:
        sidebar = self.page.locator('[data-testid="stSidebar"]')
        if self.phone and sidebar.get_attribute("data-collapsed") == "false":
            sidebar.locator('[data-testid="stSidebarCollapseButton"] button').first.click()
            expect(sidebar).to_have_attribute("data-collapsed", "true")

    def go(self, title: str) -> None:
        """Another page through the app's navigation (the session, and its filters, stay)."""
        if self.phone:
            self.sidebar().locator('[data-testid="stSidebarNavLink"]', has_text=title).click()
        else:
            self.page.locator('[data-testid="stTopNavLink"]', has_text=title).click()
        self.idle(1.0)

    def type_into(self, select, text: str, option: str | None = None) -> None:
        """Search a select widget the way a visitor does: type, then Enter. On a phone a list
        of ten options or fewer takes no typing (Streamlit): tap `option` there instead."""
        select.locator("input").click()
        if self.phone and option and select.locator("input").get_attribute("readonly") is not None:
            self.page.get_by_role("option", name=option, exact=True).click()
        else:
            self.page.keyboard.type(text)
            self.page.keyboard.press("Enter")
            self.page.keyboard.press("Escape")  # a multiselect's list stays open after Enter
        self.idle()

    def click_country(self, iso3: str) -> None:
        """Click the middle of a country's shape on the map."""
        box = self.page.evaluate(
            """(iso3) => {
                const path = [...document.querySelectorAll('path.choroplethlocation')]
                    .find((p) => p.__data__ && p.__data__.loc === iso3);
                path.scrollIntoView({block: 'center'});
                const r = path.getBoundingClientRect();
                return {x: r.x + r.width / 2, y: r.y + r.height / 2};
            }""",
            iso3,
        )
        self.page.mouse.click(box["x"], box["y"])


@pytest.fixture(params=list(SETUPS))
def journey(request, browser, app_server):
    external: list[str] = []
    context = offline_context(browser, external, service_workers="block", **SETUPS[request.param])
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    who = request.node.originalname.removeprefix("test_").split("_")[0]  # policymaker, analyst
    journey = Journey(page, request.param, app_server, who)
    yield journey
    journey.shot("last")  # where the journey ended (or failed)
    context.close()
    assert not external, f"requests tried to leave the machine: {sorted(set(external))}"
    assert not errors, errors


@pytest.fixture(scope="module")
def con(real_con):
    return real_con


@pytest.fixture(scope="module")
def latest(real_latest) -> str:
    return real_latest


def no_traceback(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_policymaker_overview_pillar_country_profile(journey, con, latest):
    page = journey.page
    journey.open("")
    journey.wait_for_map(150)
    expect(page.get_by_role("heading", name="DPI Atlas")).to_be_visible()
    counted, implemented = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE s.status = 'implemented')
           FROM countries c LEFT JOIN country_status s ON s.iso3 = c.iso3
                AND s.pillar = 'payments' AND s.release = CAST(? AS DATE)
           WHERE c.region IS NOT NULL""",
        [latest],
    ).fetchone()
    metric = page.locator('[data-testid="stMetric"]', has_text="Payments: implemented")
    expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(
        f"{implemented} of {counted}"
    )
    journey.shot("overview")

    page.get_by_role("radio", name="Payments", exact=True).click()
    journey.wait_for_query("pillar", "payments")
    journey.idle()
    expect(page.get_by_role("heading", name="Payments: implementation status")).to_be_visible()
    journey.wait_for_map(150)
    page.get_by_role("heading", name="Payments: implementation status").scroll_into_view_if_needed()
    journey.shot("overview-payments-map")

    journey.click_country("BRA")
    page.wait_for_function("() => location.pathname.endsWith('/country')", timeout=30_000)
    journey.idle()
    expect(page.get_by_role("heading", name="Brazil (BRA)")).to_be_visible()
    assert journey.query() == {"iso3": ["BRA"], "pillar": ["payments"]}
    tab = page.get_by_role("tab", name="Payments")
    expect(tab).to_have_attribute("aria-selected", "true")
    status = con.execute(
        "SELECT status FROM country_status WHERE iso3 = 'BRA' AND pillar = 'payments' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()[0]
    panel = page.locator('[data-testid="stTabPanel"]:visible').first
    expect(panel).to_contain_text("Country status: " + status.replace("_", " ").capitalize())
    journey.shot("profile-payments-tab")
    no_traceback(page)


def test_analyst_filter_measure_download_compare_trends(journey, con, latest):
    page = journey.page
    journey.open("map")
    journey.wait_for_map(100)
    sidebar = journey.sidebar()
    selects = sidebar.locator('[data-testid="stSelectbox"]')
    journey.type_into(selects.nth(1), "Sub-Saharan")
    journey.wait_for_query("region", "wb:sub-saharan-africa")
    journey.type_into(selects.nth(2), "Low income", option="Low income")
    journey.wait_for_query("income", "income:low")
    members = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM countries WHERE region = 'Sub-Saharan Africa' "
            "AND income_group = 'Low income'"
        ).fetchall()
    }
    expect(sidebar).to_contain_text(f"{len(members)} of ")
    journey.shot("filtered-sidebar")
    journey.close_sidebar()

    page.get_by_role("radio", name="Payments", exact=True).click()
    journey.wait_for_query("pillar", "payments")
    journey.idle()
    label = con.execute(
        "SELECT label FROM attributes WHERE pillar = 'payments' AND attribute = 'real_time_payments'"
    ).fetchone()[0]
    measure = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has_text="Measure"
    )
    journey.type_into(measure, label, option=label)
    journey.wait_for_query("measure", "attr:real_time_payments")
    journey.wait_for_map(len(members))
    expect(page.get_by_text(f"Payments · {label}").first).to_be_visible()
    journey.shot("filtered-map-measure")

    button = page.get_by_role("button", name="Download this table (CSV)")
    button.scroll_into_view_if_needed()
    with page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    assert name == (
        f"dpi-atlas_payments-attr-real_time_payments_{latest}_wb-sub-saharan-africa_income-low.csv"
    )
    table = pd.read_csv(download.value.path())  # a plain read: no comment line to skip
    assert set(table["iso3"]) == members
    assert set(table["release"]) == {latest}
    assert set(table["selection"]) == {"Sub-Saharan Africa, Low income"}
    assert table["citation"].str.startswith(f"DPI Map ({latest})").all()
    yes = con.execute(
        """SELECT count(*) FROM country_status cs JOIN countries c USING (iso3)
           JOIN system_attributes a ON a.system_id = cs.system_id
           WHERE a.attribute = 'real_time_payments' AND a.value_bool AND cs.pillar = 'payments'
             AND cs.release = CAST(? AS DATE) AND c.region = 'Sub-Saharan Africa'
             AND c.income_group = 'Low income'""",
        [latest],
    ).fetchone()[0]
    assert int(table["real_time_payments"].eq(True).sum()) == yes
    journey.shot("download-button")

    journey.go("Compare")
    assert journey.query()["region"] == ["wb:sub-saharan-africa"]  # the filter came along
    assert journey.query()["income"] == ["income:low"]
    items = page.locator('[data-testid="stMultiSelect"]').first
    journey.type_into(items, "India")
    journey.wait_for_query("compare", "IND")
    journey.type_into(items, "Income: Low")
    journey.wait_for_query("compare", "income:low")
    assert journey.query()["compare"] == ["IND", "income:low"]  # one item per Enter
    expect(page.get_by_text("applies to regions and income groups")).to_be_visible()
    expect(page.get_by_text(re.compile("outside it: India"))).to_be_visible()
    page.get_by_role("heading", name="Statuses per pillar").scroll_into_view_if_needed()
    journey.shot("compare")

    journey.go("Trends")
    assert journey.query()["region"] == ["wb:sub-saharan-africa"]
    expect(page.get_by_text(f"({len(members)} countries and territories")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .trace').length > 3", timeout=60_000
    )
    journey.shot("trends")
    no_traceback(page)


CUT_TEXT = """(selects) => {
    // every pillar button's words (and the select boxes' shown values): text wider than its box
    const cut = [];
    for (const p of document.querySelectorAll('[data-testid="stButtonGroup"] button p')) {
        if (p.scrollWidth > p.clientWidth + 1) cut.push(p.textContent);
    }
    for (const row of document.querySelectorAll('[data-testid="stButtonGroup"] > div')) {
        if (row.scrollWidth > row.clientWidth + 1) cut.push(row.textContent);  // cut at its end
    }
    for (const box of document.querySelectorAll('[data-testid="stMain"] [data-testid="stSelectbox"]')) {
        const input = box.querySelector('input');
        if (selects && input && input.scrollWidth > input.clientWidth + 1) cut.push(input.value);
    }
    return cut;
}"""


@pytest.mark.parametrize("width", [1280, 1600, 1920, 390])
def test_controls_are_never_cut(browser, app_server, width):
    """The pillar switch fits from a phone to a wide screen, and the longest measure name from
    1280 px up (a phone's 360 px select box shows it whole in its list only)."""
    setup = SETUPS["phone"] if width == 390 else {"viewport": {"width": width, "height": 1000}}
    external: list[str] = []
    context = offline_context(browser, external, service_workers="block", **setup)
    page = context.new_page()
    journey = Journey(page, f"controls-{width}", app_server, "map")
    journey.open("map?pillar=data_exchange&measure=attr:x_road_based&country=KEN")
    journey.wait_for_map(5)
    expect(page.get_by_role("heading", name="Kenya")).to_be_visible()
    assert page.evaluate(CUT_TEXT, width >= 1280 and width != 390) == []
    journey.shot("controls")
    journey.open("")
    journey.wait_for_map(100)
    assert page.evaluate(CUT_TEXT, False) == []
    context.close()
    assert not external
