"""The real ETL built from the mirror (session fixture `real_warehouse`), checked against the raw files."""

import json
import re
from collections import Counter

import pytest

from etl.fetch import url_path
from etl.sources import read_manifest, release_files
from etl.vocabulary import PILLARS

pytestmark = pytest.mark.integration
IMPLEMENTED_WORDS = {"Implemented", "Rollout", "Operating at scale", "Active"}


@pytest.fixture(scope="module")
def con(real_con):
    return real_con


@pytest.fixture(scope="module")
def raw_files(mirror_dir):
    """(release, pillar) -> the raw records, read straight from the mirror."""
    return {
        (f.release, f.pillar): json.loads((mirror_dir / url_path(f.url)).read_text())
        for f in release_files(read_manifest())
    }


def raw_field(record: dict, prefix: str) -> str:
    """The value of the first header starting with prefix (headers drift between releases)."""
    key = next(k for k in record if re.sub(r"\s+", " ", k).strip().lower().startswith(prefix))
    return re.sub(r"\s+", " ", str(record[key])).strip()


def test_every_release_and_pillar_loaded(con):
    manifest_releases = read_manifest()["dpimap"]["releases"]
    rows = con.execute(
        "SELECT strftime(release, '%Y-%m-%d'), pillar, records FROM releases"
    ).fetchall()
    assert {(r, p) for r, p, _ in rows} == {(r, p) for r in manifest_releases for p in PILLARS}
    assert len(rows) == len(manifest_releases) * len(PILLARS)  # one row per file, no more
    assert all(n > 200 for *_, n in rows)


def test_record_counts_match_the_raw_files(con, raw_files):
    for (release, pillar), records in raw_files.items():
        (n,) = con.execute(
            "SELECT count(*) FROM systems WHERE release = ? AND pillar = ?", [release, pillar]
        ).fetchone()
        assert n == len(records), (release, pillar)


def test_raw_statuses_are_kept_except_reviewed_corrections(con, raw_files):
    corrected = Counter(
        (r, p, old)
        for r, p, col, old in con.execute(
            'SELECT release, pillar, "column", old_value FROM corrections_applied'
        ).fetchall()
        if col == "status"
    )
    for (release, pillar), records in raw_files.items():
        raw = Counter(raw_field(r, "status") for r in records)
        for (r, p, old), n in corrected.items():
            if (r, p) == (release, pillar):
                raw[old] -= n
                raw["Implemented"] += n
        stored = Counter(
            dict(
                con.execute(
                    "SELECT status_raw, count(*) FROM systems WHERE release = ? AND pillar = ? "
                    "GROUP BY ALL",
                    [release, pillar],
                ).fetchall()
            )
        )
        assert +raw == +stored, (release, pillar)


def test_implemented_counts_agree_with_the_raw_files(con, raw_files):
    """Countries with any implemented-like raw status == country_status 'implemented'."""
    names = dict(con.execute("SELECT name_raw, iso3 FROM name_matches").fetchall())
    fixes = {
        (r, p, c, col): new
        for r, p, c, col, new in con.execute(
            'SELECT release, pillar, country, "column", new_value FROM corrections_applied'
        ).fetchall()
    }
    for (release, pillar), records in raw_files.items():
        implemented = set()
        for record in records:
            country = raw_field(record, "country")
            status = fixes.get((release, pillar, country, "status"), raw_field(record, "status"))
            country = fixes.get((release, pillar, country, "country"), country)
            iso3 = names.get(country.replace("\u200b", ""))
            parts = {part.strip() for part in status.split(",")}
            if iso3 and parts & IMPLEMENTED_WORDS:
                implemented.add(iso3)
        (n,) = con.execute(
            "SELECT count(*) FROM country_status WHERE release = ? AND pillar = ? "
            "AND status = 'implemented'",
            [release, pillar],
        ).fetchone()
        assert n == len(implemented), (release, pillar)


def test_no_unmatched_names_and_every_status_row_joins_countries(con):
    assert con.execute("SELECT count(*) FROM name_matches WHERE method IS NULL").fetchone() == (0,)
    orphans = con.execute(
        "SELECT count(*) FROM country_status s ANTI JOIN countries c USING (iso3)"
    ).fetchone()
    assert orphans == (0,)
    regional = {
        r
        for (r,) in con.execute(
            "SELECT DISTINCT region_label FROM systems WHERE iso3 IS NULL"
        ).fetchall()
    }
    assert {"Africa", "Europe"} <= regional


def test_one_status_row_per_release_country_pillar(con):
    dupes = con.execute(
        "SELECT count(*) FROM (SELECT release, iso3, pillar FROM country_status "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    assert dupes == (0,)


def test_dpi_like_is_null_before_it_was_assessed(con):
    """'Count for DPI' first appears in the 2025-06-30 release: NULL before, set from then on."""
    rows = dict(
        con.execute(
            "SELECT strftime(release, '%Y-%m-%d'), bool_or(dpi_like IS NOT NULL) FROM systems "
            "GROUP BY 1"
        ).fetchall()
    )
    releases = read_manifest()["dpimap"]["releases"]
    assert rows == {release: release >= "2025-06-30" for release in releases}


def test_boundaries_cover_every_country_with_a_record(con):
    missing = con.execute(
        "SELECT DISTINCT c.iso3 FROM countries c JOIN systems s USING (iso3) "
        "WHERE NOT c.has_geometry AND c.lat IS NULL"
    ).fetchall()
    assert missing == []
    geojson = json.loads(
        con.execute("SELECT content FROM map_assets WHERE name = 'countries.geojson'").fetchone()[0]
    )
    ids = {f["id"] for f in geojson["features"]}
    assert {"FRA", "NOR", "XKX", "JAM", "BRB", "FJI", "WSM"} <= ids
    size = len(json.dumps(geojson, separators=(",", ":")))
    assert size < 400_000


def test_every_system_joins_exactly_one_source_of_its_release_and_pillar(con):
    (systems,) = con.execute("SELECT count(*) FROM systems").fetchone()
    joined = con.execute(
        "SELECT count(*), count(DISTINCT system_id), "
        "count(*) FILTER (WHERE r.release = strftime(s.release, '%Y-%m-%d') "
        "AND r.url = l.source_url) "
        "FROM systems s JOIN sources r ON r.source_id = s.source_id "
        "JOIN releases l ON l.release = s.release AND l.pillar = s.pillar"
    ).fetchone()
    assert systems > 0 and joined == (systems, systems, systems)
    cites = con.execute("SELECT citation FROM sources WHERE source = 'dpimap'").fetchall()
    assert cites and all("Institute for Innovation and Public Purpose" in c for (c,) in cites)


def test_the_statuses_rank_ranks_country_status(con):
    worse = con.execute(
        "SELECT count(*) FROM country_status c JOIN statuses cs USING (status) "
        "JOIN systems s USING (release, iso3, pillar) JOIN statuses ss ON ss.status = s.status "
        "WHERE ss.rank > cs.rank"
    ).fetchone()
    assert worse == (0,)  # no system of a country is more advanced than its status


def test_country_bounds_frame_mainland_france(con):
    bounds = {r[0]: r[1:] for r in con.execute("SELECT * FROM country_bounds").fetchall()}
    west, south, east, north = bounds["FRA"]  # mainland France and Corsica, not Guiana
    assert -6 < west < -4 and 41 < south < 42 and 9 < east < 10 and 51 < north < 52
    assert all(w < e and s < n for w, s, e, n in bounds.values())
