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
import stat as filemode
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.logger import get_logger

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
    "country_bounds": ("iso3", "min_lon", "min_lat", "max_lon", "max_lat"),
    "quality": ("release", "pillar"),
    "corrections_applied": (),
    "name_matches": (),
    "framework_attributes": (),
    "framework_indicators": (),
}
# A DuckDB file: three 4 KiB headers, then its blocks (PRAGMA database_size counts them).
HEADER_BYTES = 3 * 4096
# Errors that mean the file itself is damaged (a block that cannot be read or fails its
# checksum), as opposed to a mistake in a query.
DAMAGE = (duckdb.IOException, duckdb.SerializationException, duckdb.InvalidInputException)
# Errors of a query naming a table or column the file does not have: an older build.
MISSING = (duckdb.CatalogException, duckdb.BinderException)

LOG = get_logger(__name__)


class WarehouseProblem(Exception):
    """The warehouse cannot be used; the message says what is wrong and how to fix it."""


@dataclass(eq=False)
class _Build:
    key: str
    fd: int | None  # None: the file could not be opened at all (`problem` says why)
    connection: duckdb.DuckDBPyConnection | None
    pins: int = 0
    retired: bool = False
    problem: str | None = None


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    builds: dict[str, _Build] = field(default_factory=dict)
    newest: str | None = None


_STATE = _State()
_ON_OPEN: list = []  # callbacks(key) run once a usable build has been opened
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


REBUILT = "The warehouse was rebuilt since this page was loaded: reload the page."


def shown_path() -> str:
    """DPI_DB as a message shows it: relative to the checkout when it lies inside it."""
    path = database_path().absolute()
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _open() -> _Build:
    """Open the file at DPI_DB read-only through a descriptor of its own and check it.

    A file that cannot be used still gives a build (with `problem` set and nothing open), so
    that a broken file is looked at once, not on every run."""
    path = database_path()
    try:
        fd = os.open(path, os.O_RDONLY)
    except IsADirectoryError:
        return _Build(_key_of(path.stat()), None, None, problem=_directory())
    stat = os.fstat(fd)
    key = _key_of(stat)  # what was opened, should the file have changed again since
    if not filemode.S_ISREG(stat.st_mode):
        os.close(fd)
        return _Build(key, None, None, problem=_directory())
    name = f"/proc/self/fd/{fd}" if Path("/proc/self/fd").is_dir() else str(path)
    try:
        connection = duckdb.connect(name, read_only=True)
    except duckdb.Error as exc:
        os.close(fd)
        LOG.warning("warehouse %s cannot be opened: %s", path, exc)
        return _Build(key, None, None, problem=_damaged(exc, name))
    build = _Build(key, fd, connection)
    build.problem = _truncated(connection, stat.st_size, name) or _schema_problem(connection)
    if build.problem:
        LOG.warning("warehouse %s cannot be served: %s", path, build.problem)
    return build


def _key_of(stat: os.stat_result) -> str:
    return f"{stat.st_ino}-{stat.st_mtime_ns}"


def _directory() -> str:
    return f"`{shown_path()}` is a directory, not a warehouse file. {FIX}"


def _damaged(exc: Exception, name: str = "") -> str:
    detail = _first_line(exc)
    if name:
        detail = detail.replace(name, shown_path())
    return (
        f"`{shown_path()}` is damaged or incomplete: it is not a readable DuckDB warehouse "
        f"({detail}). {FIX}"
    )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def _truncated(connection, size: int, name: str) -> str | None:
    """A message when the file is shorter than the blocks its header lists (a copy or a
    download cut short: DuckDB opens such a file and fails only on reading a lost block)."""
    try:
        row = connection.execute("PRAGMA database_size").fetchone()
    except duckdb.Error as exc:
        return _damaged(exc, name)
    block_size, total_blocks = int(row[2]), int(row[3])
    expected = HEADER_BYTES + block_size * total_blocks
    if size < expected:
        return (
            f"`{shown_path()}` is incomplete: {size:,} bytes where its header lists "
            f"{expected:,} (a copy or download cut short, or a full disk). {FIX}"
        )
    return None


def _schema_problem(connection) -> str | None:
    try:
        found = connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
    except duckdb.Error as exc:
        return _damaged(exc)
    columns: dict[str, set[str]] = {}
    for table, column in found:
        columns.setdefault(table, set()).add(column)
    missing = [t for t in REQUIRED if t not in columns]
    if missing:
        return (
            f"`{shown_path()}` lacks the table(s) {', '.join(missing)}: it was built by an "
            f"older version of DPI Atlas, or its build was interrupted. {FIX}"
        )
    stale = [f"{t}.{c}" for t, cols in REQUIRED.items() for c in cols if c not in columns[t]]
    if stale:
        return (
            f"`{shown_path()}` was built by an older version of DPI Atlas (no column "
            f"{', '.join(stale)}). {FIX}"
        )
    return None


def _current_build(pin: bool = False) -> _Build | None:
    """The build at DPI_DB now, opened (and older builds retired) when it is new; None when
    there is no file. `pin`: count one more run reading it (under the same lock)."""
    newer = opened = False
    with _STATE.lock:
        key = current()
        if key is None:
            return None
        build = _STATE.builds.get(key)
        if build is None:
            try:
                build = _open()
            except OSError as exc:  # gone or unreadable between stat and open
                build = _Build(key, None, None, problem=_unreadable(exc))
            newer = _add(build, key)
            opened = build.problem is None
        if pin:
            build.pins += 1
    if newer:
        _clear_caches()
    if opened:
        for callback in _ON_OPEN:
            callback(build.key)
    return build


def on_open(callback) -> None:
    """Call `callback(key)` whenever this process opens a new usable build (atlas/server.py
    reads the build's map files then, so that pages of a build can fetch them even after a
    rebuild has closed it)."""
    _ON_OPEN.append(callback)


def _unreadable(exc: OSError) -> str:
    return f"`{shown_path()}` cannot be opened ({exc.strerror}). {FIX}"


def _add(build: _Build, key: str) -> bool:
    """Register a newly opened build as the newest and retire the others (lock held); True
    when it replaces an older build (the caller then empties the caches)."""
    _STATE.builds[build.key] = build
    if key != build.key:
        _STATE.builds[key] = build  # the file changed between stat and open
    newer = _STATE.newest is not None and _STATE.newest != build.key
    _STATE.newest = build.key
    for other in set(_STATE.builds.values()):
        if other is not build:
            other.retired = True
    _close_unused()
    return newer


def _build(key: str) -> _Build:
    """The open build with this key (a run's pinned one, or the current one)."""
    with _STATE.lock:
        build = _STATE.builds.get(key)
    if build is None:
        build = _current_build()
        if build is None or build.key != key:
            raise WarehouseProblem(REBUILT)
    return build


def _close_unused() -> None:
    for key, build in list(_STATE.builds.items()):
        if build.retired and build.pins == 0:
            del _STATE.builds[key]
            if build not in _STATE.builds.values():
                _close(build)


def _close(build: _Build) -> None:
    if build.connection is not None:
        build.connection.close()
        build.connection = None
    if build.fd is not None:
        os.close(build.fd)
        build.fd = None


def _clear_caches() -> None:
    """Every cached query and figure is keyed by build; a new build makes them all stale."""
    st.cache_data.clear()
    st.cache_resource.clear()


def check() -> str | None:
    """None when this run's build can be served, else a message: what is wrong, how to fix."""
    key = getattr(_RUN, "key", None)
    build = _STATE.builds.get(key) if key else _current_build()
    if build is None:
        return f"No warehouse at `{shown_path()}` yet: it has not been built. {FIX}"
    return build.problem


@contextmanager
def pinned():
    """Around one script run: the build it reads stays open until the run ends."""
    build = _current_build(pin=True)
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
    """Run SQL on the given build (every cached query passes its build key).

    WarehouseProblem when the build cannot be served: a damaged block found only now marks the
    build, so later runs show the message straight away (the server log keeps the error)."""
    build = _build(version)
    connection = build.connection
    if build.problem or connection is None:
        raise WarehouseProblem(build.problem or f"`{shown_path()}` is closed. {FIX}")
    cursor = connection.cursor()
    try:
        return cursor.execute(sql, params or []).df()
    except DAMAGE as exc:
        LOG.error("warehouse %s: a query failed on damaged data", shown_path(), exc_info=exc)
        build.problem = _damaged(exc, f"/proc/self/fd/{build.fd}")
        raise WarehouseProblem(build.problem) from exc
    except duckdb.ConnectionException as exc:  # closed under a late caller by a rebuild
        raise WarehouseProblem(REBUILT) from exc
    except MISSING as exc:
        LOG.error("warehouse %s: a query names what the file lacks", shown_path(), exc_info=exc)
        raise WarehouseProblem(
            f"`{shown_path()}` does not have what this page reads ({_first_line(exc)}): it "
            f"was built by an older version of DPI Atlas. {FIX}"
        ) from exc
    finally:
        cursor.close()


def warehouse_bytes(version: str) -> bytes:
    """The build's file itself, for "download the warehouse": read through its descriptor, so
    the download is the build the page shows even after a rebuild replaced the file."""
    fd = _descriptor(version)
    return os.pread(fd, os.fstat(fd).st_size, 0)


def warehouse_size(version: str) -> int:
    return os.fstat(_descriptor(version)).st_size


def _descriptor(version: str) -> int:
    build = _build(version)
    fd = build.fd
    if build.problem or fd is None:
        raise WarehouseProblem(build.problem or REBUILT)
    return fd


def open_builds() -> list[str]:
    """Keys of the builds this process holds open (for tests and the health of a replica)."""
    with _STATE.lock:
        return sorted({b.key for b in _STATE.builds.values()})
