"""Rehearse a deck before going on stage: python -m rehearse [--deck FILE] [--db PATH] [--png DIR]

Starts `streamlit run atlas/server.py` on a free local port against the built warehouse, then walks
every slide of the deck in headless Chromium with the network cut off (every request that would
leave the machine is aborted and recorded). Each slide is also opened through its "Open this view
in the dashboard" link. One line per slide; exit status 1 if any slide errors, paints no map or
tries to fetch from outside the machine, 2 if the rehearsal cannot start. `--png DIR` also saves
each slide as the 1920x1080 PNG a presenter can fall back on.
"""

import argparse
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from atlas import localrun, paths
from atlas.present import decks

ROOT = paths.ROOT
DEFAULT_DECK = paths.DEFAULT_DECKS / "global-story.toml"
CHROMIUM, MAP_PATHS = localrun.CHROMIUM, localrun.MAP_PATHS
MIN_PATHS = 10  # drawn country shapes; a zoomed view draws fewer than the 241 it holds
TIMEOUT_MS = 30_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PROBLEMS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'


class RehearsalError(Exception):
    """The rehearsal could not start (no warehouse, no browser, server did not come up)."""


class DeckRefused(Exception):
    """The app refused the deck (it does not fit the warehouse): the app's message."""


@dataclass
class SlideReport:
    number: int
    title: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self, total: int) -> str:
        state = "FAIL" if self.problems else "ok  "
        detail = "; ".join(self.problems or self.notes)
        return f"  {self.number}/{total} {state} {self.title} ({detail})"


# ------------------------------------------------------------------ the server
@contextmanager
def streamlit_server(db: Path, deck_dir: Path, timeout_s: float = 60):
    """`streamlit run atlas/server.py` on a free loopback port, serving `db` and the deck's folder."""
    log = Path(tempfile.mkdtemp(prefix="dpi-rehearse-")) / "streamlit.log"
    try:
        with localrun.streamlit_server(
            {"DPI_DB": str(db), "DPI_DECKS": str(deck_dir)}, log, timeout_s
        ) as url:
            yield url
    except localrun.ServerError as exc:
        raise RehearsalError(str(exc)) from exc


# ------------------------------------------------------------------ the browser
def offline_page(browser, external: list[str], errors: list[str]):
    """A 1920x1080 page that may only talk to this machine; the rest is aborted and recorded."""
    viewport = {"width": 1920, "height": 1080}
    context = localrun.offline_context(browser, external, viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    return page


def wait_idle(page) -> None:
    """Until the app has finished running, and stays finished: a fresh server's first visit
    runs twice (ui.leave_legacy_page_mode), idle for a moment in between."""
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector(IDLE, state="attached")


def painted_paths(page) -> int:
    """Country shapes plotly has drawn, waiting up to TIMEOUT_MS for at least MIN_PATHS."""
    count = """([selector, minimum]) => {
        const n = [...document.querySelectorAll(selector)]
            .filter((p) => (p.getAttribute("d") || "").length > 10).length;
        return n >= minimum ? n : false;
    }"""
    try:
        return page.wait_for_function(count, arg=[MAP_PATHS, MIN_PATHS]).json_value()
    except Exception:  # noqa: BLE001 - a timeout is the finding, reported by the caller
        return page.locator(MAP_PATHS).count()


def page_problems(page, errors: list[str], external: list[str]) -> list[str]:
    problems = [f"shows an error: {text[:300]}" for text in page_texts(page, PROBLEMS)]
    problems += errors + [f"fetched from outside the machine: {url}" for url in external]
    errors.clear()
    external.clear()
    return problems


def page_texts(page, selector: str) -> list[str]:
    return [" ".join(t.split()) for t in page.locator(selector).all_inner_texts() if t.strip()]


# ------------------------------------------------------------------ the walk
def check_slide(page, link_page, url: str, number: int, total: int, state) -> SlideReport:
    report = SlideReport(number, "?")
    started = time.monotonic()
    wait_idle(page)
    headings = page_texts(page, "h1")
    report.title = headings[0] if headings else "(no title)"
    if f"slide {number} of {total}" not in page.inner_text("body"):
        report.problems.append(f"the counter does not say 'slide {number} of {total}'")
    paths = painted_paths(page)
    if paths < MIN_PATHS:
        report.problems.append(f"paints no map ({paths} country shapes)")
    report.problems += page_problems(page, state.errors, state.external)
    report.notes.append(f"{paths} shapes, {time.monotonic() - started:.1f} s")
    if state.png_dir is not None and not report.problems:
        report.notes.append(save_png(page, state.png_dir / f"slide-{number:02d}.png"))
    link = page.get_by_text("Open this view in the dashboard")
    if link.count():
        started = time.monotonic()
        report.problems += check_link(link_page, urljoin(url + "/", link.get_attribute("href")))
        report.problems += page_problems(link_page, state.link_errors, state.external)
        report.notes.append(f"its link opens in {time.monotonic() - started:.1f} s")
    else:
        report.problems.append("no 'Open this view in the dashboard' link")
    return report


def check_link(page, href: str) -> list[str]:
    page.goto(href)
    wait_idle(page)
    paths = painted_paths(page)
    return [] if paths >= MIN_PATHS else [f"its view {href} paints no map ({paths} shapes)"]


def save_png(page, target: Path) -> str:
    frame = next((f for f in page.frames if f.locator("#export").count()), None)
    if frame is None:
        return "no export button"
    with page.expect_download() as download:
        frame.locator("#export").click()
    download.value.save_as(target)
    return f"saved {target.name}"


def next_slide(page) -> None:
    """The presenter's way: the right arrow key (falls back to the Next button)."""
    before = page.inner_text("body")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    if page.inner_text("body") == before:
        page.get_by_role("button", name="Next").click()
        wait_idle(page)


@dataclass
class WalkState:
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    link_errors: list[str] = field(default_factory=list)
    png_dir: Path | None = None


def walk(url: str, deck_name: str, total: int, png_dir: Path | None) -> list[SlideReport]:
    from playwright.sync_api import sync_playwright

    state = WalkState(png_dir=png_dir)
    with sync_playwright() as driver:
        browser = localrun.launch_chromium(driver)
        page = offline_page(browser, state.external, state.errors)
        link_page = offline_page(browser, state.external, state.link_errors)
        page.goto(f"{url}/present?deck={deck_name}&slide=1&present=1")
        wait_idle(page)
        if refused := page_texts(page, '[data-testid="stAlertContentError"]'):
            raise DeckRefused(" ".join(refused))
        reports = []
        for number in range(1, total + 1):
            reports.append(check_slide(page, link_page, url, number, total, state))
            print(reports[-1].line(total), flush=True)
            if number < total:
                next_slide(page)
        browser.close()
    return reports


# ------------------------------------------------------------------ command line
def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m rehearse", description=__doc__.split("\n")[0])
    parser.add_argument("--deck", type=Path, default=DEFAULT_DECK, help="deck file (.toml)")
    parser.add_argument("--db", type=Path, help="warehouse (default: $DPI_DB or data/dpi.duckdb)")
    parser.add_argument("--png", type=Path, help="also save every slide as a PNG in this folder")
    return parser.parse_args(argv)


def preflight(args: argparse.Namespace) -> tuple[decks.Deck, Path]:
    db = (args.db or paths.database_path()).resolve()
    if not db.is_file():
        raise RehearsalError(f"no warehouse at {db}: build it first (python -m etl build)")
    if not os.access(CHROMIUM, os.X_OK):
        raise RehearsalError(f"no Chromium at {CHROMIUM}: run `make chromium` or set CHROMIUM")
    try:
        import playwright  # noqa: F401
    except ImportError as exc:
        raise RehearsalError("playwright is missing: run `make install-dev`") from exc
    if args.png:
        args.png.mkdir(parents=True, exist_ok=True)
    return decks.load_deck(args.deck.resolve(), ROOT), db


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        deck, db = preflight(args)
    except decks.DeckError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except RehearsalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    total = len(deck.slides)
    print(f"Rehearsing {deck.source} ({total} slides) offline against {db}")
    started = time.monotonic()
    try:
        with streamlit_server(db, args.deck.resolve().parent) as url:
            reports = walk(url, args.deck.stem, total, args.png)
    except DeckRefused as error:
        print(f"error: the app refused the deck: {error}", file=sys.stderr)
        return 1
    except RehearsalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [r for r in reports if r.problems]
    elapsed = time.monotonic() - started
    print(
        f"{total} slides in {elapsed:.0f} s: {total - len(failed)} ok, {len(failed)} with problems"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
