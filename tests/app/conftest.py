"""AppTest fixtures: run a page script in-process against a chosen database.

    def test_overview_renders(run_page):
        at = run_page("pages/overview.py")            # DPI_DB = the session's warehouse
        assert not at.exception
        fig = json.loads(at.get("plotly_chart")[0].proto.spec)

    def test_no_database(run_page, empty_db_path):
        at = run_page("dashboard.py", db=empty_db_path, query_params={"pillar": "payments"})

Streamlit's caches live in this process and would leak between tests, so they are emptied
around every test. Project modules (queries, ...) stay imported across tests: read DPI_DB
when a query runs, not at import.
"""

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT_S = 30


def clear_streamlit_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True, scope="session")
def components_scanned_once() -> Iterator[None]:
    """Each new AppTest scans every installed package for Streamlit components (~0.15 s);
    the packages do not change during a test session, so the first scan's answer is kept."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(autouse=True)
def isolated_streamlit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Empty Streamlit's caches before and after each app test.

    Every AppTest is a new session, so each map page would wait out the pauses that order a
    fresh browser's downloads (atlas.mapview, ~0.45 s per run); there is no browser here, and
    the elements sent are the same without them.
    """
    from atlas import mapview

    monkeypatch.syspath_prepend(str(ROOT))  # pages import queries/charts from the repo root
    monkeypatch.setattr(mapview, "PREVIEW_LEAD_S", 0)
    clear_streamlit_caches()
    yield
    clear_streamlit_caches()


@pytest.fixture
def app_db(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's warehouse, exported as DPI_DB for the app code under test."""
    monkeypatch.setenv("DPI_DB", str(warehouse))
    return warehouse


RunPage = Callable[..., AppTest]


@pytest.fixture
def run_page(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> RunPage:
    """run_page(path, db=None, query_params=None, timeout=30) -> AppTest, already run.

    `path` is relative to the repo root ("dashboard.py", "pages/map.py"); `db` defaults to
    the session's warehouse (built on first use), so tests of a missing database pass
    `db=empty_db_path`.
    """

    def run(
        path: str | Path,
        db: Path | None = None,
        query_params: dict[str, str | list[str]] | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> AppTest:
        database = db if db is not None else request.getfixturevalue("app_db")
        monkeypatch.setenv("DPI_DB", str(database))
        at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
        at.query_params.update(query_params or {})
        return at.run()

    return run


class Download(NamedTuple):
    """What a page handed to st.download_button: file name, MIME type and data (bytes, text,
    or a callable that makes them when the user clicks)."""

    file_name: str | None
    mime: str | None
    data: object

    def content(self) -> bytes:
        data = self.data() if callable(self.data) else self.data
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def text(self) -> str:
        return self.content().decode("utf-8")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Download]:
    """label -> Download for every download button the pages draw in this test.

    AppTest runs without a Streamlit runtime, so the button's file never reaches a URL; this
    spy keeps what the page passed, so a test can read the file a user would get.
    """
    from streamlit.elements.widgets import button

    seen: dict[str, Download] = {}
    original = button.marshall_file

    def spy(coordinates, data, proto, mimetype, file_name=None, **kwargs):
        seen[proto.label] = Download(file_name, mimetype, data)
        return original(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", spy)
    return seen


@pytest.fixture(scope="module")
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the session's warehouse, to check what the pages show."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def latest(con: duckdb.DuckDBPyConnection) -> str:
    """The newest release date, as the pages' default."""
    return con.execute("SELECT strftime(max(release), '%Y-%m-%d') FROM releases").fetchone()[0]
