"""The ASGI entry point: `streamlit run atlas/server.py` serves dashboard.py plus one route of
our own, the map's files, from memory (the app writes nothing to disk while it serves).

    /map-assets/<build>/countries.geojson   country shapes (from the warehouse's map_assets)
    /map-assets/<build>/world_110m.json     plotly's base map, empty layers (ditto)
    /map-assets/<build>/plotly.min.js       plotly.js, for the in-browser slide export

<build> is the warehouse build key (atlas.db): a rebuild changes the URLs, so browsers and
proxies may cache each one for good. The files of a build are read as soon as the process opens
it, and kept until two newer builds have come: a page drawn just before a rebuild still gets
its map.

Each file is gzipped once per build and sent compressed to every browser that accepts it:
left to Streamlit's gzip middleware (level 9, on every request), the 380 kB of country shapes
cost about 80 ms of CPU per fresh visitor, most of what a visit costs the server.
"""

import functools
import gzip
import sys
import threading
from pathlib import Path

# `streamlit run atlas/server.py` puts atlas/ first on the import path, not the project: make
# the project importable however the server is started (python -m streamlit, or the CLI).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402
from starlette.concurrency import run_in_threadpool  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from atlas import db, paths  # noqa: E402

MEDIA_TYPES = {".json": "application/json", ".geojson": "application/geo+json"}
MEDIA_TYPES[".js"] = "text/javascript"
# (build, name) -> (bytes, gzipped bytes): the files of the current build and of the one
# before it (its pages, still open in browsers, fetch them after a rebuild), a few MB
_CACHE: dict[tuple[str, str], tuple[bytes, bytes]] = {}
_BUILDS: list[str] = []  # builds in _CACHE, oldest first
KEEP_BUILDS = 2
_LOCK = threading.RLock()  # one thread reads and compresses a file; the others wait for it


def asset(build: str, name: str) -> tuple[bytes, bytes] | None:
    """The named file of a build, plain and gzipped (None: no such file, or a build neither
    open in this process nor kept from before)."""
    with _LOCK:
        if (build, name) not in _CACHE:
            if build != db.current() and build not in db.open_builds():
                return None  # a page older than the last two builds: it reloads, new URLs
            if name == "plotly.min.js":
                content = _plotly_js()
            else:
                try:
                    frame = db.query(build, "SELECT content FROM map_assets WHERE name = ?", [name])
                except db.WarehouseProblem:
                    return None
                if frame.empty:
                    return None
                content = (frame["content"].iloc[0].encode("utf-8"), None)
            _keep(build, name, content)
        return _CACHE[(build, name)]


def _keep(build: str, name: str, content: tuple[bytes, bytes | None]) -> None:
    """Cache a file (lock held), gzipping it if needed; drop the files of older builds."""
    plain, compressed = content
    _CACHE[(build, name)] = (plain, compressed or gzip.compress(plain, 6, mtime=0))
    if build in _BUILDS:
        _BUILDS.remove(build)
    _BUILDS.append(build)
    while len(_BUILDS) > KEEP_BUILDS:
        gone = _BUILDS.pop(0)
        for key in [k for k in _CACHE if k[0] == gone]:
            del _CACHE[key]


@functools.cache
def _plotly_js() -> tuple[bytes, bytes]:
    """plotly.js (4.7 MB) is the same for every build: read and gzipped once."""
    content = paths.PLOTLY_JS.read_bytes()
    return content, gzip.compress(content, 6, mtime=0)


def preload(build: str) -> None:
    """A new build's map files, read as soon as this process opens it (db.on_open)."""
    try:
        frame = db.query(build, "SELECT name, content FROM map_assets")
    except db.WarehouseProblem:
        return
    with _LOCK:
        for name, content in zip(frame["name"], frame["content"], strict=True):
            _keep(build, name, (content.encode("utf-8"), None))
        _keep(build, "plotly.min.js", _plotly_js())


db.on_open(preload)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip ("gzip", "*", not "gzip;q=0")."""
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


async def map_asset(request) -> Response:
    build, name = request.path_params["build"], request.path_params["name"]
    found = await run_in_threadpool(asset, build, name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    suffix = name[name.rfind(".") :]
    headers = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}
    content, compressed = found
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        content = compressed  # the middleware leaves a response with an encoding alone
        headers["Content-Encoding"] = "gzip"
    return Response(
        content, media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"), headers=headers
    )


app = st.App(paths.ROOT / "dashboard.py", routes=[Route(paths.ASSET_ROUTE, map_asset)])
