"""Fixtures shared by every test: a synthetic warehouse and the real one, each built once.

`warehouse` is the tiny synthetic warehouse (tests/fixtures.py builds it from the hand-written
mirror in tests/fixtures/synthetic/ through the real `python -m etl build`, in about a second,
with no mirror and no network). `real_warehouse` is built by the same command from the
upstream mirror when there is one (DPI_MIRROR, else ../shared/upstream beside the repo), else
from the network; integration and browser tests use it. Nothing global is changed: tests that
need DPI_DB set it themselves.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import FixtureBuildError, build_synthetic_warehouse

ROOT = Path(__file__).resolve().parent.parent
SIBLING_MIRROR = ROOT.parent / "shared" / "upstream"
UPSTREAM_HOST = "dpimap.org"
BUILD_TIMEOUT_S = 600


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Outside CI a missing prerequisite skips; in CI it fails, so CI never passes hollow."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: failing instead of skipping)", pytrace=False)
    pytest.skip(reason)


def find_mirror() -> Path | None:
    configured = os.environ.get("DPI_MIRROR")
    if configured:
        return Path(configured).resolve()
    return SIBLING_MIRROR.resolve() if SIBLING_MIRROR.is_dir() else None


def network_reachable(host: str = UPSTREAM_HOST) -> bool:
    try:
        with socket.create_connection((host, 443), timeout=3):
            return True
    except OSError:
        return False


def build_warehouse(db: Path, mirror: Path | None) -> None:
    """Run `python -m etl build --db DB` exactly as a user would; fail with its output."""
    env = {k: v for k, v in os.environ.items() if k not in {"DPI_DB", "DPI_MIRROR"}}
    if mirror is not None:
        env["DPI_MIRROR"] = str(mirror)
    command = [sys.executable, "-m", "etl", "build", "--db", str(db)]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    if result.returncode != 0 or not db.is_file():
        pytest.fail(
            f"`{' '.join(command[1:])}` failed (exit {result.returncode}, mirror={mirror}):\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path to the synthetic warehouse (tests/fixtures/synthetic/README.md), once per session."""
    try:
        return build_synthetic_warehouse(tmp_path_factory.mktemp("synthetic"))
    except FixtureBuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path to the warehouse built by the real ETL from the upstream mirror, once per session.

    Set DPI_TEST_WAREHOUSE=path/to/dpi.duckdb to reuse an already built one while iterating.
    """
    reuse = os.environ.get("DPI_TEST_WAREHOUSE")
    if reuse:
        if not Path(reuse).is_file():
            pytest.fail(f"DPI_TEST_WAREHOUSE={reuse} does not exist", pytrace=False)
        return Path(reuse).resolve()
    mirror = find_mirror()
    if mirror is not None and not mirror.is_dir():
        pytest.fail(f"DPI_MIRROR={mirror} is not a directory", pytrace=False)
    if mirror is None and not network_reachable():
        skip_or_fail(
            f"no upstream mirror (set DPI_MIRROR or put one at {SIBLING_MIRROR}) "
            f"and {UPSTREAM_HOST} is unreachable"
        )
    db = tmp_path_factory.mktemp("real_warehouse") / "dpi.duckdb"
    build_warehouse(db, mirror)
    return db


@pytest.fixture(scope="module")
def real_con(real_warehouse: Path):
    """A read-only connection to the real warehouse, to re-derive in SQL what pages show."""
    import duckdb

    with duckdb.connect(str(real_warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def real_latest(real_con) -> str:
    """The real warehouse's newest release date, the pages' default."""
    return real_con.execute("SELECT strftime(max(release), '%Y-%m-%d') FROM releases").fetchone()[0]


@pytest.fixture
def empty_db_path(tmp_path: Path) -> Path:
    """A path where no database exists (for the app's 'no database yet' state)."""
    return tmp_path / "missing" / "dpi.duckdb"


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The upstream mirror directory (tests that read raw files directly need one)."""
    mirror = find_mirror()
    if mirror is None or not mirror.is_dir():
        skip_or_fail(f"no upstream mirror (set DPI_MIRROR or put one at {SIBLING_MIRROR})")
    return mirror
