"""Serving writes nothing into the checkout: a fresh copy of it (what a clone holds: no .venv,
no data, no caches) serves every page to Chromium, and afterwards holds exactly the files it
held before, unchanged. The copy is also made read-only for anyone but root, as in a
container with a read-only file system.
"""

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from atlas import localrun

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "test-artifacts",
    "raw", "*.duckdb", "*.duckdb.tmp*", "*.wal",
)  # fmt: skip
# path -> what shows the page worked (maps: the painted map is checked too)
PAGES = {
    "": "The DPI stack",
    "map?pillar=payments&measure=dpi_like": None,
    "trends": "Transitions between two releases",
    "country?iso3=KEN": "Kenya (KEN)",
    "compare": None,
    "present": None,
    "sources": "Definitions",
}
MAP_PAGES = {"", "map?pillar=payments&measure=dpi_like"}


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder under root: kind, size, modification time, mode."""
    found = {}
    for path in [root, *root.rglob("*")]:
        info = path.lstat()
        kind = "dir" if stat.S_ISDIR(info.st_mode) else "file"
        size = None if kind == "dir" else info.st_size
        found[str(path.relative_to(root))] = (kind, size, info.st_mtime_ns, info.st_mode)
    return found


def set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~bits)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    copy = tmp_path_factory.mktemp("clone") / "dpi-atlas"
    shutil.copytree(ROOT, copy, ignore=NOT_IN_A_CLONE, symlinks=True)
    set_writable(copy, False)
    yield copy
    set_writable(copy, True)


@pytest.fixture(scope="module")
def clone_server(clone: Path, real_warehouse: Path, tmp_path_factory) -> Iterator[tuple]:
    before = snapshot(clone)
    log = tmp_path_factory.mktemp("clone-log") / "streamlit.log"
    env = {"DPI_DB": str(real_warehouse), "PYTHONDONTWRITEBYTECODE": "1"}
    with localrun.streamlit_server(env, log, root=clone) as url:
        yield url, before, log


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_from_the_read_only_clone(
    clone_server, path, page, wait_for_app, wait_for_map
):
    url, _, _ = clone_server
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    if path in MAP_PAGES:
        wait_for_map(page)  # shapes and plotly.js from map-assets/, from memory
    if PAGES[path]:
        expect(page.get_by_text(PAGES[path]).first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not page.page_errors


def test_nothing_was_written_into_the_clone(clone, clone_server):
    _, before, log = clone_server
    after = snapshot(clone)
    added = sorted(set(after) - set(before))
    changed = sorted(p for p in set(after) & set(before) if after[p] != before[p])
    assert not added and not changed, f"written while serving: {added + changed}"
    output = log.read_text()
    assert "Read-only file system" not in output and "Traceback" not in output, output
    if os.geteuid() != 0:  # root ignores the read-only bits: only the snapshot tells then
        assert not os.access(clone / "static", os.W_OK)
