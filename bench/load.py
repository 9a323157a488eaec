"""Load test: fresh visitors opening a page at once, over Streamlit's own websocket protocol.

    python bench/load.py                         # starts one `streamlit run` and measures it
    python bench/load.py --serve 2               # starts the `make serve` set-up, 2 replicas
    python bench/load.py --url http://127.0.0.1:8080 --pid PID   # a server already running
    python bench/load.py --serve 2 --rebuild --browser 5         # and a rebuild, and Chromium

Each session is what a browser's fresh visit asks of the server: the page's HTML (keeping the
cookie nginx sets), then `/_stcore/stream`: the first "rerun" BackMsg for the page (its URL
path and query string, an empty widget state), ForwardMsgs read until the script run has
finished; then the map's files (`map-assets/<build>/...`, named in the page's plotly config),
gzip accepted as Chromium accepts it. `--no-assets`: the websocket only. Streamlit's own
JavaScript bundles are left out: a browser caches them for a year, and under `make serve`
nginx sends them from disk.

For each level (1, 10, 25, 50 sessions started together; at least --min-samples sessions a
level) it prints the number of errors (an exception element on the page, a refused or dropped
connection, a run not finished within --timeout), the median and 95th percentile of the
session time, visits finished per second, the server's memory (the resident set of its process
tree: every replica and nginx, peak during the level) and the CPU time that tree spent per
visit.

`--rebuild`: then one more burst of the last level, during which a new build is renamed over
the warehouse (as `python -m etl build` publishes), and a burst after it whose pages must all
show the new build. `--browser N`: N fresh Chromium visits one at a time, to check that a
bench session's time is what a browser waits for its page.

Bounded: loopback URLs only, at most 300 sessions a level, --timeout per session.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.localrun import (  # noqa: E402
    LOCAL_HOSTS,
    free_port,
    is_healthy,
    listening_pid,
    stream_page,
    streamlit_server,
)

MAX_SESSIONS = 300


@dataclass
class Session:
    seconds: float = 0.0
    error: str | None = None
    runs: int = 0  # script runs the session saw finish (a first run may rerun itself)
    bytes: int = 0
    ws_bytes: int = 0  # of which over the websocket
    exceptions: list[str] = field(default_factory=list)


BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict]:
    """GET as a browser does (compressed if the server will); the body as it came."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers=BROWSER_HEADERS | (headers or {}))
    with opener.open(request, timeout=60) as response:
        return response.read(), dict(response.headers)


async def visit(base: str, path: str, timeout: float, assets: bool) -> Session:
    """One fresh visitor: the page's HTML, its websocket run to the end, the map's files."""
    session = Session()
    page = path.partition("?")[0]
    started = time.perf_counter()
    headers = {}
    try:
        async with asyncio.timeout(timeout):
            if assets:
                _, reply = await asyncio.to_thread(http_get, f"{base}/{page}")
                cookie = reply.get("Set-Cookie", "").split(";")[0]  # nginx's sticky cookie
                if cookie:
                    headers["Cookie"] = cookie
            run = await stream_page(base, path, headers)
            session.runs, session.bytes, session.error = run.runs, run.bytes, run.error
            session.ws_bytes = run.bytes
            session.exceptions = run.exceptions
            if assets and run.asset_url is not None:
                for name in ("countries.geojson", "world_110m.json"):
                    url = f"{base}/{run.asset_url.rstrip('/')}/{name}"
                    body, _ = await asyncio.to_thread(http_get, url, headers)
                    session.bytes += len(body)
    except TimeoutError:
        session.error = f"not finished in {timeout:.0f} s"
    except Exception as exc:  # a refused, reset or dropped connection: count it, go on
        session.error = f"{type(exc).__name__}: {exc}"
    session.seconds = time.perf_counter() - started
    if session.exceptions and session.error is None:
        session.error = "exception on the page: " + ", ".join(session.exceptions)
    return session


async def burst(base: str, path: str, n: int, timeout: float, assets: bool) -> list[Session]:
    return await asyncio.gather(*(visit(base, path, timeout, assets) for _ in range(n)))


# ------------------------------------------------------------------ server memory
def tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/<pid>/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def rss_mb(pid: int) -> float:
    total = 0
    for member in tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the tree has used so far (its live processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@contextmanager
def peak_rss(pid: int | None):
    """Sample the tree's RSS every 0.1 s while the block runs; yields a dict with 'peak'."""
    result = {"peak": 0.0}
    if pid is None:
        yield result
        return
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            result["peak"] = max(result["peak"], rss_mb(pid))
            stop.wait(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join()
        result["peak"] = max(result["peak"], rss_mb(pid))


# ------------------------------------------------------------------ servers to measure
@contextmanager
def one_process(db: Path, log: Path):
    with streamlit_server({"DPI_DB": str(db)}, log) as url:
        pid = listening_pid(urlparse(url).port)
        yield url, pid


@contextmanager
def serve(db: Path, replicas: int, log: Path):
    """scripts/serve.py (what `make serve` runs) on a free port."""
    port = free_port()
    command = [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port)]
    command += ["--host", "127.0.0.1", "--replicas", str(replicas), "--db", str(db)]
    env = {k: v for k, v in os.environ.items() if k != "DPI_DB"}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not is_healthy(url) or "replicas ready" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve.py did not come up; its output:\n{log.read_text()}")
            time.sleep(0.25)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


# ------------------------------------------------------------------ the table
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def measure(url: str, pid: int | None, args) -> list[dict]:
    rows = []
    asyncio.run(burst(url, args.page, 1, args.timeout, args.assets))  # warm the caches once
    for level in args.levels:
        rounds = max(1, -(-args.min_samples // level))  # at least min_samples per level
        sessions: list[Session] = []
        started = time.perf_counter()
        cpu_before = cpu_seconds(pid) if pid else 0.0
        with peak_rss(pid) as memory:
            for _ in range(rounds):
                sessions += asyncio.run(burst(url, args.page, level, args.timeout, args.assets))
        wall = time.perf_counter() - started
        cpu = cpu_seconds(pid) - cpu_before if pid else None
        times = [s.seconds for s in sessions if s.error is None]
        errors = [s.error for s in sessions if s.error is not None]
        row = {
            "sessions": level,
            "samples": len(sessions),
            "errors": len(errors),
            "p50_s": round(statistics.median(times), 2) if times else None,
            "p95_s": round(percentile(times, 0.95), 2) if times else None,
            "max_s": round(max(times), 2) if times else None,
            "visits_per_s": round(len(times) / wall, 1),
            "rss_mb": round(memory["peak"]) if pid else None,
            "cpu_ms_per_visit": round(1000 * cpu / len(sessions)) if pid else None,
            "ws_kb": round(statistics.median(s.ws_bytes for s in sessions) / 1000),
            "first_errors": sorted(set(errors))[:3],
        }
        rows.append(row)
        print_row(row)
        time.sleep(args.pause)
    return rows


def print_header(label: str) -> None:
    print(f"\n{label}")
    print(
        f"{'sessions':>8} {'errors':>6} {'p50 s':>6} {'p95 s':>6} {'max s':>6} "
        f"{'visits/s':>8} {'RSS MB':>7} {'CPU ms/visit':>12} {'ws kB':>6}"
    )


def print_row(row: dict) -> None:
    def cell(value, width):
        return f"{'-' if value is None else value:>{width}}"

    print(
        f"{row['sessions']:>8} {row['errors']:>6} {cell(row['p50_s'], 6)} "
        f"{cell(row['p95_s'], 6)} {cell(row['max_s'], 6)} {row['visits_per_s']:>8} "
        f"{cell(row['rss_mb'], 7)} {cell(row['cpu_ms_per_visit'], 12)} {row['ws_kb']:>6}",
        flush=True,
    )
    for error in row["first_errors"]:
        print(f"{'':>8} error: {error}", flush=True)


# ------------------------------------------------------------------ a rebuild under load
def built_at_of(db: Path) -> str:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT strftime(built_at, '%Y-%m-%d %H:%M') FROM meta").fetchone()[0]


def prepare_rebuild(db: Path) -> Path:
    """The next build, beside DPI_DB: a copy whose meta.built_at is an hour later (the same
    data; a new file, as `python -m etl build` writes one before renaming it into place)."""
    import duckdb

    new = db.with_name(db.name + ".tmp-rebuild")
    shutil.copy(db, new)
    with duckdb.connect(str(new)) as con:
        con.execute("UPDATE meta SET built_at = built_at + INTERVAL 1 HOUR")
    return new


def rebuild_under_load(url: str, pid: int | None, db: Path, args) -> dict:
    """A burst of the last level's size; 0.5 s in, the next build is renamed over DPI_DB.
    Then every visitor of a second burst must see the new build in the page's footer."""
    new = prepare_rebuild(db)
    expected = built_at_of(new)
    level = args.levels[-1]
    timer = threading.Timer(0.5, os.replace, args=(new, db))
    timer.start()
    during = asyncio.run(burst(url, args.page, level, args.timeout, args.assets))
    timer.join()

    async def after() -> list:
        return await asyncio.gather(
            *(stream_page(url, args.page, keep_text=True) for _ in range(level))
        )

    runs = asyncio.run(after())
    footers = [t for run in runs for t in run.texts if "Warehouse built" in t]
    new_visible = sum(f"Warehouse built {expected}" in t for t in footers)
    row = {
        "sessions": level,
        "errors_during": sum(s.error is not None for s in during),
        "errors_after": sum(bool(r.error or r.exceptions) for r in runs),
        "p95_s_during": round(percentile([s.seconds for s in during], 0.95), 2),
        "after_showing_new_build": f"{new_visible}/{len(runs)}",
        "new_built_at": expected,
        "rss_mb_after": round(rss_mb(pid)) if pid else None,
    }
    print(
        f"\nrebuild under load: {level} visitors, the warehouse renamed over 0.5 s in: "
        f"{row['errors_during']} errors, p95 {row['p95_s_during']} s; then {level} new "
        f"visitors: {row['errors_after']} errors, {row['after_showing_new_build']} show the "
        f"new build (built {expected}); RSS {row['rss_mb_after']} MB",
        flush=True,
    )
    return row


# ------------------------------------------------------------------ a real browser, once
APP_IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)


def browser_times(url: str, path: str, runs: int) -> dict[str, list[float]]:
    """Fresh Chromium visits (a new context each: empty cache), one after the other, timed
    from navigation start: the page's websocket opened (the browser has loaded Streamlit's
    code), its last frame received before the run finished, Streamlit connected and idle
    ("page done"), the interactive map painted. "served" = last frame - websocket opened,
    with the frames' bytes: what a bench session measures and receives."""
    from playwright.sync_api import sync_playwright

    from atlas import localrun

    kinds = ("websocket opened", "last frame", "page done", "map painted", "served", "kB")
    times = {kind: [] for kind in kinds}
    with sync_playwright() as driver:
        browser = localrun.launch_chromium(driver)
        for _ in range(runs):
            external: list[str] = []
            context = localrun.offline_context(
                browser, external, viewport={"width": 1600, "height": 1000}
            )
            page = context.new_page()
            stream: dict = {"frames": []}

            def on_websocket(ws, stream=stream) -> None:
                if "_stcore/stream" in ws.url:
                    stream["opened"] = time.perf_counter()
                    ws.on(
                        "framereceived",
                        lambda payload: stream["frames"].append(
                            (time.perf_counter(), len(payload))
                        ),
                    )

            page.on("websocket", on_websocket)
            started = time.perf_counter()
            page.goto(f"{url}/{path}")
            page.wait_for_selector(APP_IDLE, state="attached", timeout=60_000)
            done = time.perf_counter()
            frames = [f for f in stream["frames"] if f[0] <= done]
            times["page done"].append(done - started)
            times["websocket opened"].append(stream["opened"] - started)
            times["last frame"].append(frames[-1][0] - started)
            times["served"].append(frames[-1][0] - stream["opened"])
            times["kB"].append(sum(size for _, size in frames) / 1000)
            if not path or path.startswith("map"):
                page.wait_for_function(
                    f"document.querySelectorAll('{localrun.MAP_PATHS}').length > 100",
                    timeout=60_000,
                )
                times["map painted"].append(time.perf_counter() - started)
            context.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (loopback only); default: start one")
    parser.add_argument("--pid", type=int, help="with --url: the server's (or supervisor's) pid")
    parser.add_argument("--serve", type=int, metavar="N", help="start scripts/serve.py, N replicas")
    parser.add_argument("--db", type=Path, default=None, help="warehouse (default: DPI_DB)")
    parser.add_argument(
        "--page", default="", help='page path and query, e.g. "map?pillar=payments"'
    )
    parser.add_argument("--levels", default="1,10,25,50", help="concurrent sessions per level")
    parser.add_argument("--min-samples", type=int, default=10, help="sessions per level, at least")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a session may take")
    parser.add_argument("--pause", type=float, default=2, help="seconds between levels")
    parser.add_argument(
        "--no-assets",
        dest="assets",
        action="store_false",
        help="websocket only: no HTML page, no map files",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="then rename a new build over the warehouse during a burst (serves a copy)",
    )
    parser.add_argument(
        "--browser", type=int, default=0, metavar="N", help="also time N fresh Chromium visits"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    args.levels = [int(n) for n in args.levels.split(",")]
    if max(args.levels) > MAX_SESSIONS or min(args.levels) < 1:
        parser.error(f"levels must be 1..{MAX_SESSIONS}")
    if args.rebuild and args.url:
        parser.error("--rebuild starts its own server on a copy of the warehouse: no --url")
    results: dict = {}
    with ExitStack() as stack:
        if args.url:
            if urlparse(args.url).hostname not in LOCAL_HOSTS:
                parser.error("--url must be a loopback address: this bench loads this machine only")
            url, pid, label = args.url.rstrip("/"), args.pid, f"server at {args.url}"
        else:
            db = (args.db or Path(os.environ.get("DPI_DB", ROOT / "data" / "dpi.duckdb"))).resolve()
            if not db.is_file():
                parser.error(f"no warehouse at {db}: build it (make data) or pass --db")
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            if args.rebuild:  # never rename over the caller's warehouse
                db = Path(shutil.copy(db, folder / "dpi.duckdb"))
            log = folder / "server.log"
            if args.serve:
                url, pid = stack.enter_context(serve(db, args.serve, log))
                label = f"make serve: nginx + {args.serve} replicas ({db.name})"
            else:
                url, pid = stack.enter_context(one_process(db, log))
                label = f"one streamlit process ({db.name})"
        print_header(f"{label}; page /{args.page}; assets {'on' if args.assets else 'off'}")
        results = {"label": label, "rows": measure(url, pid, args)}
        if args.rebuild:
            results["rebuild"] = rebuild_under_load(url, pid, db, args)
        if args.browser:
            times = browser_times(url, args.page, args.browser)
            results["browser"] = times
            print(f"\nChromium, {args.browser} fresh visits one at a time (p50, max):")
            for kind, values in times.items():
                if values:
                    unit = "" if kind == "kB" else " s"
                    print(
                        f"  {kind:>16}: {statistics.median(values):.2f}{unit}, "
                        f"{max(values):.2f}{unit}",
                        flush=True,
                    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
