"""A damaged or incompatible warehouse: every page shows one message that says what is wrong
and how to fix it, never a traceback and never "not built yet" for a file that exists.

Each case is made from a copy of the synthetic warehouse: an empty file, the file cut to 1 MB
and to 90 % (a copy or download cut short), a missing table, a missing `meta`, a directory in
the file's place, and a file whose catalogue reads fine but one of whose data blocks fails its
checksum (damage found only when a page queries that table).
"""

import shutil
from pathlib import Path

import duckdb
import pytest

from atlas import db

PAGES = [
    "pages/overview.py",
    "pages/map.py",
    "pages/trends.py",
    "pages/country.py",
    "pages/compare.py",
    "pages/present.py",
    "pages/sources.py",
]
FIX = "python -m etl build"
BLOCK = 262_144  # DuckDB's block size; the file is three 4 KiB headers, then its blocks
HEADERS = 3 * 4096


def truncated(source: Path, target: Path, size: int) -> None:
    target.write_bytes(source.read_bytes()[:size])


def without_table(source: Path, target: Path, table: str) -> None:
    shutil.copy(source, target)
    with duckdb.connect(str(target)) as con:
        con.execute(f"DROP TABLE {table}")


def make_case(case: str, warehouse: Path, target: Path) -> None:
    size = warehouse.stat().st_size
    if case == "empty":
        target.write_bytes(b"")
    elif case == "cut to 1 MB":
        assert size > 1_500_000, "the synthetic warehouse should be well over 1 MB"
        truncated(warehouse, target, 1_000_000)
    elif case == "cut to 90%":
        truncated(warehouse, target, size * 9 // 10)
    elif case == "missing table":
        without_table(warehouse, target, "country_status")
    elif case == "missing meta":
        without_table(warehouse, target, "meta")
    elif case == "directory":
        target.mkdir()
        (target / "stray.txt").write_text("not a warehouse\n")
    else:
        raise AssertionError(case)


# case -> a phrase of the message that says what is wrong
CASES = {
    "empty": "is damaged or incomplete",
    "cut to 1 MB": "is damaged or incomplete",
    "cut to 90%": "is incomplete",
    "missing table": "lacks the table(s) country_status",
    "missing meta": "lacks the table(s) meta",
    "directory": "is a directory",
}


@pytest.fixture(params=list(CASES))
def damaged(request, warehouse: Path, tmp_path: Path) -> tuple[Path, str]:
    target = tmp_path / "dpi.duckdb"
    make_case(request.param, warehouse, target)
    return target, CASES[request.param]


def only_the_message(at, what: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1, warnings
    message = warnings[0]
    assert what in message and FIX in message, message
    assert "not been built" not in message  # the file exists: that would be wrong
    assert "/proc/self/fd" not in message  # DuckDB's name for the file, not the operator's
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric


@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_the_damage(run_page, damaged, page):
    path, what = damaged
    at = run_page(page, db=path)
    only_the_message(at, what)
    assert str(path) in at.warning[0].value  # where: the file the operator must rebuild


@pytest.mark.parametrize("page", PAGES)
def test_every_page_through_the_app(run_page, damaged, page):
    path, what = damaged
    at = run_page("dashboard.py", db=path)
    at.switch_page(page).run()
    only_the_message(at, what)


# ------------------------------------------------------------ damage found only by a query
def block_of(warehouse: Path, table: str, tmp_path: Path) -> Path:
    """A copy of the warehouse with one data block overwritten such that the file opens,
    its catalogue and size are fine, and reading `table` fails its checksum."""
    data = warehouse.read_bytes()
    blocks = (len(data) - HEADERS) // BLOCK
    for index in range(blocks):
        offset = HEADERS + index * BLOCK + 1_000
        copy = tmp_path / f"rot-{index}.duckdb"
        copy.write_bytes(data[:offset] + b"\xff" * 64 + data[offset + 64 :])
        try:
            with duckdb.connect(str(copy), read_only=True) as con:
                con.execute("SELECT table_name, column_name FROM information_schema.columns")
                con.execute("PRAGMA database_size").fetchall()
                con.execute("SELECT * FROM meta").fetchall()
                con.execute(f"SELECT * FROM {table}").fetchall()
        except duckdb.IOException:
            return copy
        except duckdb.Error:
            continue
    pytest.fail(f"no block of {table} found to damage")


def test_damage_found_by_a_query_shows_the_message_and_stays_shown(run_page, warehouse, tmp_path):
    rot = block_of(warehouse, "country_status", tmp_path)
    at = run_page("dashboard.py", db=rot)  # the overview reads country_status
    assert not at.exception, [e.value for e in at.exception]
    messages = [w.value for w in at.warning if "damaged" in w.value]
    assert len(messages) == 1 and FIX in messages[0], [w.value for w in at.warning]
    assert db.check() is not None  # remembered: the next run stops at the page's setup
    for page in PAGES:
        at.switch_page(page).run()
        only_the_message(at, "is damaged or incomplete")


def test_a_good_warehouse_after_a_damaged_one_is_served(run_page, warehouse, tmp_path):
    broken = tmp_path / "dpi.duckdb"
    make_case("cut to 90%", warehouse, broken)
    assert run_page("pages/overview.py", db=broken).warning
    shutil.copy(warehouse, tmp_path / "next.duckdb")
    (tmp_path / "next.duckdb").replace(broken)  # the operator's rebuild, renamed into place
    at = run_page("pages/overview.py", db=broken)
    assert not at.exception and not at.warning
    assert at.get("plotly_chart")
