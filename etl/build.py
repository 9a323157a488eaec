"""The whole ETL, top to bottom: fetch -> normalise each source -> derive -> check -> write.

A source is one module with `normalise(manifest, cache, problems)` and one line below.
"""

import os
from pathlib import Path

from atlas import paths
from etl import boundaries, building_blocks, countries, dpimap, framework, outcomes, warehouse
from etl.fetch import fetch_sources
from etl.problems import Problems
from etl.sources import all_urls, read_manifest, sources_frame


def collect_tables(mirror=None, raw_dir=None) -> warehouse.Tables:
    """Every table for the warehouse, in memory; nothing is written but the download cache."""
    manifest = read_manifest()
    cache = fetch_sources(all_urls(manifest), mirror, raw_dir)
    problems = Problems()  # every problem of every file, reported together
    releases = dpimap.normalise(manifest, cache, problems)  # DPI Map releases
    definitions = framework.normalise(manifest, cache, problems)  # measurement framework
    shapes = boundaries.normalise(manifest, cache, problems)  # Natural Earth
    economies = countries.normalise(manifest, cache, problems)  # World Bank CLASS
    problems.raise_if_any()
    iso3s = set(releases["raw_systems"]["iso3"].dropna())
    geo = boundaries.add_markers(shapes.table, iso3s)
    known = countries.country_table(iso3s | set(geo["iso3"]), economies, geo)
    with problems.collect():  # suppliers and technologies named by the DPI Map and the DPGA
        blocks = building_blocks.normalise(manifest, cache, releases)
    with problems.collect():  # World Development Indicators beside each pillar
        indicators = outcomes.normalise(manifest, cache, set(known["iso3"]))
    problems.raise_if_any()
    return {
        **releases,
        **definitions,
        **blocks,
        **indicators,
        "countries": known,
        "country_bounds": boundaries.bounds_table(shapes.geojson),
        "map_assets": boundaries.map_assets(shapes.geojson),
        "sources": sources_frame(manifest, cache),
    }


def build(db=None, mirror=None, raw_dir=None) -> Path:
    """Build the warehouse at `db` ($DPI_DB, data/dpi.duckdb); returns its path.

    Written to a temporary file and renamed only when every check passed: a failed build
    never touches the database the app serves."""
    db_path = paths.database_path(db)
    tables = collect_tables(mirror, raw_dir)
    tmp = warehouse.temporary_path(db_path)
    try:
        warehouse.write(tables, tmp)  # load, derive in SQL, check (ETLError if not)
        os.replace(tmp, db_path)
    finally:
        warehouse.remove(tmp)
    return db_path
