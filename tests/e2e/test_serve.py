"""`make serve`, as its supervisor (scripts/serve.py) runs it: nginx on a free port in front of
two streamlit replicas, the real warehouse, then Ctrl-C.

Through nginx: /_stcore/health answers, /_stcore/metrics does not, Chromium loads the
Overview (Streamlit's bundles from nginx, the websocket proxied, the map painted), a websocket
visitor gets a whole page, a visitor's requests stay on one replica (the cookie nginx sets),
and different visitors are spread over both. SIGINT stops nginx and both replicas and
removes the supervisor's temporary directory.
"""

import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from email.message import Message
from pathlib import Path

import pytest

from atlas import localrun

ROOT = Path(__file__).resolve().parents[2]
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
START_TIMEOUT_S = 180


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Served:
    def __init__(self, process: subprocess.Popen, url: str, log: Path, access: Path):
        self.process, self.url, self.log, self.access = process, url, log, access

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def served(real_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"no nginx at {NGINX}: run `make nginx` (Debian's package)", pytrace=False)
    folder = tmp_path_factory.mktemp("serve")
    log, access = folder / "serve.log", folder / "access.log"
    port = localrun.free_port()
    command = [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port)]
    command += ["--host", "127.0.0.1", "--replicas", "2", "--db", str(real_warehouse)]
    command += ["--access-log", str(access)]
    env = {k: v for k, v in os.environ.items() if k not in {"DPI_DB", "DPI_MIRROR"}}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    served = Served(process, f"http://127.0.0.1:{port}", log, access)
    deadline = time.monotonic() + START_TIMEOUT_S
    while "replicas ready" not in served.output():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"serve.py did not come up:\n{served.output()}", pytrace=False)
        time.sleep(0.5)
    yield served
    if process.poll() is None:
        process.kill()
        process.wait()


def test_health_answers_through_nginx(served):
    status, headers, body = fetch(f"{served.url}/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert headers["Server"] == "nginx"


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/map/_stcore/metrics", "/_stcore/metrics/"])
def test_metrics_are_not_exposed(served, path):
    status, _, body = fetch(served.url + path)
    assert status == 404 and b"streamlit" not in body.lower()


def test_a_websocket_visitor_gets_the_whole_overview(served):
    run = localrun.visit(served.url, "", keep_text=True)
    assert not run.error and not run.exceptions
    assert any(t.startswith("Digital identity: implemented:") for t in run.texts)
    status, headers, body = fetch(
        f"{served.url}/{run.asset_url}countries.geojson", {"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(body).startswith(b"{")


def test_a_browser_loads_the_overview_through_nginx(served, page, wait_for_app, wait_for_map):
    bundles = []
    page.on(
        "response",
        lambda r: "/static/" in r.url and bundles.append((r.url, r.headers.get("server"))),
    )
    page.goto(served.url)
    wait_for_app(page)
    wait_for_map(page)
    assert page.get_by_text("Digital identity: implemented").count() >= 1
    assert bundles and all(server == "nginx" for _, server in bundles)
    assert not page.page_errors


def test_a_visitor_stays_on_one_replica_and_visitors_spread(served):
    cookies = []
    for _ in range(12):  # twelve fresh visitors, each: the page, then its websocket
        _, headers, _ = fetch(served.url + "/")
        cookie = headers["Set-Cookie"].split(";")[0]
        assert cookie.startswith("atlas_replica=")
        run = localrun.visit(served.url, "", headers={"Cookie": cookie})
        assert not run.error
        cookies.append(cookie.split("=", 1)[1])
    time.sleep(1)  # nginx logs a websocket when it closes
    upstream = {}  # sticky value -> replicas that served it
    for line in served.access.read_text().splitlines():
        found = re.search(r'"(GET [^ ]+) [^"]*" (\d+) \d+ upstream=(\S+) sticky=(\S+)', line)
        if found and found.group(4) in cookies and found.group(3) != "-":
            upstream.setdefault(found.group(4), set()).add(found.group(3))
    assert set(upstream) == set(cookies)
    assert all(len(replicas) == 1 for replicas in upstream.values()), upstream
    assert len(set().union(*upstream.values())) == 2  # both replicas took visitors


def test_ctrl_c_stops_everything(served):
    process = served.process
    tree = children(process.pid)
    assert len(tree) == 3  # nginx and two replicas
    folders = list(Path(tempfile.gettempdir()).glob(f"dpi-atlas-serve-{process.pid}-*"))
    assert len(folders) == 1 and (folders[0] / "nginx.conf").is_file()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0, served.output()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in tree if alive(pid)]
    assert not localrun.is_healthy(served.url)
    assert not folders[0].exists()  # its temporary folder (nginx.conf, temp files) is gone
    assert "serve: stopped" in served.output()
