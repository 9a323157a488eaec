"""One real browser against `streamlit run`: Debian's Chromium driven by Playwright.

    def test_map_draws(page, app_server, wait_for_app, wait_for_map):
        page.goto(app_server)
        wait_for_app(page)
        wait_for_map(page)
        page.get_by_text("Payments", exact=True).click()   # radios are hidden: click the label

Every request that would leave the machine is aborted and recorded; a test that made one
fails at teardown, listing the URLs. Console errors (less Streamlit's expected base-path
probes) and uncaught page errors are on `page.console_errors` and `page.page_errors`.
A screenshot of each test lands in test-artifacts/<test>.png.
"""

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas.localrun import (
    MAP_PATHS,
    ServerError,
    launch_chromium,
    offline_context,
    streamlit_server,
)

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORT = {"width": 1600, "height": 1000}
ACTION_TIMEOUT_MS = 30_000
# On a page's own URL (/map) Streamlit first probes /map/_stcore/{health,host-config} for a
# base path, then falls back to /: those two 404s are expected, not errors of the app.
BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")
SERVER_LOG = pytest.StashKey[Path]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Attach the streamlit server's log to every failing test that used it."""
    report = yield
    log = item.config.stash.get(SERVER_LOG, None)
    if report.failed and log is not None and "app_server" in getattr(item, "fixturenames", ()):
        report.sections.append(("streamlit server log", log.read_text(errors="replace")))
    return report


# --- the server -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_server(
    real_warehouse: Path, pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of `streamlit run atlas/server.py` serving the warehouse."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    pytestconfig.stash[SERVER_LOG] = log
    try:
        with streamlit_server({"DPI_DB": str(real_warehouse)}, log) as url:
            yield url
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)


# --- the browser ----------------------------------------------------------------------------


def record_console_error(page: Page, message: ConsoleMessage) -> None:
    url = message.location.get("url", "")
    if message.type != "error" or BASE_PATH_PROBE.match(urlparse(url).path):
        return
    page.console_errors.append(f"{message.text} [{url}]" if url else message.text)


def artifact_name(nodeid_name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid_name).strip("_")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium (never a Playwright download)."""
    try:
        browser = launch_chromium(playwright)
    except FileNotFoundError as error:
        pytest.fail(f"{error} (`make test` installs it)", pytrace=False)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh 1600x1000 page that may talk to loopback only.

    Extra attributes: page.external_requests, page.console_errors, page.page_errors.
    """
    external: list[str] = []
    context = offline_context(browser, external, viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.external_requests = external
    page.console_errors = []
    page.page_errors = []
    page.on("console", lambda message: record_console_error(page, message))
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    yield page
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{artifact_name(request.node.name)}.png")
    except PlaywrightError as error:  # a crashed page: the test has failed already
        warnings.warn(f"no screenshot for {request.node.name}: {error}", stacklevel=1)
    finally:
        context.unroute_all(behavior="ignoreErrors")
        context.close()
    if external:
        urls = "\n  ".join(sorted(set(external)))
        pytest.fail(f"requests tried to leave the machine (blocked):\n  {urls}", pytrace=False)


# --- waiting helpers (fixtures, so tests need no imports) -----------------------------------


APP_IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)


def wait_for_app_idle(page: Page) -> None:
    """After page.goto: wait until Streamlit is connected and its first run has finished.

    After a click the state may still read notRunning before the rerun starts: wait for
    the content the click should produce instead (playwright's expect).
    """
    page.wait_for_selector(APP_IDLE, state="attached")


def wait_for_map_paths(page: Page, min_paths: int = 100, timeout_ms: int = 30_000) -> int:
    """Wait until plotly has painted at least `min_paths` country paths; return the count."""
    count_painted = """([selector, minimum]) => {
        const painted = [...document.querySelectorAll(selector)]
            .filter((path) => (path.getAttribute("d") || "").length > 10).length;
        return painted >= minimum ? painted : false;
    }"""
    try:
        handle = page.wait_for_function(
            count_painted, arg=[MAP_PATHS, min_paths], timeout=timeout_ms
        )
    except PlaywrightTimeout:
        drawn = page.locator(MAP_PATHS).count()
        pytest.fail(
            f"the map drew {drawn} < {min_paths} country paths in {timeout_ms} ms.\n"
            f"blocked external requests: {getattr(page, 'external_requests', [])}\n"
            f"console errors: {getattr(page, 'console_errors', [])}",
            pytrace=False,
        )
    return handle.json_value()


@pytest.fixture
def wait_for_app() -> Callable[[Page], None]:
    return wait_for_app_idle


@pytest.fixture
def wait_for_map() -> Callable[..., int]:
    """wait_for_map(page, min_paths=100, timeout_ms=30000) -> number of painted paths."""
    return wait_for_map_paths
