"""fixtures.py builds a tiny synthetic warehouse through the real load path.

The synthetic upstream mirror in tests/fixtures/synthetic/ (hand-written, invented values; its
README.md says what the synthetic world holds) is copied to a temporary mirror, the World
Bank workbook is written there from its hand-written CSV, and the real ETL runs exactly as a
user runs it:

    DPI_SOURCES=<synthetic sources.toml> DPI_RAW_DIR=<tmp> python -m etl build --db DB --mirror DIR

in a subprocess, so nothing is written into the checkout. A failed build raises
FixtureBuildError carrying the ETL's output.

    python -m tests.fixtures /tmp/synthetic    # build one by hand; prints its path and time
"""

import csv
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = Path(__file__).resolve().parent / "fixtures" / "synthetic"
MANIFEST = SYNTHETIC / "sources.toml"
CLASS_SHEET = "List of economies"  # the sheet etl/countries.py reads
BUILD_TIMEOUT_S = 300
ETL_SETTINGS = ("DPI_DB", "DPI_MIRROR", "DPI_SOURCES", "DPI_RAW_DIR")


class FixtureBuildError(RuntimeError):
    """The ETL failed on the synthetic mirror; the message holds its command and output."""


def build_synthetic_warehouse(target_dir: Path) -> Path:
    """Build the synthetic warehouse into target_dir/dpi.duckdb and return its path."""
    target_dir = Path(target_dir)
    mirror = copy_mirror(target_dir / "mirror")
    db = target_dir / "dpi.duckdb"
    run_etl(db, mirror, raw_dir=target_dir / "raw")
    return db


def copy_mirror(mirror: Path) -> Path:
    """The synthetic tree copied to `mirror`, with the World Bank .xlsx written from its CSV."""
    shutil.copytree(SYNTHETIC, mirror)
    xlsx = mirror / url_path(read_manifest()["world_bank_class"]["url"])
    write_class_workbook(xlsx.with_suffix(".csv"), xlsx)
    return mirror


def read_manifest() -> dict:
    return tomllib.loads(MANIFEST.read_text(encoding="utf-8"))


def url_path(url: str) -> Path:
    from etl.fetch import url_path as etl_url_path  # the ETL's own <host>/<path> rule

    return etl_url_path(url)


def write_class_workbook(csv_path: Path, xlsx_path: Path) -> None:
    """CLASS.xlsx as the ETL expects it: sheet 'List of economies', empty cells left empty."""
    from openpyxl import Workbook  # a test-only dependency (requirements-dev.txt)

    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = [[cell or None for cell in row] for row in csv.reader(handle)]
    book = Workbook()
    sheet = book.active
    sheet.title = CLASS_SHEET
    for row in rows:
        sheet.append(row)
    book.create_sheet("notes").append(["Synthetic test workbook: invented values."])
    book.save(xlsx_path)


def run_etl(db: Path, mirror: Path, raw_dir: Path) -> None:
    """`python -m etl build` on the synthetic manifest; FixtureBuildError with its output."""
    env = {k: v for k, v in os.environ.items() if k not in ETL_SETTINGS}
    env |= {"DPI_SOURCES": str(MANIFEST), "DPI_RAW_DIR": str(raw_dir)}
    command = [sys.executable, "-m", "etl", "build", "--db", str(db), "--mirror", str(mirror)]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    if result.returncode != 0 or not db.is_file():
        raise FixtureBuildError(
            f"the synthetic warehouse did not build: `{' '.join(command[1:])}` "
            f"(DPI_SOURCES={MANIFEST}) exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.fixtures TARGET_DIR", file=sys.stderr)
        return 2
    started = time.perf_counter()
    db = build_synthetic_warehouse(Path(argv[0]))
    print(f"built {db} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
