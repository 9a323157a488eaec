"""Data & sources (AppTest): provenance, the quality report, downloads and definitions."""

import io
import pathlib

import pandas as pd
import pyarrow.parquet as pq
import pytest

PAGE = "pages/sources.py"


def count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def table_with(at, column: str) -> pd.DataFrame:
    (found,) = [t.value for t in [*at.dataframe, *at.table] if column in t.value.columns]
    return found


def test_provenance_lists_every_source_with_checksum_and_citation(run_page, con, latest):
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
    (release_citation,) = con.execute(
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()
    assert release_citation in codes  # the release shown, as the sidebar picks it


def test_quality_report_matches_the_warehouse(run_page, con):
    at = run_page(PAGE)
    corrections = table_with(at, "Reason")
    applied = count(con, "SELECT count(*) FROM corrections_applied")
    assert len(corrections) == applied
    assert any(f"**Corrections applied** ({applied}," in m.value for m in at.markdown)
    reasons = [r for (r,) in con.execute("SELECT reason FROM corrections_applied").fetchall()]
    assert sorted(corrections["Reason"]) == sorted(reasons)  # the reasons as recorded
    assert all(len(reason) > 20 for reason in corrections["Reason"])  # each says why
    excluded = table_with(at, "Region (as published)")
    assert len(excluded) == count(con, "SELECT count(*) FROM systems WHERE iso3 IS NULL")
    aliases = table_with(at, "Name in the DPI Map")
    assert len(aliases) == count(
        con, "SELECT count(*) FROM name_matches WHERE method IN ('alias', 'regional')"
    )
    per_release = table_with(at, "Regional records")
    assert len(per_release) == count(con, "SELECT count(*) FROM quality")


@pytest.mark.parametrize(
    ("link", "region"),
    [
        ("wb:europe-central-asia", "Europe & Central Asia"),  # by id
        ("WB: Sub-Saharan Africa", "Sub-Saharan Africa"),  # by the label older links carry
    ],
)
def test_downloads_follow_the_filters_and_never_read_the_warehouse_on_load(
    run_page, con, latest, app_db, monkeypatch, downloads, link, region
):
    reads = []
    original = pathlib.Path.read_bytes

    def spy(path):
        reads.append(path)
        return original(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    at = run_page(PAGE, query_params={"region": link})
    assert not at.exception
    assert pathlib.Path(app_db) not in reads
    labels = [b.proto.label for b in at.get("download_button")]
    for name in ("Country statuses", "System attributes"):
        assert f"{name} (CSV)" in labels and f"{name} (Parquet)" in labels
    assert any(label.startswith("Full warehouse") for label in labels)
    members = {
        iso3
        for (iso3,) in con.execute(
            "SELECT iso3 FROM countries WHERE region = ?", [region]
        ).fetchall()
    }
    (attributes,) = con.execute(
        """SELECT count(*) FROM systems s JOIN system_attributes v USING (system_id)
           WHERE s.release = CAST(? AS DATE) AND list_contains(?, s.iso3)""",
        [latest, sorted(members)],
    ).fetchone()
    assert len(members) > 1 and attributes > 0
    expected = f"{len(members) * 3:,} country-pillar rows, {attributes:,} system-attribute values"
    assert any(expected in m.value for m in at.markdown)
    # The files a click makes: this region's rows of this release, with the citation.
    (citation,) = con.execute(
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' "
        "AND release = CAST(? AS DATE)",
        [latest],
    ).fetchone()
    for name, rows in (("Country statuses", len(members) * 3), ("System attributes", attributes)):
        csv = downloads[f"{name} (CSV)"].text()
        assert set(pd.read_csv(io.StringIO(csv))["citation"]) == {citation}, name
        parquet = downloads[f"{name} (Parquet)"].content()
        assert pq.read_schema(io.BytesIO(parquet)).metadata[b"citation"] == citation.encode()
        for table in (
            pd.read_csv(io.StringIO(csv), comment="#"),
            pd.read_parquet(io.BytesIO(parquet)),
        ):
            assert len(table) == rows and set(table["release"].astype(str)) == {latest}, name
            assert set(table["iso3"]) <= members, name
    statuses = pd.read_csv(io.StringIO(downloads["Country statuses (CSV)"].text()), comment="#")
    assert set(statuses["iso3"]) == members  # every member, assessed or not


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


def test_downloads_open_in_pandas_with_their_citation():
    """Synthetic: CSV has one header row and the citation and selection in columns (no comment
    line); Parquet keeps them and carries the citation in its metadata too."""
    from atlas import tables

    table = pd.DataFrame({"iso3": ["AAA", "BBB"], "status": ["implemented", "none"]})
    cite = "DPI Map (2099-01-01). Synthetic."
    csv = tables.csv_download(table, cite, "Europe & Central Asia").decode()
    assert csv.splitlines()[0] == "iso3,status,selection,citation"
    back = pd.read_csv(io.StringIO(csv))
    assert back[["iso3", "status"]].equals(table)
    assert set(back["citation"]) == {cite} and set(back["selection"]) == {"Europe & Central Asia"}
    parquet = tables.parquet_with_citation(tables.with_citation(table, cite, "World"), cite)
    back = pd.read_parquet(io.BytesIO(parquet))
    assert back[["iso3", "status"]].equals(table) and set(back["citation"]) == {cite}
    assert back.attrs["citation"] == cite
    import pyarrow.parquet as pq

    assert pq.read_schema(io.BytesIO(parquet)).metadata[b"citation"] == cite.encode()


def test_the_page_declares_which_countries_count(run_page, con):
    at = run_page(PAGE)
    counted = count(con, "SELECT count(*) FROM countries WHERE region IS NOT NULL")
    out = [n for (n,) in con.execute("SELECT name FROM countries WHERE region IS NULL").fetchall()]
    text = "\n".join(m.value for m in at.markdown)
    assert f"out of **{counted}** countries and territories the World Bank classifies" in text
    assert f"Left out ({len(out)}): {', '.join(sorted(out))}." in text
