"""Benchmark the dashboard: server-side rerun time per page (warm caches) and, in headless
Chromium, the time from navigation to a painted map.

    python bench/app.py [--db data/dpi.duckdb] [--runs 7]

Targets (issue 3): rerun under 150 ms, painted map under 1.5 s on this machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import localrun  # noqa: E402
from atlas.localrun import MAP_PATHS  # noqa: E402

MAP_PAGES = {"overview": "", "map": "map"}
# Pages that show little until something is picked are measured with a typical pick.
PAGE_PARAMS = {
    "country": {"iso3": "KEN"},
    "compare": {"compare": ["Kenya", "India", "Region: Sub-Saharan Africa"]},
}


def rerun_times(page: str, runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.query_params.update(PAGE_PARAMS.get(Path(page).stem, {}))
    at.run()  # warm the caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    if at.exception:
        raise SystemExit(f"{page} raised: {at.exception[0].value}")
    return times


def paint_times(base: str, path: str, runs: int) -> dict[str, list[float]]:
    """Navigation -> map painted, in seconds: the first map on screen (the server-drawn preview,
    or plotly's if that came first) and the interactive plotly map. Each in a fresh browser
    context (nothing cached: "first") and on a revisit in the same context (the browser's HTTP
    cache warm, as for a returning viewer or a presenter who rehearsed). The server's caches
    are warm in both."""
    from playwright.sync_api import sync_playwright

    times = {f"{kind} {visit_}": [] for visit_ in ("first", "revisit") for kind in KINDS}
    with sync_playwright() as driver:
        browser = localrun.launch_chromium(driver)
        visit(browser.new_page(), f"{base}/{path}")  # warm the server's caches
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_init_script(localrun.PAINT_PROBE)
            for visit_ in ("first", "revisit"):
                marks = visit(context.new_page(), f"{base}/{path}")
                for kind in KINDS:
                    times[f"{kind} {visit_}"].append(marks[kind])
            context.close()
        browser.close()
    return times


KINDS = ("map", "plotly")


def switch_times(base: str, runs: int, pause_ms: int = 0) -> list[float]:
    """In-app navigation: from the painted overview, `pause_ms` later, click "Map explorer"
    in the top bar and wait for the map page's own map (the way a viewer moves around)."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as driver:
        browser = localrun.launch_chromium(driver)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        for _ in range(runs + 1):
            page.goto(base)
            page.wait_for_function(f"document.querySelectorAll('{MAP_PATHS}').length > 100")
            page.wait_for_timeout(pause_ms)
            started = time.perf_counter()
            page.get_by_role("link", name="Map explorer").click()
            page.wait_for_function(
                "document.querySelector('h1')?.textContent.includes('Map explorer') && "
                f"document.querySelectorAll('{MAP_PATHS}').length > 100",
                timeout=60_000,
            )
            times.append(time.perf_counter() - started)
        browser.close()
    return times[1:]


def visit(page, url: str) -> dict[str, float]:
    """Open `url`, wait for plotly's map; seconds from navigation to the first map painted
    ("map") and to plotly's ("plotly"), read from localrun.PAINT_PROBE when installed."""
    page.goto(url)
    page.wait_for_function(
        "window.__mapTimes ? window.__mapTimes.plotly : document.querySelectorAll("
        f"'{MAP_PATHS}').length > 100",
        timeout=60_000,
    )
    marks = page.evaluate("window.__mapTimes || {}")
    page.close()
    plotly = marks.get("plotly", 0) / 1000
    return {"map": min(marks.get("preview", 1e9) / 1000, plotly), "plotly": plotly}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("DPI_DB", str(ROOT / "data" / "dpi.duckdb")))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["DPI_DB"] = str(Path(args.db).resolve())
    print(f"server-side rerun, warm caches (median of {args.runs}; target < 150 ms)")
    for page in sorted(ROOT.glob("pages/*.py")):
        times = rerun_times(str(page.relative_to(ROOT)), args.runs)
        print(
            f"  {page.stem:<10} {statistics.median(times) * 1000:7.0f} ms  (max {max(times) * 1000:.0f})"
        )
    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    with localrun.streamlit_server({"DPI_DB": os.environ["DPI_DB"]}, log) as base:
        print(
            f"navigation -> painted map in Chromium, median of {args.runs} (max); target < 1.5 s\n"
            "  'map': the first map on screen (server-drawn, or plotly's if sooner); "
            "'plotly': the interactive map"
        )
        for name, path in MAP_PAGES.items():
            times = paint_times(base, path, args.runs)
            cells = [
                f"{label} {statistics.median(values):4.2f} s ({max(values):.2f})"
                for label, values in times.items()
            ]
            print(f"  {name:<10} " + " · ".join(cells))
            ratio = statistics.median(
                m / p for m, p in zip(times["map first"], times["plotly first"], strict=True)
            )
            print(f"  {'':<10} first map / interactive map on a first visit: {ratio:.2f}")
        for pause_ms, when in ((0, "as soon as its map is interactive"), (1500, "1.5 s later")):
            times = switch_times(base, args.runs, pause_ms)
            print(
                f"  overview -> map explorer in the app, clicked {when}: "
                f"{statistics.median(times):4.2f} s (max {max(times):.2f})"
            )


if __name__ == "__main__":
    main()
