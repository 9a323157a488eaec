"""A rebuild under a running server: the ETL renames a new warehouse over DPI_DB while a
visitor is on the page. The next visit shows the new data, the old visitor's session goes on,
and once it is gone the server holds no descriptor of the replaced (deleted) file.

Two builds of the synthetic warehouse: the second is a copy with `meta.built_at` moved and one
implemented digital-ID country of the newest release dropped, renamed into place the way
`python -m etl build` publishes (write a temporary file, os.replace over DPI_DB).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

from atlas import localrun

NEW_BUILT_AT = "2001-02-03 04:05:00"


def facts(db: Path) -> tuple[str, int]:
    """The footer's build time and the Overview's implemented digital-ID count, by SQL."""
    with duckdb.connect(str(db), read_only=True) as con:
        built = con.execute("SELECT strftime(built_at, '%Y-%m-%d %H:%M') FROM meta").fetchone()
        implemented = con.execute(
            "SELECT count(DISTINCT iso3) FROM country_status WHERE pillar = 'identity' "
            "AND status = 'implemented' AND release = (SELECT max(release) FROM releases)"
        ).fetchone()
    return built[0], implemented[0]


def second_build(first: Path, target: Path) -> None:
    shutil.copy(first, target)
    with duckdb.connect(str(target)) as con:
        con.execute("UPDATE meta SET built_at = ?", [NEW_BUILT_AT])
        con.execute(
            """DELETE FROM country_status WHERE pillar = 'identity' AND iso3 = (
                 SELECT min(iso3) FROM country_status WHERE pillar = 'identity'
                 AND status = 'implemented' AND release = (SELECT max(release) FROM releases))
               AND release = (SELECT max(release) FROM releases)"""
        )


def shown(texts: list[str]) -> tuple[str, int]:
    """The build time in the footer and the digital-ID headline, as the page sent them."""
    (footer,) = [t for t in texts if "Warehouse built" in t]
    built = footer.split("Warehouse built ")[1].split(" UTC")[0]
    (metric,) = [t for t in texts if t.startswith("Digital identity: implemented:")]
    return built, int(metric.split(": ")[-1].split()[0])


def descriptors(pid: int) -> list[str]:
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.append(os.readlink(fd))
        except OSError:
            continue
    return found


async def open_session(url: str):
    """A visitor who loaded the Overview and stays on it (the websocket left open)."""
    from websockets.asyncio.client import connect

    ws = await connect(
        url.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"Origin": url},
        max_size=None,
    )
    await ws.send(localrun.rerun_message("", "", url + "/"))
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == 0:
            return ws


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc (Linux)")
def test_a_new_visit_after_a_rebuild_reads_the_new_build_and_the_old_file_is_let_go(
    warehouse: Path, tmp_path: Path
):
    db = tmp_path / "dpi.duckdb"
    shutil.copy(warehouse, db)
    second_build(db, tmp_path / "dpi.duckdb.tmp-new")
    before, after = facts(db), facts(tmp_path / "dpi.duckdb.tmp-new")
    assert before[0] != after[0] and after[1] == before[1] - 1  # the two builds differ

    log = tmp_path / "streamlit.log"
    with localrun.streamlit_server({"DPI_DB": str(db)}, log) as url:
        pid = localrun.listening_pid(urlparse(url).port)
        assert pid is not None
        first = localrun.visit(url, "", keep_text=True)
        assert not first.error and not first.exceptions
        assert shown(first.texts) == before
        assert any(str(db) in target for target in descriptors(pid))  # the build is open

        async def rebuild_while_a_visitor_stays() -> localrun.PageRun:
            visitor = await open_session(url)
            os.replace(tmp_path / "dpi.duckdb.tmp-new", db)  # the ETL's publish step
            try:
                return await localrun.stream_page(url, "", keep_text=True)
            finally:
                await visitor.close()

        second = localrun.run_coroutine(rebuild_while_a_visitor_stays())
        assert not second.error and not second.exceptions, log.read_text()
        assert shown(second.texts) == after

        third = localrun.visit(url, "", keep_text=True)  # and it stays on the new build
        assert shown(third.texts) == after
        targets = descriptors(pid)
        deleted = [t for t in targets if "(deleted)" in t and "dpi.duckdb" in t]
        assert not deleted, f"the server still holds the replaced warehouse: {deleted}"
        assert sum(t == str(db) for t in targets) >= 1  # the new build, by its descriptor
    assert "Traceback" not in log.read_text()
