"""`python -m etl` on bad input: one clear message, exit code 1, the served database untouched.

Each test copies the mirror into tmp_path, breaks one file (or adds a release), and builds
with its own download cache."""

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from etl.__main__ import main
from etl.fetch import url_path
from etl.quality import REPORT
from etl.sources import read_manifest, release_files
from etl.vocabulary import PILLARS

pytestmark = pytest.mark.integration
FILES = {(f.release, f.pillar): f.url for f in release_files(read_manifest())}
RELEASES = read_manifest()["dpimap"]["releases"]
LATEST_URL = FILES[(RELEASES[-1], "identity")]
LATEST = url_path(LATEST_URL)


@pytest.fixture
def mirror(tmp_path, mirror_dir, monkeypatch):
    copy = tmp_path / "mirror"
    for part in [
        "dpimap.org",
        "raw.githubusercontent.com/GPID-WB",
        "raw.githubusercontent.com/martynafford",
        "raw.githubusercontent.com/open-numbers",
        "raw.githubusercontent.com/DPGAlliance",
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


def edit_records(mirror: Path, change, path: Path = LATEST) -> None:
    path = mirror / path
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
    assert err.startswith(f"error: release {RELEASES[-1]}, identity: {LATEST_URL}: ")
    assert re.search(message, err, re.S)
    assert "Traceback" not in err
    assert not (tmp_path / "dpi.duckdb").exists()


def rename_status(records):
    return [
        {("Status" if k == "Status of Implementation" else k): v for k, v in r.items()}
        for r in records
    ]


def unknown_column(records):
    records[0]["Colour"] = "blue"
    return records


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
        (rename_status, "missing required column 'status'"),
        (rename_status, "unknown column 'Status'"),
        (unknown_status, "unknown status 'Half done'"),
        (duplicate, "duplicated record: 'Algeria'"),
        (unknown_country, "'Atlantis'"),
    ],
    ids=["missing-column", "renamed-column", "unknown-status", "duplicate", "unknown-country"],
)
def test_bad_records(mirror, tmp_path, capsys, change, message):
    edit_records(mirror, change)
    code, err = build(mirror, tmp_path / "dpi.duckdb", capsys)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_two_bad_files_are_reported_in_one_run(mirror, tmp_path, capsys):
    edit_records(mirror, unknown_status)
    edit_records(mirror, unknown_column, url_path(FILES[(RELEASES[0], "payments")]))
    code, err = build(mirror, tmp_path / "dpi.duckdb", capsys)
    assert code == 1
    assert err.startswith("error: 2 problem(s) in 2 places:")
    assert f"release {RELEASES[-1]}, identity" in err and "unknown status 'Half done'" in err
    assert f"release {RELEASES[0]}, payments" in err and "unknown column 'Colour'" in err
    assert not (tmp_path / "dpi.duckdb").exists()


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
    latest = RELEASES[-1]
    new = str(date.fromisoformat(latest) + timedelta(days=90))
    for pillar in PILLARS:
        target = mirror / url_path(FILES[(latest, pillar)].replace(latest, new))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(mirror / url_path(FILES[(latest, pillar)]), target)
    manifest = Path("data/sources.toml").read_text()
    manifest = manifest.replace(f'    "{latest}",\n', f'    "{latest}",\n    "{new}",\n')
    (tmp_path / "sources.toml").write_text(manifest)
    monkeypatch.setenv("DPI_SOURCES", str(tmp_path / "sources.toml"))
    db = tmp_path / "dpi.duckdb"
    assert build(mirror, db, capsys)[0] == 0
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        releases = con.execute("SELECT strftime(release, '%Y-%m-%d') FROM releases").fetchall()
    assert sorted({r for (r,) in releases}) == [*RELEASES, new]


def test_check_prints_the_quality_report(mirror, capsys):
    assert main(["check", "--mirror", str(mirror)]) == 0
    out = capsys.readouterr().out
    for title, _ in REPORT.values():
        assert f"\n{title}:\n" in out
    assert "countries_matched" in out
    assert "Guatemala" in out  # the reviewed correction of 2025-09-30
