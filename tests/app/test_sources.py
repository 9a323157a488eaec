"""Data & sources (AppTest): provenance, the quality report, downloads and definitions."""

import io
import pathlib

import pandas as pd

PAGE = "pages/sources.py"


def count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def table_with(at, column: str) -> pd.DataFrame:
    (found,) = [t.value for t in [*at.dataframe, *at.table] if column in t.value.columns]
    return found


def test_provenance_lists_every_source_with_checksum_and_citation(run_page, con):
    at = run_page(PAGE)
    assert not at.exception
    provenance = table_with(at, "SHA-256")
    assert len(provenance) == count(con, "SELECT count(*) FROM sources")
    expected = {sha for (sha,) in con.execute("SELECT sha256 FROM sources").fetchall()}
    assert set(provenance["SHA-256"]) == expected
    assert provenance["URL"].str.startswith("https://").all()
    codes = [c.value for c in at.code]
    citations = con.execute("SELECT DISTINCT citation FROM sources WHERE source <> 'dpimap'")
    for (citation,) in citations.fetchall():
        assert citation in codes  # copy-ready
    assert any(c.startswith("DPI Map (") for c in codes)


def test_quality_report_matches_the_warehouse(run_page, con):
    at = run_page(PAGE)
    corrections = table_with(at, "Reason")
    assert len(corrections) == count(con, "SELECT count(*) FROM corrections_applied")
    assert corrections["Reason"].str.len().min() > 20  # every correction says why
    excluded = table_with(at, "Region (as published)")
    assert len(excluded) == count(con, "SELECT count(*) FROM systems WHERE iso3 IS NULL")
    aliases = table_with(at, "Name in the DPI Map")
    assert len(aliases) == count(
        con, "SELECT count(*) FROM name_matches WHERE method IN ('alias', 'regional')"
    )
    per_release = table_with(at, "Regional records")
    assert len(per_release) == count(con, "SELECT count(*) FROM quality")


def test_downloads_follow_the_filters_and_never_read_the_warehouse_on_load(
    run_page, con, app_db, monkeypatch
):
    reads = []
    original = pathlib.Path.read_bytes

    def spy(path):
        reads.append(path)
        return original(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    at = run_page(PAGE, query_params={"region": "WB: North America"})
    assert not at.exception
    assert pathlib.Path(app_db) not in reads
    labels = [b.proto.label for b in at.get("download_button")]
    for name in ("Country statuses", "System attributes"):
        assert f"{name} (CSV)" in labels and f"{name} (Parquet)" in labels
    assert any(label.startswith("Full warehouse") for label in labels)
    members = count(con, "SELECT count(*) FROM countries WHERE region = 'North America'")
    assert any(f"{members * 3:,} country-pillar rows" in m.value for m in at.markdown)


def test_definitions_cover_every_status_and_the_framework(run_page, con):
    at = run_page(PAGE)
    statuses = table_with(at, "Meaning")
    assert set(statuses["Status"]) >= {"Not assessed", "No system", "Implemented, DPI-like"}
    framework = table_with(at, "Description")
    assert len(framework) == count(con, "SELECT count(*) FROM framework_attributes")
    indicators = [t.value for t in at.dataframe if "indicator" in t.value.columns]
    assert sum(len(t) for t in indicators) == count(
        con, "SELECT count(*) FROM framework_indicators"
    )
    text = "\n".join(m.value for m in at.markdown)
    assert "most advanced" in text and "not assessed" in text.lower()


def test_downloads_carry_the_citation():
    """Synthetic: the two download formats keep the citation (CSV first line, Parquet metadata)."""
    from atlas import tables as views

    table = pd.DataFrame({"iso3": ["AAA", "BBB"], "status": ["implemented", "none"]})
    cite = "DPI Map (2099-01-01). Synthetic."
    csv = views.csv_with_citation(table, cite).decode()
    assert csv.splitlines()[0] == f"# Source: {cite}"
    assert pd.read_csv(io.StringIO(csv), comment="#").equals(table)
    parquet = views.parquet_with_citation(table, cite)
    back = pd.read_parquet(io.BytesIO(parquet))
    assert back.equals(table)
    assert back.attrs["citation"] == cite
    import pyarrow.parquet as pq

    assert pq.read_schema(io.BytesIO(parquet)).metadata[b"citation"] == cite.encode()
