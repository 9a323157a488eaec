"""Run the dashboard on a free loopback port and drive Debian's Chromium with the network cut
off; or visit a page the way a browser's websocket does, without a browser (`visit`). Shared
by the rehearsal command (rehearse.py), the browser tests, scripts/serve.py and bench/."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from atlas import paths

ROOT = paths.ROOT
CHROMIUM = paths.chromium_path()
# As root Chromium needs --no-sandbox; the rest stop its own background traffic, which this
# machine's closed network refuses (and which must not leave the machine anyway).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAP_PATHS = ".js-plotly-plot .choroplethlayer path.choroplethlocation"
# Page-load timestamps in ms from navigation start, by the browser's own clock, collected in
# window.__mapTimes: "preview" when the server-drawn map (preview.py) is painted (its Largest
# Contentful Paint entry), "plotly" when plotly has drawn the interactive map's countries.
PAINT_PROBE = """
window.__mapTimes = {};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.element && entry.element.closest('.map-preview') && !window.__mapTimes.preview)
      window.__mapTimes.preview = entry.renderTime || entry.loadTime;
  }
}).observe({type: 'largest-contentful-paint', buffered: true});
document.addEventListener('DOMContentLoaded', () => {
  const watch = new MutationObserver(() => {
    if (document.querySelectorAll('__MAP_PATHS__').length > 100) {
      requestAnimationFrame(() => { window.__mapTimes.plotly = performance.now(); });
      watch.disconnect();
    }
  });
  watch.observe(document.body, {subtree: true, childList: true});
});
""".replace("__MAP_PATHS__", MAP_PATHS)


class ServerError(RuntimeError):
    """streamlit did not come up; the message carries its output."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_healthy(url: str) -> bool:
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with no_proxy.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def is_external(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme not in {"data", "blob", "about"} and parts.hostname not in LOCAL_HOSTS


@contextmanager
def streamlit_server(
    env: dict[str, str],
    log: Path,
    timeout_s: float = 60,
    root: Path = ROOT,
    launcher: list[str] | None = None,
) -> Iterator[str]:
    """`streamlit run atlas/server.py` (the dashboard and its map files) on a free loopback
    port with `env` added; yields its URL once /_stcore/health says ok, and stops it
    afterwards. Its output goes to `log`. `root`: the checkout to serve (default this one).
    `launcher`: what runs `streamlit` (default `python -m streamlit`; `make run` uses the
    `streamlit` command, which puts the script's own folder first on sys.path)."""
    port = free_port()
    launcher = launcher or [sys.executable, "-m", "streamlit"]
    command = [*launcher, "run", str(root / "atlas" / "server.py")]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    full_env = {k: v for k, v in os.environ.items() if k not in {"DPI_DB", "DPI_MIRROR"}}
    full_env |= {"PYTHONUNBUFFERED": "1", **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while not is_healthy(url):
            exited = process.poll()
            if exited is not None or time.monotonic() > deadline:
                state = f"exited with {exited}" if exited is not None else f"not ok in {timeout_s}s"
                output = log.read_text(errors="replace")
                raise ServerError(f"streamlit at {url} {state}; its output:\n{output}")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def listening_pid(port: int) -> int | None:
    """The process listening on a TCP port of this machine (from /proc/net/tcp and each
    process's descriptors; Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                inodes.add(fields[9])
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(fd_dir.parent.name)
        except OSError:
            continue
    return None


def launch_chromium(playwright):
    """Debian's headless Chromium (never a Playwright download)."""
    if not os.access(CHROMIUM, os.X_OK):
        raise FileNotFoundError(
            f"no Chromium at {CHROMIUM}: run `make chromium` (Debian's chromium) or set CHROMIUM"
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def offline_context(browser, external: list[str], **options):
    """A browser context that may talk to this machine only: every other request (and
    websocket) is aborted and its URL appended to `external`."""
    context = browser.new_context(**options)

    def only_loopback(route) -> None:
        if is_external(route.request.url):
            external.append(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", only_loopback)
    context.on("websocket", lambda ws: is_external(ws.url) and external.append(ws.url))
    return context


# ---- a visitor without a browser: Streamlit's own websocket protocol --------------------------


@dataclass
class PageRun:
    """What one websocket visit of a page got: finished script runs (a first run may rerun
    itself once), exception elements, bytes received, the map's asset URL (from the first
    plotly chart's config), and an error when the run did not finish."""

    runs: int = 0
    exceptions: list[str] = field(default_factory=list)
    bytes: int = 0
    asset_url: str | None = None
    texts: list[str] = field(default_factory=list)
    error: str | None = None


def rerun_message(page: str, query: str, url: str) -> bytes:
    """The BackMsg a browser sends first: run this page (URL path and query) with no widget
    state, from a UTC, en-GB, light-scheme browser."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = page
    state.context_info.timezone = "UTC"
    state.context_info.timezone_offset = 0
    state.context_info.locale = "en-GB"
    state.context_info.url = url
    state.context_info.color_scheme = "light"
    state.widget_states.SetInParent()
    return msg.SerializeToString()


async def stream_page(
    base: str, path: str = "", headers: dict[str, str] | None = None, keep_text: bool = False
) -> PageRun:
    """Open `base`/_stcore/stream, ask for `path` ("map?pillar=payments"; "" the default
    page) and read ForwardMsgs until its script run has finished. `keep_text`: also collect
    the markdown, headings, alerts and metrics the page sent (for tests)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect  # a dependency of streamlit

    result = PageRun()
    page, _, query = path.partition("?")
    stream = base.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    async with connect(
        stream,
        subprotocols=["streamlit"],
        additional_headers={"Origin": base.rstrip("/"), **(headers or {})},
        max_size=None,
        proxy=None,
    ) as ws:
        await ws.send(rerun_message(page, query, f"{base.rstrip('/')}/{path}"))
        while True:
            data = await ws.recv()
            result.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    result.exceptions.append(element.exception.type or "exception")
                elif which == "plotly_chart" and result.asset_url is None:
                    chart = element.plotly_chart
                    found = ASSET_URL.search(chart.config) or ASSET_URL.search(chart.spec)
                    result.asset_url = found.group(1) if found else None
                if keep_text:
                    text = element_text(element, which)
                    if text:
                        result.texts.append(text)
            elif kind == "script_finished":
                result.runs += 1
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return result
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    result.error = f"script finished with status {msg.script_finished}"
                    return result


ASSET_URL = re.compile(r'"topojsonURL":\s*"([^"]+)"')


def element_text(element, which: str) -> str:
    if which == "markdown":
        return element.markdown.body
    if which == "heading":
        return element.heading.body
    if which == "alert":
        return element.alert.body
    if which == "metric":
        return f"{element.metric.label}: {element.metric.body}"
    return ""


def visit(base: str, path: str = "", timeout_s: float = 60, **options) -> PageRun:
    """stream_page, from synchronous code, bounded by `timeout_s`."""
    import asyncio

    async def bounded() -> PageRun:
        async with asyncio.timeout(timeout_s):
            return await stream_page(base, path, **options)

    return run_coroutine(bounded())


def run_coroutine(coroutine):
    """asyncio.run, in a thread of its own when this one already runs an event loop (as
    Playwright's synchronous API leaves one running in the test process)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
