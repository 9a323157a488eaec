"""The ASGI entry point: `streamlit run atlas/server.py` serves dashboard.py plus one route of
our own, the map's files, from memory (the app writes nothing to disk while it serves).

    /map-assets/<build>/countries.geojson   country shapes (from the warehouse's map_assets)
    /map-assets/<build>/world_110m.json     plotly's base map, empty layers (ditto)
    /map-assets/<build>/plotly.min.js       plotly.js, for the in-browser slide export

<build> is the warehouse build key (atlas.db): a rebuild changes the URLs, so browsers and
proxies may cache each one for good.
"""

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from atlas import db, paths

MEDIA_TYPES = {".json": "application/json", ".geojson": "application/geo+json"}
MEDIA_TYPES[".js"] = "text/javascript"
_CACHE: dict[tuple[str, str], bytes] = {}  # (build, name) -> bytes; a few MB per build


def asset_bytes(build: str, name: str) -> bytes | None:
    """The named asset of a build (None: no such asset, or the build is not the current one)."""
    if (build, name) not in _CACHE:
        if build != db.current():
            return None  # an old page asking after a rebuild: it reloads with new URLs
        if name == "plotly.min.js":
            content = paths.PLOTLY_JS.read_bytes()
        else:
            frame = db.query(build, "SELECT content FROM map_assets WHERE name = ?", [name])
            if frame.empty:
                return None
            content = frame["content"].iloc[0].encode("utf-8")
        for key in [k for k in _CACHE if k[0] != build]:
            del _CACHE[key]  # keep only the current build's files
        _CACHE[(build, name)] = content
    return _CACHE[(build, name)]


async def map_asset(request) -> Response:
    build, name = request.path_params["build"], request.path_params["name"]
    content = await run_in_threadpool(asset_bytes, build, name)
    if content is None:
        return Response("not found", status_code=404, media_type="text/plain")
    suffix = name[name.rfind(".") :]
    return Response(
        content,
        media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


app = st.App(paths.ROOT / "dashboard.py", routes=[Route(paths.ASSET_ROUTE, map_asset)])
