"""`python -m etl` on bad input: one clear message, exit code 1, the served database untouched.

Each test copies the mirror into tmp_path, breaks one file (or adds a release), and builds
with its own download cache."""

import json
import re
import shutil
from pathlib import Path

import pytest

from etl.__main__ import main

pytestmark = pytest.mark.integration
LATEST = "dpimap.org/data/2026-01-15/2026-01-15-identity.json"


@pytest.fixture
def mirror(tmp_path, mirror_dir, monkeypatch):
    copy = tmp_path / "mirror"
    for part in [
        "dpimap.org",
        "raw.githubusercontent.com/GPID-WB",
        "raw.githubusercontent.com/martynafford",
    ]:
        shutil.copytree(mirror_dir / part, copy / part)
    for path in copy.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    monkeypatch.setenv("DPI_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.delenv("DPI_DB", raising=False)
    return copy


def build(mirror: Path, db: Path, capsys) -> tuple[int, str]:
    code = main(["build", "--mirror", str(mirror), "--db", str(db)])
    return code, capsys.readouterr().err


def edit_records(mirror: Path, change) -> None:
    path = mirror / LATEST
    records = json.loads(path.read_text())
    path.write_text(json.dumps(change(records)))


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[:5000]), r"not valid JSON .*truncated"),
        (lambda p: p.write_bytes(b""), r"the file is empty"),
        (lambda p: p.write_text("<!DOCTYPE html><title>502</title>"), r"got an HTML page"),
    ],
    ids=["truncated", "empty", "html"],
)
def test_broken_files(mirror, tmp_path, capsys, breakage, message):
    breakage(mirror / LATEST)
    code, err = build(mirror, tmp_path / "dpi.duckdb", capsys)
    assert code == 1
    assert err.startswith("error: https://dpimap.org/data/2026-01-15/2026-01-15-identity.json")
    assert re.search(message, err, re.S)
    assert "Traceback" not in err
    assert not (tmp_path / "dpi.duckdb").exists()


def rename_status(records):
    return [
        {("Status" if k == "Status of Implementation" else k): v for k, v in r.items()}
        for r in records
    ]


def unknown_status(records):
    records[0]["Status of Implementation"] = "Half done"
    return records


def duplicate(records):
    return records + records[:1]


def unknown_country(records):
    records[0]["Country / Region"] = "Atlantis"
    return records


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (rename_status, "unknown column 'Status'"),
        (unknown_status, "unknown status 'Half done'"),
        (duplicate, "duplicated record: 'Algeria'"),
        (unknown_country, "'Atlantis'"),
    ],
    ids=["missing-column", "unknown-status", "duplicate", "unknown-country"],
)
def test_bad_records(mirror, tmp_path, capsys, change, message):
    edit_records(mirror, change)
    code, err = build(mirror, tmp_path / "dpi.duckdb", capsys)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_failed_build_leaves_the_served_database_byte_identical(mirror, tmp_path, capsys):
    db = tmp_path / "dpi.duckdb"
    assert build(mirror, db, capsys)[0] == 0
    before = db.read_bytes()
    edit_records(mirror, unknown_status)
    shutil.rmtree(tmp_path / "raw")  # force a fresh read of the broken mirror
    assert build(mirror, db, capsys)[0] == 1
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("dpi")) == ["dpi.duckdb"]


def test_a_new_release_loads_by_naming_it(mirror, tmp_path, capsys, monkeypatch):
    """A new quarterly release: one more date in the manifest, no code change."""
    new = mirror / "dpimap.org/data/2026-04-15"
    new.mkdir()
    for path in (mirror / "dpimap.org/data/2026-01-15").iterdir():
        shutil.copy(path, new / path.name.replace("2026-01-15", "2026-04-15"))
    manifest = Path("data/sources.toml").read_text()
    manifest = manifest.replace('    "2026-01-15",\n', '    "2026-01-15",\n    "2026-04-15",\n')
    (tmp_path / "sources.toml").write_text(manifest)
    monkeypatch.setenv("DPI_SOURCES", str(tmp_path / "sources.toml"))
    db = tmp_path / "dpi.duckdb"
    assert build(mirror, db, capsys)[0] == 0
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        releases = con.execute("SELECT count(DISTINCT release) FROM releases").fetchone()
    assert releases == (7,)


def test_check_prints_the_quality_report(mirror, capsys):
    assert main(["check", "--mirror", str(mirror)]) == 0
    out = capsys.readouterr().out
    assert "Per release and pillar" in out and "countries_matched" in out
    assert "Guatemala" in out  # the reviewed correction of 2025-09-30
