"""The only module that talks to DuckDB: a read-only connection, cached query functions, all SQL.

Every cached function takes the database's version (its modification time) so that a rebuilt
warehouse is picked up without restarting the app.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.vocabulary import PILLARS, STATUS_LABELS

ROOT = Path(__file__).resolve().parent
STATIC_DIR = ROOT / "static" / "generated"
ALL = "All"
TABLES = ("countries", "country_status", "systems", "releases", "sources", "map_assets")


# ------------------------------------------------------------------ connection
def database_path() -> Path:
    return Path(os.environ.get("DPI_DB") or ROOT / "data" / "dpi.duckdb")


def database_version() -> float | None:
    """The warehouse file's modification time, or None when it does not exist."""
    path = database_path()
    return path.stat().st_mtime if path.exists() else None


@st.cache_resource(show_spinner=False)
def _connection(path: str, version: float):
    return duckdb.connect(path, read_only=True)


def query(sql: str, params: list | None = None) -> pd.DataFrame:
    version = database_version()
    cursor = _connection(str(database_path()), version).cursor()
    try:
        return cursor.execute(sql, params or []).df()
    finally:
        cursor.close()


@st.cache_data(show_spinner=False)
def missing_tables(version: float | None) -> list[str]:
    """Which warehouse tables are missing ([] when the warehouse is ready)."""
    if version is None:
        return list(TABLES)
    try:
        found = set(query("SELECT table_name FROM information_schema.tables")["table_name"])
    except duckdb.Error:
        return list(TABLES)
    return [t for t in TABLES if t not in found]


def warehouse_ready() -> bool:
    return not missing_tables(database_version())


# ------------------------------------------------------------------ reference data
@st.cache_data(show_spinner=False)
def releases(version: float) -> list[str]:
    """Release dates as ISO strings, oldest first."""
    frame = query("SELECT DISTINCT strftime(release, '%Y-%m-%d') AS r FROM releases ORDER BY r")
    return frame["r"].tolist()


@st.cache_data(show_spinner=False)
def countries(version: float) -> pd.DataFrame:
    return query("SELECT * FROM countries ORDER BY name")


@st.cache_data(show_spinner=False)
def region_options(version: float) -> list[str]:
    """'All', World Bank regions, then UN subregions (prefixed so both can share one widget)."""
    frame = countries(version)
    wb = sorted(frame["region"].dropna().unique())
    un = sorted(frame["un_subregion"].dropna().unique())
    return [ALL] + [f"WB: {r}" for r in wb] + [f"UN: {r}" for r in un]


@st.cache_data(show_spinner=False)
def income_options(version: float) -> list[str]:
    order = ["Low income", "Lower middle income", "Upper middle income", "High income"]
    found = set(countries(version)["income_group"].dropna())
    return [ALL] + [g for g in order if g in found] + sorted(found - set(order))


@dataclass(frozen=True)
class Selection:
    """The shared sidebar filters."""

    release: str
    region: str = ALL
    income: str = ALL

    @property
    def filtered(self) -> bool:
        return self.region != ALL or self.income != ALL

    def describe(self) -> str:
        parts = [p.split(": ", 1)[-1] for p in (self.region, self.income) if p != ALL]
        return ", ".join(parts) or "World"


def selected_iso3(version: float, selection: Selection) -> set[str]:
    frame = countries(version)
    mask = pd.Series(True, index=frame.index)
    if selection.region.startswith("WB: "):
        mask &= frame["region"] == selection.region[4:]
    elif selection.region.startswith("UN: "):
        mask &= frame["un_subregion"] == selection.region[4:]
    if selection.income != ALL:
        mask &= frame["income_group"] == selection.income
    return set(frame.loc[mask, "iso3"])


@st.cache_data(show_spinner=False)
def citation(version: float, release: str) -> str:
    frame = query(
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' AND release = ?", [release]
    )
    return frame["citation"].iloc[0] if len(frame) else f"DPI Map ({release})."


@st.cache_data(show_spinner=False)
def built_at(version: float) -> str:
    return str(query("SELECT built_at FROM meta")["built_at"].iloc[0])[:16]


# ------------------------------------------------------------------ map assets
@st.cache_data(show_spinner=False)
def geojson(version: float) -> dict:
    return json.loads(map_asset(version, "countries.geojson"))


@st.cache_data(show_spinner=False)
def country_bounds(version: float) -> dict[str, tuple[float, float, float, float]]:
    """iso3 -> (min lon, min lat, max lon, max lat) of its simplified shape."""
    bounds = {}
    for feature in geojson(version)["features"]:
        points = list(_coordinates(feature["geometry"]["coordinates"]))
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        bounds[feature["id"]] = (min(lons), min(lats), max(lons), max(lats))
    return bounds


def _coordinates(nested):
    if isinstance(nested[0], int | float):
        yield nested
    else:
        for item in nested:
            yield from _coordinates(item)


# ------------------------------------------------------------------ statuses
@st.cache_data(show_spinner=False)
def status_long(version: float, release: str) -> pd.DataFrame:
    """One row per country and pillar for a release, 'not_assessed' where there is no record.

    Columns: iso3, name, pillar, status, dpi_like, system_name, systems (every system with its
    status, ' · '-joined), last_updated.
    """
    frame = query(
        """
        WITH grid AS (
            SELECT c.iso3, c.name, p.pillar FROM countries c CROSS JOIN (SELECT unnest(?) AS pillar) p
        ),
        listed AS (
            SELECT iso3, pillar,
                   string_agg(coalesce(system_name, 'unnamed system') || ' (' ||
                              replace(status, '_', ' ') || ')', ' · ' ORDER BY system_id)
                       AS systems,
                   max(last_updated) AS last_updated
            FROM systems WHERE release = CAST(? AS DATE) AND iso3 IS NOT NULL
            GROUP BY ALL
        )
        SELECT g.iso3, g.name, g.pillar,
               coalesce(s.status, 'not_assessed') AS status, s.dpi_like, s.system_name,
               l.systems, strftime(l.last_updated, '%Y-%m-%d') AS last_updated
        FROM grid g
        LEFT JOIN country_status s
               ON s.iso3 = g.iso3 AND s.pillar = g.pillar AND s.release = CAST(? AS DATE)
        LEFT JOIN listed l ON l.iso3 = g.iso3 AND l.pillar = g.pillar
        ORDER BY g.name, g.pillar
        """,
        [list(PILLARS), release, release],
    )
    frame["status_label"] = frame["status"].map(STATUS_LABELS)
    return frame


@st.cache_data(show_spinner=False)
def assessed_dpi_like(version: float, release: str) -> dict[str, bool]:
    """pillar -> whether the release assessed the DPI-like flag at all."""
    frame = query(
        "SELECT pillar, bool_or(dpi_like IS NOT NULL) AS assessed FROM systems "
        "WHERE release = CAST(? AS DATE) GROUP BY pillar",
        [release],
    )
    return dict(zip(frame["pillar"], frame["assessed"], strict=True))


@st.cache_data(show_spinner=False)
def attribute_catalogue(version: float) -> pd.DataFrame:
    return query("SELECT * FROM attributes ORDER BY pillar, label")


@st.cache_data(show_spinner=False)
def yes_no_attributes(version: float, pillar: str) -> dict[str, str]:
    """attribute -> label, for the yes/no attributes the warehouse holds for a pillar."""
    frame = query(
        """
        SELECT a.attribute, a.label FROM attributes a
        WHERE a.pillar = ? AND a.kind = 'bool'
          AND EXISTS (SELECT 1 FROM system_attributes s
                      WHERE s.pillar = a.pillar AND s.attribute = a.attribute)
        ORDER BY a.label
        """,
        [pillar],
    )
    return dict(zip(frame["attribute"], frame["label"], strict=True))


@st.cache_data(show_spinner=False)
def attribute_by_country(version: float, release: str, pillar: str, attribute: str) -> pd.DataFrame:
    """The attribute's value for the system that gives each country its status."""
    return query(
        """
        SELECT cs.iso3, a.value_bool, a.value_text
        FROM country_status cs
        LEFT JOIN system_attributes a ON a.system_id = cs.system_id AND a.attribute = ?
        WHERE cs.release = CAST(? AS DATE) AND cs.pillar = ?
        """,
        [attribute, release, pillar],
    )


def previous_release(version: float, release: str) -> str | None:
    ordered = releases(version)
    index = ordered.index(release) if release in ordered else 0
    return ordered[index - 1] if index > 0 else None


@st.cache_data(show_spinner=False)
def status_changes(version: float, release: str, before: str) -> pd.DataFrame:
    """Countries whose per-pillar status, or DPI-like flag where both releases assessed it,
    differs between two releases."""
    old, new = status_long(version, before), status_long(version, release)
    merged = new.merge(old, on=["iso3", "name", "pillar"], suffixes=("", "_before"))
    both_assessed = merged["dpi_like"].notna() & merged["dpi_like_before"].notna()
    flag_changed = both_assessed & (merged["dpi_like"] != merged["dpi_like_before"])
    changed = (merged["status"] != merged["status_before"]) | flag_changed
    return merged.loc[changed].reset_index(drop=True)


@st.cache_data(show_spinner=False)
def map_asset(version: float, name: str) -> str:
    frame = query("SELECT content FROM map_assets WHERE name = ?", [name])
    if frame.empty:
        raise LookupError(f"map asset {name} missing from the warehouse; rebuild it")
    return frame["content"].iloc[0]


@st.cache_data(show_spinner=False)
def country_systems(version: float, release: str, iso3: str) -> pd.DataFrame:
    """Every system a country has in a release, all pillars."""
    return query(
        """
        SELECT system_id, pillar, system_name, status, status_raw, dpi_like,
               strftime(last_updated, '%Y-%m-%d') AS last_updated, url
        FROM systems WHERE release = CAST(? AS DATE) AND iso3 = ?
        ORDER BY pillar, system_id
        """,
        [release, iso3],
    )


@st.cache_data(show_spinner=False)
def sources(version: float) -> pd.DataFrame:
    return query("SELECT * FROM sources ORDER BY source, release, url")
