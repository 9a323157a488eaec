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

import charts
import preview
from etl.vocabulary import PILLAR_LABELS, PILLARS, STATUS_LABELS

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


# A country's parts farther than this from its main part are left out of its bounds, so that
# zooming to France or Western Europe does not take in French Guiana and Reunion (nor the
# USA Hawaii, nor Russia or Fiji their few degrees across the antimeridian).
NEAR_DEGREES = 15


@st.cache_data(show_spinner=False)
def country_bounds(version: float) -> dict[str, tuple[float, float, float, float]]:
    """iso3 -> (min lon, min lat, max lon, max lat) of its main part (the polygon with the
    largest bounding box) and the parts within NEAR_DEGREES of it, step by step."""
    bounds = {}
    for feature in geojson(version)["features"]:
        bounds[feature["id"]] = main_bounds(feature["geometry"])
    return bounds


def main_bounds(geometry: dict) -> tuple[float, float, float, float]:
    rest = [_box(polygon[0]) for polygon in preview.polygons(geometry)]
    main = max(rest, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    near = [main]  # and every part within reach of a part already in (Indonesia's chain)
    while reached := [b for b in rest if any(_gap(b, n) <= NEAR_DEGREES for n in near)]:
        near += reached
        rest = [b for b in rest if b not in reached]
    return charts.union_bounds(near)


def _box(ring) -> tuple[float, float, float, float]:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _gap(a, b) -> float:
    """Degrees between two boxes (0 when they touch or overlap)."""
    return max(0, a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3])


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
    frame = dpi_like_assessed(version)
    frame = frame[frame["release"] == release]
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


# ---- trends, profiles, compare, sources
# Queries for the Trends, Country profile, Compare and Data & sources pages.
@st.cache_data(show_spinner=False)
def status_history(version: float) -> pd.DataFrame:
    """One row per release, country and pillar the release covers; 'not_assessed' where the
    country has no record. Columns: release (ISO string), iso3, name, pillar, status, dpi_like,
    system_name (the system that gave the status), system_names (every system, sorted)."""
    frame = query(
        """
        WITH covered AS (SELECT DISTINCT release, pillar FROM releases),
        grid AS (SELECT r.release, r.pillar, c.iso3, c.name FROM covered r CROSS JOIN countries c),
        named AS (
            SELECT release, pillar, iso3,
                   string_agg(DISTINCT coalesce(system_name, 'unnamed system'), ' · '
                              ORDER BY coalesce(system_name, 'unnamed system')) AS system_names
            FROM systems WHERE iso3 IS NOT NULL GROUP BY ALL
        )
        SELECT strftime(g.release, '%Y-%m-%d') AS release, g.iso3, g.name, g.pillar,
               coalesce(s.status, 'not_assessed') AS status, s.dpi_like, s.system_name,
               n.system_names
        FROM grid g
        LEFT JOIN country_status s USING (release, pillar, iso3)
        LEFT JOIN named n USING (release, pillar, iso3)
        ORDER BY release, g.name, g.pillar
        """
    )
    frame["dpi_like"] = frame["dpi_like"].astype("boolean")
    return frame


@st.cache_data(show_spinner=False)
def dpi_like_assessed(version: float) -> pd.DataFrame:
    """release, pillar, assessed: whether each release assessed the DPI-like flag per pillar."""
    return query(
        """
        SELECT strftime(release, '%Y-%m-%d') AS release, pillar,
               bool_or(dpi_like IS NOT NULL) AS assessed
        FROM systems GROUP BY ALL ORDER BY ALL
        """
    )


@st.cache_data(show_spinner=False)
def country_attributes(version: float, release: str, iso3: str) -> pd.DataFrame:
    """Every attribute of every system a country has in a release, with its label and wording."""
    return query(
        """
        SELECT v.system_id, v.pillar, v.attribute, v.value_bool, v.value_text,
               a.kind, a.label, a.definition, a.derived_from
        FROM system_attributes v
        JOIN attributes a ON a.pillar = v.pillar AND a.attribute = v.attribute
        WHERE v.release = CAST(? AS DATE) AND v.iso3 = ?
        ORDER BY v.system_id, a.kind, a.label
        """,
        [release, iso3],
    )


@st.cache_data(show_spinner=False)
def framework(version: float) -> pd.DataFrame:
    """The DPI Map measurement framework: each pillar's indicators under the attribute (and
    category) that the indicator's number refers to (indicator 2.3 -> attribute 2)."""
    return query(
        """
        SELECT i.pillar, i.id, i.indicator, a.id AS attribute_id, a.attribute, a.category
        FROM framework_indicators i
        LEFT JOIN framework_attributes a ON a.id = split_part(i.id, '.', 1)
        ORDER BY i.pillar, CAST(split_part(i.id, '.', 1) AS INT), CAST(split_part(i.id, '.', 2) AS INT)
        """
    )


@st.cache_data(show_spinner=False)
def framework_attributes(version: float) -> pd.DataFrame:
    return query(
        "SELECT id, category, attribute, description FROM framework_attributes ORDER BY id"
    )


@st.cache_data(show_spinner=False)
def status_attributes(version: float, release: str) -> pd.DataFrame:
    """Yes/no attributes of the system that gives each country its status (iso3, pillar,
    attribute, label, value_bool)."""
    return query(
        """
        SELECT cs.iso3, cs.pillar, a.attribute, a.label, v.value_bool
        FROM country_status cs
        JOIN attributes a ON a.pillar = cs.pillar AND a.kind = 'bool'
        LEFT JOIN system_attributes v ON v.system_id = cs.system_id AND v.attribute = a.attribute
        WHERE cs.release = CAST(? AS DATE)
          AND EXISTS (SELECT 1 FROM system_attributes x
                      WHERE x.pillar = a.pillar AND x.attribute = a.attribute
                        AND x.release = cs.release)
        ORDER BY cs.iso3, cs.pillar, a.label
        """,
        [release],
    )


@st.cache_data(show_spinner=False)
def system_attribute_table(version: float, release: str) -> pd.DataFrame:
    """Every attribute value of every country's systems in a release (the download table)."""
    return query(
        """
        SELECT strftime(s.release, '%Y-%m-%d') AS release, s.iso3, c.name AS country, s.pillar,
               s.system_id, s.system_name, s.status, s.dpi_like, v.attribute, a.label,
               a.kind, v.value_bool, v.value_text
        FROM systems s
        JOIN countries c USING (iso3)
        JOIN system_attributes v USING (system_id)
        LEFT JOIN attributes a ON a.pillar = v.pillar AND a.attribute = v.attribute
        WHERE s.release = CAST(? AS DATE)
        ORDER BY c.name, s.pillar, s.system_id, a.label
        """,
        [release],
    )


@st.cache_data(show_spinner=False)
def quality_report(version: float) -> dict[str, pd.DataFrame]:
    """The ETL's data-quality report (the same tables `python -m etl check` prints)."""
    sql = {
        "per_release": "SELECT strftime(release, '%Y-%m-%d') AS release, * EXCLUDE (release) "
        "FROM quality ORDER BY release, pillar",
        "corrections": 'SELECT release, pillar, country, "column", old_value, new_value, reason '
        "FROM corrections_applied ORDER BY release, pillar, country",
        "aliases": "SELECT n.name_raw, n.iso3, c.name FROM name_matches n "
        "JOIN countries c USING (iso3) WHERE n.method = 'alias' ORDER BY 1",
        "excluded": "SELECT strftime(release, '%Y-%m-%d') AS release, pillar, "
        "region_label, system_name, status_raw FROM systems WHERE iso3 IS NULL "
        "ORDER BY release, pillar, region_label, system_name",
        "no_shape": "SELECT DISTINCT c.iso3, c.name FROM countries c JOIN systems s USING (iso3) "
        "WHERE NOT c.has_geometry ORDER BY 2",
    }
    return {name: query(text) for name, text in sql.items()}


@st.cache_data(show_spinner=False)
def search_names(version: float) -> dict[str, list[str]]:
    """iso3 -> other spellings of the country's name found in the DPI Map releases."""
    frame = query(
        """
        SELECT DISTINCT s.iso3, s.country_raw AS alias FROM systems s
        JOIN countries c USING (iso3) WHERE s.country_raw <> c.name
        UNION SELECT n.iso3, n.name_raw FROM name_matches n
        JOIN countries c USING (iso3) WHERE n.name_raw <> c.name
        ORDER BY 1, 2
        """
    )
    return frame.groupby("iso3")["alias"].agg(list).to_dict()


def warehouse_bytes() -> bytes:
    """The warehouse file itself (read only when a user asks to download it)."""
    return database_path().read_bytes()


# ---- presenter
# Facts that deck captions ({placeholder} templates, see decks.py) are filled with. One
# dictionary per release and selection; every value is computed from the warehouse.
PRESENTER_ATTRIBUTE_FACTS = {
    "instant_payments": ("payments", "real_time_payments"),
    "cross_domain_payments": ("payments", "cross_domain"),
    "x_road": ("data_exchange", "x_road_based"),
}
PRESENTER_NA = "not assessed"


@st.cache_data(show_spinner=False)
def presenter_facts(version: float, release: str, region: str = ALL, income: str = ALL) -> dict:
    """Placeholder name -> value for deck captions, within a release and a selection."""
    selection = Selection(release, region, income)
    in_view = selected_iso3(version, selection)
    long = status_long(version, release)
    long = long[long["iso3"].isin(in_view)]
    facts = {"release": release, "scope": selection.describe(), "countries": len(in_view)}
    facts |= {"releases": len(releases(version)), "first_release": releases(version)[0]}
    facts |= _status_facts(long, assessed_dpi_like(version, release))
    for name, (pillar, attribute) in PRESENTER_ATTRIBUTE_FACTS.items():
        values = attribute_by_country(version, release, pillar, attribute)
        facts[name] = int(values.loc[values["iso3"].isin(in_view), "value_bool"].eq(True).sum())
    return facts | _change_facts(version, release, in_view)


def _status_facts(long: pd.DataFrame, dpi_assessed: dict[str, bool]) -> dict:
    """Counts per pillar; DPI-like counts say 'not assessed' for releases without the flag."""
    implemented = long["status"] == "implemented"
    dpi = implemented & long["dpi_like"].astype("boolean").fillna(False).astype(bool)
    facts = {}
    for pillar in PILLARS:
        mine = long["pillar"] == pillar
        assessed = int((mine & (long["status"] != "not_assessed")).sum())
        done = int((mine & implemented).sum())
        dpi_like = int((mine & dpi).sum()) if dpi_assessed.get(pillar) else PRESENTER_NA
        facts |= {
            f"implemented_{pillar}": done,
            f"dpi_like_{pillar}": dpi_like,
            f"planned_{pillar}": int((mine & (long["status"] == "planned_or_piloted")).sum()),
            f"no_system_{pillar}": int((mine & (long["status"] == "none")).sum()),
            f"not_assessed_{pillar}": int((mine & (long["status"] == "not_assessed")).sum()),
            f"assessed_{pillar}": assessed,
            f"implemented_share_{pillar}": f"{done / assessed:.0%}" if assessed else "n/a",
        }
    per_country = long.assign(done=implemented, dpi=dpi).groupby("iso3")[["done", "dpi"]].sum()
    facts["all_three_pillars"] = int((per_country["done"] == len(PILLARS)).sum())
    all_dpi = int((per_country["dpi"] == len(PILLARS)).sum())
    facts["dpi_like_all_three"] = all_dpi if all(map(dpi_assessed.get, PILLARS)) else PRESENTER_NA
    return facts


def _change_facts(version: float, release: str, in_view: set[str]) -> dict:
    before = previous_release(version, release)
    facts = {"previous_release": before or "none (first release)", "changed_countries": 0}
    facts |= {"changes": 0, "newly_implemented": 0, "newly_dpi_like": 0}
    if before is None:
        return facts | {"newly_implemented_names": "no country"}
    changes = status_changes(version, release, before)
    changes = changes[changes["iso3"].isin(in_view)]
    up = changes[(changes["status"] == "implemented") & (changes["status_before"] != "implemented")]
    dpi_up = changes[changes["dpi_like"].eq(True) & changes["dpi_like_before"].eq(False)]
    names = [f"{row.name} ({PILLAR_LABELS[row.pillar].lower()})" for row in up.itertuples()]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return facts | {
        "changed_countries": int(changes["iso3"].nunique()),
        "changes": len(changes),
        "newly_implemented": len(up),
        "newly_dpi_like": len(dpi_up),
        "newly_implemented_names": shown or "no country",
    }


# ---- overview
@st.cache_data(show_spinner=False)
def implemented_history(version: float, iso3s: tuple[str, ...]) -> pd.DataFrame:
    """Countries (among iso3s) with an implemented system, per pillar and release."""
    return query(
        """
        SELECT strftime(release, '%Y-%m-%d') AS release, pillar, count(*) AS n
        FROM country_status WHERE status = 'implemented' AND list_contains(?, iso3)
        GROUP BY ALL ORDER BY release
        """,
        [list(iso3s)],
    )
