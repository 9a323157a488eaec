"""Rehearse a deck before going on stage:
python -m atlas.present.rehearse [--deck FILE] [--db PATH] [--size WxH] [--scheme light|dark]
                                 [--png DIR] [--screens DIR]

Starts `streamlit run atlas/server.py` on a free local port against the built warehouse, then walks
every slide of the deck in headless Chromium with the network cut off (every request that would
leave the machine is aborted and recorded), at each screen size (1920x1080 and 1366x768 unless
told) in each theme (light and dark unless told). On every slide it checks that the slide fits
the screen (title, caption, map, legend and citation inside it, no scrolling, nothing
overlapping, the exit button clear of the navigation), that the legend reads against the page
(3:1 contrast; its colour swatches too in the dark theme), and that no caption number
contradicts another (a part larger than its whole, a share above 100%). Each slide is also
opened through its "Open this view in the dashboard" link. One line per slide; exit status 1 if
any slide has a problem, 2 if the rehearsal cannot start. `--png DIR` also saves each slide as
the 1920x1080 PNG a presenter can fall back on; `--screens DIR` a screenshot of each slide as
shown, per size and theme.
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
from atlas.present.slide_checks import (
    LAYOUT_JS,
    caption_contradictions,
    contrast_problems,
    layout_problems,
)

ROOT = paths.ROOT
DEFAULT_DECK = paths.DEFAULT_DECKS / "global-story.toml"
CHROMIUM, MAP_PATHS = localrun.CHROMIUM, localrun.MAP_PATHS
MIN_PATHS = 10  # drawn country shapes; a zoomed view draws fewer than the 241 it holds
TIMEOUT_MS = 30_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PROBLEMS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'
SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
SCHEMES = ("light", "dark")


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
def offline_page(
    browser, external: list[str], errors: list[str], size=(1920, 1080), scheme="light"
):
    """A page of `size` in the `scheme` colour scheme that may only talk to this machine; the
    rest is aborted and recorded."""
    viewport = {"width": size[0], "height": size[1]}
    context = localrun.offline_context(
        browser, external, viewport=viewport, color_scheme=scheme, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    return page


def wait_idle(page) -> None:
    """Until the app has finished running, and stays finished: a fresh server's first visit
    runs twice (frame.leave_legacy_page_mode), idle for a moment in between."""
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


def settled_layout(page, stage: str = "slide_map", chart: str = "slide_chart") -> dict:
    """LAYOUT_JS once the page has stopped moving: the map's height is fitted to the screen in
    the browser after it is drawn (frame.FIT_SCRIPT), so measure until two reads agree."""
    before = None
    for _ in range(20):
        page.wait_for_timeout(150)
        layout = page.evaluate(LAYOUT_JS, [stage, chart])
        if layout == before:
            return layout
        before = layout
    return before


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
        report.problems.append(f"paints no map ({paths} shape(s))")
    layout = settled_layout(page)
    report.problems += layout_problems(layout)
    report.problems += contrast_problems(layout, swatches=state.scheme == "dark")
    for caption in page_texts(page, ".st-key-slide_caption"):
        report.problems += caption_contradictions(caption)
    report.problems += page_problems(page, state.errors, state.external)
    report.notes.append(f"{paths} shapes, {time.monotonic() - started:.1f} s")
    if state.screens_dir is not None:
        name = f"slide-{number:02d}-{state.size[0]}x{state.size[1]}-{state.scheme}.png"
        page.screenshot(path=str(state.screens_dir / name))
    if state.png_dir is not None and not report.problems:
        report.notes.append(save_png(page, state.png_dir / f"slide-{number:02d}.png"))
    if link_page is None:
        return report
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
        page.get_by_role("button", name="Next", exact=True).click()
        wait_idle(page)


@dataclass
class WalkState:
    size: tuple[int, int] = (1920, 1080)
    scheme: str = "light"
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    link_errors: list[str] = field(default_factory=list)
    png_dir: Path | None = None
    screens_dir: Path | None = None


def walk(url: str, deck_name: str, total: int, state: WalkState, links: bool) -> list[SlideReport]:
    """Every slide at one screen size in one theme (`links`: also open each slide's link)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = localrun.launch_chromium(driver)
        page = offline_page(browser, state.external, state.errors, state.size, state.scheme)
        link_page = None
        if links:
            link_page = offline_page(browser, state.external, state.link_errors, state.size)
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
    parser = argparse.ArgumentParser(
        prog="python -m atlas.present.rehearse", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--deck", type=Path, default=DEFAULT_DECK, help="deck file (.toml)")
    parser.add_argument("--db", type=Path, help="warehouse (default: $DPI_DB or data/dpi.duckdb)")
    parser.add_argument(
        "--size", action="append", choices=list(SIZES), help="screen size (default: both)"
    )
    parser.add_argument(
        "--scheme", action="append", choices=SCHEMES, help="colour scheme (default: both)"
    )
    parser.add_argument("--png", type=Path, help="also save every slide as a PNG in this folder")
    parser.add_argument("--screens", type=Path, help="save a screenshot of every slide here")
    args = parser.parse_args(argv)
    args.size = args.size or list(SIZES)
    args.scheme = args.scheme or list(SCHEMES)
    return args


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
    for folder in (args.png, args.screens):
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
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
    started, reports = time.monotonic(), []
    try:
        with streamlit_server(db, args.deck.resolve().parent) as url:
            for index, (size, scheme) in enumerate(
                (size, scheme) for size in args.size for scheme in args.scheme
            ):
                print(f"At {size}, {scheme} theme:", flush=True)
                state = WalkState(SIZES[size], scheme, screens_dir=args.screens)
                state.png_dir = args.png if index == 0 else None  # the slide images once
                reports += walk(url, args.deck.stem, total, state, links=index == 0)
    except DeckRefused as error:
        print(f"error: the app refused the deck: {error}", file=sys.stderr)
        return 1
    except RehearsalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [r for r in reports if r.problems]
    elapsed = time.monotonic() - started
    print(
        f"{len(reports)} slide views in {elapsed:.0f} s: {len(reports) - len(failed)} ok, "
        f"{len(failed)} with problems"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
