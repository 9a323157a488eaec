"""Build the warehouse: run the pipeline, write a temporary DuckDB file, check it, rename it.

A failed build never touches the database the app serves.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import pipeline
from etl.countries import country_table, harmonise_countries
from etl.errors import ETLError
from etl.fetch import Cache
from etl.sources import all_urls, release_files

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "dpi.duckdb"
SQL = Path(__file__).with_name("warehouse.sql")


def database_path(db: str | None = None) -> Path:
    return Path(db or os.environ.get("DPI_DB") or DEFAULT_DB)


def collect_tables(mirror: str | None = None, raw_dir: Path | None = None) -> pipeline.Tables:
    """Every source fetched, normalised and validated, as DataFrames."""
    from etl.boundaries import base_topojson, build_boundaries  # GeoPandas lives there only

    manifest, cache = pipeline.fetch_sources(mirror, Cache(raw_dir) if raw_dir else None)
    systems, attributes, applied, releases = pipeline.normalise_releases(manifest, cache)
    systems = pd.DataFrame(systems)
    matches = harmonise_countries(sorted(set(systems["country_raw"])), "DPI Map country names")
    systems = systems.merge(matches, left_on="country_raw", right_on="name_raw", how="left")
    systems["region_label"] = systems["country_raw"].where(systems["iso3"].isna())
    dpi_iso3 = set(systems["iso3"].dropna())
    geojson, geo = build_boundaries(cache.path(manifest["natural_earth"]["url"]), dpi_iso3)
    iso3s = sorted(dpi_iso3 | set(geo["iso3"]))
    countries = country_table(iso3s, cache.path(manifest["world_bank_class"]["url"]), geo)
    framework_attributes, framework_indicators = pipeline.read_indicators(manifest, cache)
    tables = pipeline.Tables()
    tables.frames = {
        "raw_systems": systems.drop(columns=["name_raw"]),
        "raw_attributes": pd.DataFrame(attributes),
        "raw_releases": pd.DataFrame(releases),
        "corrections_applied": pd.DataFrame(applied, columns=_correction_columns()),
        "name_matches": matches,
        "countries": countries,
        "sources": sources_frame(manifest, cache),
        "attributes": pipeline.attribute_catalogue(),
        "framework_attributes": framework_attributes,
        "framework_indicators": framework_indicators,
    }
    tables.assets = {"countries.geojson": geojson, "world_110m.json": base_topojson()}
    return tables


def _correction_columns() -> list[str]:
    return ["line", "release", "pillar", "country", "column", "old_value", "new_value", "reason"]


def sources_frame(manifest: dict, cache: Cache) -> pd.DataFrame:
    """One row per upstream file: what it is, its terms and citation, when and what we fetched."""
    by_url = {f.url: f for f in release_files(manifest)}
    rows = []
    for url in all_urls(manifest):
        entry = cache.entry(url)
        item = by_url.get(url)
        key = (
            "dpimap"
            if item
            else next(k for k, v in manifest.items() if url in (v.get("urls") or [v.get("url")]))
        )
        meta = manifest[key]
        rows.append(
            {
                "source_id": f"{key}:{item.release}:{item.pillar}"
                if item
                else f"{key}:{Path(url).name}",
                "source": key,
                "release": item.release if item else None,
                "title": meta["title"],
                "publisher": meta["publisher"],
                "url": url,
                "homepage": meta["homepage"],
                "terms": meta["terms"],
                "citation": meta["citation"].format(release=item.release if item else ""),
                "retrieved_at": entry["retrieved_at"],
                "sha256": entry["sha256"],
            }
        )
    return pd.DataFrame(rows)


def populate(con, tables: pipeline.Tables) -> None:
    """Create every warehouse table in `con` and check the invariants."""
    for name, frame in tables.frames.items():
        con.register(f"df_{name}", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM df_{name}")
        con.unregister(f"df_{name}")
    assets = pd.DataFrame(list(tables.assets.items()), columns=["name", "content"])
    con.register("df_map_assets", assets)
    con.execute("CREATE TABLE map_assets AS SELECT * FROM df_map_assets")
    con.execute(SQL.read_text())
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    con.execute("CREATE TABLE meta AS SELECT CAST(? AS TIMESTAMPTZ) AS built_at", [built_at])
    check_warehouse(con)


def write_warehouse(tables: pipeline.Tables, db_path: Path) -> None:
    """Write every table into a temporary file, check the invariants, then rename atomically."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(tmp)) as con:
            populate(con, tables)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)


CHECKS = {
    "country_status rows whose iso3 is not in countries": """
        SELECT DISTINCT s.iso3 FROM country_status s ANTI JOIN countries c USING (iso3)""",
    "countries with a record but neither a map shape nor a marker position": """
        SELECT DISTINCT c.iso3 FROM countries c JOIN systems s USING (iso3)
        WHERE NOT c.has_geometry AND (c.lat IS NULL OR c.lon IS NULL)""",
    "release files with no records": "SELECT release, pillar FROM releases WHERE records = 0",
    "systems without a canonical status": "SELECT system_id FROM systems WHERE status IS NULL",
}


def check_warehouse(con) -> None:
    problems = []
    for label, query in CHECKS.items():
        rows = con.execute(query).fetchall()
        if rows:
            problems.append(f"  - {label}: {', '.join(str(r) for r in rows[:20])}")
    if problems:
        raise ETLError(
            "warehouse checks failed; the database was not replaced\n" + "\n".join(problems)
        )


def build(db: str | None = None, mirror: str | None = None, raw_dir: Path | None = None) -> Path:
    db_path = database_path(db)
    write_warehouse(collect_tables(mirror, raw_dir), db_path)
    return db_path
