"""Run the dashboard on a free loopback port and drive Debian's Chromium with the network cut
off. Shared by the rehearsal command (rehearse.py), the browser tests and bench/app.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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
def streamlit_server(env: dict[str, str], log: Path, timeout_s: float = 60) -> Iterator[str]:
    """`streamlit run atlas/server.py` (the dashboard and its map files) on a free loopback port with `env` added; yields its URL
    once /_stcore/health says ok, and stops it afterwards. Its output goes to `log`."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "atlas" / "server.py")]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    full_env = {k: v for k, v in os.environ.items() if k not in {"DPI_DB", "DPI_MIRROR"}}
    full_env |= {"PYTHONUNBUFFERED": "1", **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT
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
