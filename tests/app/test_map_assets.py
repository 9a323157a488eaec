"""atlas/server.py's map files (map-assets/<build>/<name>), served from memory: the warehouse's
own content, gzipped once per build for browsers that take gzip, 404 for an old build."""

import asyncio
import gzip
import shutil
from pathlib import Path

import duckdb
import pytest
from starlette.requests import Request

from atlas import db, server


def get(build: str, name: str, accept_encoding: str | None = "gzip, deflate, br, zstd"):
    headers = [(b"accept-encoding", accept_encoding.encode())] if accept_encoding else []
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/map-assets/{build}/{name}",
        "headers": headers,
        "query_string": b"",
        "path_params": {"build": build, "name": name},
    }
    return asyncio.run(server.map_asset(Request(scope)))


@pytest.fixture
def shapes(app_db: Path) -> bytes:
    with duckdb.connect(str(app_db), read_only=True) as con:
        content = con.execute(
            "SELECT content FROM map_assets WHERE name = 'countries.geojson'"
        ).fetchone()[0]
    return content.encode("utf-8")


def test_a_browser_gets_the_shapes_gzipped(shapes):
    response = get(db.current(), "countries.geojson")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert "immutable" in response.headers["cache-control"]
    assert gzip.decompress(response.body) == shapes
    assert len(response.body) < len(shapes) / 2


@pytest.mark.parametrize("header", [None, "identity", "gzip;q=0", "br"])
def test_a_client_without_gzip_gets_them_plain(shapes, header):
    response = get(db.current(), "countries.geojson", header)
    assert "content-encoding" not in response.headers
    assert response.body == shapes


def test_the_compressed_copy_is_made_once_per_build(app_db):
    build = db.current()
    first = server.asset(build, "countries.geojson")
    assert server.asset(build, "countries.geojson") is first


def test_unknown_names_and_old_builds_are_not_found(app_db):
    assert get(db.current(), "nothing.json").status_code == 404
    assert get("1-2", "countries.geojson").status_code == 404  # not the current build


def test_plotly_js_comes_from_the_installed_plotly(app_db):
    from atlas import paths

    response = get(db.current(), "plotly.min.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert gzip.decompress(response.body) == paths.PLOTLY_JS.read_bytes()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("identity", False),
        ("", False),
    ],
)
def test_accepts_gzip(header, expected):
    assert server.accepts_gzip(header) is expected


def test_a_page_drawn_before_a_rebuild_still_gets_its_builds_files(
    warehouse, tmp_path, monkeypatch
):
    """Pages of a build fetch its map files after the script run: a rebuild in between must
    not leave them without a map. Kept: the current build's files and the one's before."""
    served = tmp_path / "dpi.duckdb"
    shutil.copy(warehouse, served)
    monkeypatch.setenv("DPI_DB", str(served))
    contents, builds = [], []
    for n in range(3):
        if n:  # the next build: the same warehouse with different shapes, renamed into place
            new = tmp_path / f"next-{n}.duckdb"
            shutil.copy(served, new)
            with duckdb.connect(str(new)) as con:
                con.execute(
                    "UPDATE map_assets SET content = content || ? WHERE name = 'countries.geojson'",
                    [" " * n],
                )
            new.replace(served)
        assert db.check() is None  # a page run opens the build: its files are read then
        builds.append(db.current())
        with duckdb.connect(str(served), read_only=True) as con:
            sql = "SELECT content FROM map_assets WHERE name = 'countries.geojson'"
            contents.append(con.execute(sql).fetchone()[0].encode())
        if n:
            response = get(builds[n - 1], "countries.geojson")  # the page before the rebuild
            assert response.status_code == 200
            assert gzip.decompress(response.body) == contents[n - 1]
    assert len(set(contents)) == 3
    assert gzip.decompress(get(builds[2], "countries.geojson").body) == contents[2]
    assert get(builds[0], "countries.geojson").status_code == 404  # two builds ago: reload
