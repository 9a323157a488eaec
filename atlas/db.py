"""The read-only connection to the warehouse's current build, and the only place that runs SQL.

A *build* is one warehouse file as the ETL published it (built to a temporary file, then
renamed over DPI_DB). Its key is "<inode>-<mtime_ns>": a rebuild gets a new inode, so the key
changes even when the modification time does not.

Each build is opened through its own file descriptor (`/proc/self/fd/N`): DuckDB keeps one
database per path in a process, so connecting to DPI_DB again after a rebuild would hand back
the database it already has open at that path. A descriptor names exactly the file that was
opened, even after a rename replaced it.

A script run pins one build (`pinned()`, wrapped around every page run by dashboard.py), so its
page, downloads and footer all read the same data. When a newer build appears, the older one
is retired: its connection and descriptor are closed as soon as no run pins it, and Streamlit's
caches (all keyed by build) are emptied once.
"""

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from atlas import paths

# Tables (with the columns the app reads) that a usable warehouse has: a file built by an
# older version of the ETL lacks some of them.
REQUIRED = {
    "meta": ("built_at",),
    "releases": ("release", "pillar"),
    "countries": ("iso3", "name", "region", "income_group", "un_subregion", "has_geometry"),
    "systems": ("system_id", "release", "pillar", "iso3", "status", "dpi_like", "source_id"),
    "system_attributes": ("system_id", "attribute", "value_bool"),
    "country_status": ("release", "iso3", "pillar", "status", "dpi_like", "system_id"),
    "sources": ("source_id", "source", "release", "citation"),
    "attributes": ("pillar", "attribute", "kind", "label"),
    "map_assets": ("name", "content"),
}


class WarehouseProblem(Exception):
    """The warehouse cannot be used; the message says what is wrong and how to fix it."""


@dataclass
class _Build:
    key: str
    fd: int
    connection: duckdb.DuckDBPyConnection
    pins: int = 0
    retired: bool = False
    problem: str | None = None


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    builds: dict[str, _Build] = field(default_factory=dict)
    newest: str | None = None


_STATE = _State()
FIX = (
    "Rebuild it: `python -m etl build` (offline: `DPI_MIRROR=../shared/upstream python -m etl "
    "build`), then reload this page."
)


def database_path() -> Path:
    return paths.database_path()


def current() -> str | None:
    """The key of the warehouse build at DPI_DB now (None when there is no file)."""
    try:
        stat = database_path().stat()
    except OSError:
        return None
    return f"{stat.st_ino}-{stat.st_mtime_ns}"


def _open(key: str) -> _Build:
    """Open the file at DPI_DB read-only through a descriptor of its own."""
    path = database_path()
    if path.is_dir():
        raise WarehouseProblem(f"`{path}` is a directory, not a warehouse file. {FIX}")
    fd = os.open(path, os.O_RDONLY)
    stat = os.fstat(fd)
    key = f"{stat.st_ino}-{stat.st_mtime_ns}"  # what was opened, should it have changed again
    name = f"/proc/self/fd/{fd}" if Path("/proc/self/fd").is_dir() else str(path)
    try:
        connection = duckdb.connect(name, read_only=True)
    except duckdb.Error as exc:
        os.close(fd)
        raise WarehouseProblem(
            f"`{path}` is not a readable DuckDB warehouse ({_first_line(exc)}): the file is "
            f"damaged or incomplete. {FIX}"
        ) from exc
    build = _Build(key, fd, connection)
    build.problem = _schema_problem(connection, path)
    return build


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def _schema_problem(connection, path: Path) -> str | None:
    try:
        found = connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
    except duckdb.Error as exc:
        return f"`{path}` cannot be read ({_first_line(exc)}). {FIX}"
    columns: dict[str, set[str]] = {}
    for table, column in found:
        columns.setdefault(table, set()).add(column)
    missing = [t for t in REQUIRED if t not in columns]
    if missing:
        return (
            f"`{path}` lacks the table(s) {', '.join(missing)}: it was built by an older "
            f"version of DPI Atlas, or its build was interrupted. {FIX}"
        )
    stale = [f"{t}.{c}" for t, cols in REQUIRED.items() for c in cols if c not in columns[t]]
    if stale:
        return (
            f"`{path}` was built by an older version of DPI Atlas (no column "
            f"{', '.join(stale)}). {FIX}"
        )
    return None


def _build(key: str) -> _Build:
    """The open build with this key, opening it (and retiring older ones) when new."""
    with _STATE.lock:
        build = _STATE.builds.get(key)
        if build is None:
            build = _open(key)
            _STATE.builds[build.key] = build
            if key != build.key:
                _STATE.builds[key] = build
            newer = _STATE.newest is not None and _STATE.newest != build.key
            _STATE.newest = build.key
            for other in list(_STATE.builds.values()):
                if other is not build:
                    other.retired = True
            _close_unused()
            if newer:
                _clear_caches()
        return build


def _close_unused() -> None:
    for key, build in list(_STATE.builds.items()):
        if build.retired and build.pins == 0:
            del _STATE.builds[key]
            if build not in _STATE.builds.values():
                build.connection.close()
                os.close(build.fd)


def _clear_caches() -> None:
    """Every cached query and figure is keyed by build; a new build makes them all stale."""
    st.cache_data.clear()
    st.cache_resource.clear()


def check() -> str | None:
    """None when the current build can be served, else a message: what is wrong, how to fix."""
    key = current()
    path = database_path()
    if key is None:
        return f"No warehouse at `{path}` yet: it has not been built. {FIX}"
    try:
        return _build(key).problem
    except WarehouseProblem as exc:
        return str(exc)
    except OSError as exc:
        return f"`{path}` cannot be opened ({exc.strerror}). {FIX}"


@contextmanager
def pinned():
    """Around one script run: the build it reads stays open until the run ends."""
    key = current()
    build = None
    if key is not None:
        try:
            build = _build(key)
        except (WarehouseProblem, OSError):
            build = None
    if build is not None:
        with _STATE.lock:
            build.pins += 1
    _RUN.key = build.key if build is not None else None
    try:
        yield
    finally:
        _RUN.key = None
        if build is not None:
            with _STATE.lock:
                build.pins -= 1
                _close_unused()


_RUN = threading.local()  # the build the current script run pinned (Streamlit: a thread a run)


def version() -> str | None:
    """The build this run reads: the pinned one, else the current one."""
    return getattr(_RUN, "key", None) or current()


def query(version: str, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run SQL on the given build (every cached query passes its build key)."""
    cursor = _build(version).connection.cursor()
    try:
        return cursor.execute(sql, params or []).df()
    finally:
        cursor.close()


def warehouse_bytes(version: str) -> bytes:
    """The build's file itself, for "download the warehouse": read through its descriptor, so
    the download is the build the page shows even after a rebuild replaced the file."""
    build = _build(version)
    size = os.fstat(build.fd).st_size
    return os.pread(build.fd, size, 0)


def warehouse_size(version: str) -> int:
    return os.fstat(_build(version).fd).st_size


def open_builds() -> list[str]:
    """Keys of the builds this process holds open (for tests and the health of a replica)."""
    with _STATE.lock:
        return sorted({b.key for b in _STATE.builds.values()})
