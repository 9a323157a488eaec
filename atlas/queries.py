"""Cached query functions: SQL only, each returning a DataFrame (or plain values).

Every function takes the warehouse build key (`version`, from atlas.db) first, so a rebuilt
warehouse gets fresh results; caches are bounded (max_entries sized to the real key space:
a handful of releases, pillars and attributes, a few hundred countries).
"""

import json

import pandas as pd
import streamlit as st

from atlas import db
from atlas.categories import PILLARS, STATUS_LABELS
from etl.quality import REPORT

# Bounds per cached function: builds alive at once x the function's own key space.
ONE = 4  # one value per build
PER_RELEASE = 64  # releases x pillars or measures
PER_COUNTRY = 512  # a country (or country x release) key


# ------------------------------------------------------------------ reference data
@st.cache_data(show_spinner=False, max_entries=ONE)
def releases(version: str) -> list[str]:
    """Release dates as ISO strings, oldest first."""
    frame = db.query(
        version, "SELECT DISTINCT strftime(release, '%Y-%m-%d') AS r FROM releases ORDER BY r"
    )
    return frame["r"].tolist()


@st.cache_data(show_spinner=False, max_entries=ONE)
def countries(version: str) -> pd.DataFrame:
    return db.query(version, "SELECT * FROM countries ORDER BY name")


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def citation(version: str, release: str) -> str:
    frame = db.query(
        version,
        "SELECT DISTINCT citation FROM sources WHERE source = 'dpimap' AND release = ?",
        [release],
    )
    return frame["citation"].iloc[0] if len(frame) else f"DPI Map ({release})."


@st.cache_data(show_spinner=False, max_entries=ONE)
def built_at(version: str) -> str:
    return str(db.query(version, "SELECT built_at FROM meta")["built_at"].iloc[0])[:16]


# ------------------------------------------------------------------ map assets
@st.cache_data(show_spinner=False, max_entries=ONE)
def geojson(version: str) -> dict:
    return json.loads(map_asset(version, "countries.geojson"))


@st.cache_data(show_spinner=False, max_entries=ONE)
def country_bounds(version: str) -> dict[str, tuple[float, float, float, float]]:
    """iso3 -> (min lon, min lat, max lon, max lat) to zoom to, as the ETL computed them (a
    country's main part and the parts near it: etl/geometry.py)."""
    frame = db.query(version, "SELECT * FROM country_bounds")
    columns = ["min_lon", "min_lat", "max_lon", "max_lat"]
    return {row[0]: tuple(row[1:]) for row in frame[["iso3", *columns]].itertuples(index=False)}


# ------------------------------------------------------------------ statuses
@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def status_long(version: str, release: str) -> pd.DataFrame:
    """One row per country and pillar for a release, 'not_assessed' where there is no record.

    Columns: iso3, name, pillar, status, dpi_like, system_name, systems (every system with its
    status, ' · '-joined), last_updated.
    """
    frame = db.query(
        version,
        """
        WITH grid AS (
            SELECT c.iso3, c.name, p.pillar FROM countries c CROSS JOIN (SELECT unnest(?) AS pillar) p
        ),
        listed AS (
            SELECT iso3, pillar,
                   -- a nameless record saying "no system" is not a system: not listed
                   string_agg(coalesce(system_name, 'unnamed system') || ' (' ||
                              replace(status, '_', ' ') || ')', ' · ' ORDER BY system_id)
                       FILTER (WHERE system_name IS NOT NULL OR status <> 'none') AS systems,
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


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def dpi_like_assessed_pillars(version: str, release: str) -> dict[str, bool]:
    """pillar -> whether the release assessed the DPI-like flag at all."""
    frame = dpi_like_assessment(version)
    frame = frame[frame["release"] == release]
    return dict(zip(frame["pillar"], frame["assessed"], strict=True))


@st.cache_data(show_spinner=False, max_entries=ONE)
def attribute_catalogue(version: str) -> pd.DataFrame:
    return db.query(version, "SELECT * FROM attributes ORDER BY pillar, label")


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def yes_no_attributes(version: str, pillar: str) -> dict[str, str]:
    """attribute -> label, for the yes/no attributes the warehouse holds for a pillar."""
    frame = db.query(
        version,
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


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def attribute_by_country(version: str, release: str, pillar: str, attribute: str) -> pd.DataFrame:
    """The attribute's value for the system that gives each country its status."""
    return db.query(
        version,
        """
        SELECT cs.iso3, a.value_bool, a.value_text
        FROM country_status cs
        LEFT JOIN system_attributes a ON a.system_id = cs.system_id AND a.attribute = ?
        WHERE cs.release = CAST(? AS DATE) AND cs.pillar = ?
        """,
        [attribute, release, pillar],
    )


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def map_asset(version: str, name: str) -> str:
    frame = db.query(version, "SELECT content FROM map_assets WHERE name = ?", [name])
    if frame.empty:
        raise LookupError(f"map asset {name} missing from the warehouse; rebuild it")
    return frame["content"].iloc[0]


@st.cache_data(show_spinner=False, max_entries=PER_COUNTRY)
def country_systems(version: str, release: str, iso3: str) -> pd.DataFrame:
    """Every system a country has in a release, all pillars."""
    return db.query(
        version,
        """
        SELECT system_id, pillar, system_name, status, status_raw, dpi_like,
               strftime(last_updated, '%Y-%m-%d') AS last_updated, url
        FROM systems WHERE release = CAST(? AS DATE) AND iso3 = ?
        ORDER BY pillar, system_id
        """,
        [release, iso3],
    )


@st.cache_data(show_spinner=False, max_entries=ONE)
def sources(version: str) -> pd.DataFrame:
    return db.query(version, "SELECT * FROM sources ORDER BY source, release, url")


# ---- trends, profiles, compare, sources
# Queries for the Trends, Country profile, Compare and Data & sources pages.
@st.cache_data(show_spinner=False, max_entries=ONE)
def status_history(version: str) -> pd.DataFrame:
    """One row per release, country and pillar the release covers; 'not_assessed' where the
    country has no record. Columns: release (ISO string), iso3, name, pillar, status, dpi_like,
    system_name (the system that gave the status), system_names (every system, sorted)."""
    frame = db.query(
        version,
        """
        WITH covered AS (SELECT DISTINCT release, pillar FROM releases),
        grid AS (SELECT r.release, r.pillar, c.iso3, c.name FROM covered r CROSS JOIN countries c),
        named AS (
            SELECT release, pillar, iso3,
                   string_agg(DISTINCT coalesce(system_name, 'unnamed system'), ' · '
                              ORDER BY coalesce(system_name, 'unnamed system'))
                       FILTER (WHERE system_name IS NOT NULL OR status <> 'none') AS system_names
            FROM systems WHERE iso3 IS NOT NULL GROUP BY ALL
        )
        SELECT strftime(g.release, '%Y-%m-%d') AS release, g.iso3, g.name, g.pillar,
               coalesce(s.status, 'not_assessed') AS status, s.dpi_like, s.system_name,
               n.system_names
        FROM grid g
        LEFT JOIN country_status s USING (release, pillar, iso3)
        LEFT JOIN named n USING (release, pillar, iso3)
        ORDER BY release, g.name, g.pillar
        """,
    )
    frame["dpi_like"] = frame["dpi_like"].astype("boolean")
    return frame


@st.cache_data(show_spinner=False, max_entries=ONE)
def dpi_like_assessment(version: str) -> pd.DataFrame:
    """release, pillar, assessed: whether each release assessed the DPI-like flag per pillar."""
    return db.query(
        version,
        """
        SELECT strftime(release, '%Y-%m-%d') AS release, pillar,
               bool_or(dpi_like IS NOT NULL) AS assessed
        FROM systems GROUP BY ALL ORDER BY ALL
        """,
    )


@st.cache_data(show_spinner=False, max_entries=PER_COUNTRY)
def country_attributes(version: str, release: str, iso3: str) -> pd.DataFrame:
    """Every attribute of every system a country has in a release, with its label and wording."""
    return db.query(
        version,
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


@st.cache_data(show_spinner=False, max_entries=ONE)
def framework(version: str) -> pd.DataFrame:
    """The DPI Map measurement framework: each pillar's indicators under the attribute (and
    category) that the indicator's number refers to (indicator 2.3 -> attribute 2)."""
    return db.query(
        version,
        """
        SELECT i.pillar, i.id, i.indicator, a.id AS attribute_id, a.attribute, a.category
        FROM framework_indicators i
        LEFT JOIN framework_attributes a ON a.id = split_part(i.id, '.', 1)
        ORDER BY i.pillar, CAST(split_part(i.id, '.', 1) AS INT), CAST(split_part(i.id, '.', 2) AS INT)
        """,
    )


@st.cache_data(show_spinner=False, max_entries=ONE)
def framework_attributes(version: str) -> pd.DataFrame:
    return db.query(
        version, "SELECT id, category, attribute, description FROM framework_attributes ORDER BY id"
    )


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def status_attributes(version: str, release: str) -> pd.DataFrame:
    """Yes/no attributes of the system that gives each country its status (iso3, pillar,
    attribute, label, value_bool)."""
    return db.query(
        version,
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


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def system_attribute_table(version: str, release: str) -> pd.DataFrame:
    """Every attribute value of every country's systems in a release (the download table)."""
    return db.query(
        version,
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


@st.cache_data(show_spinner=False, max_entries=ONE)
def quality_report(version: str) -> dict[str, pd.DataFrame]:
    """The ETL's data-quality report: the same queries `python -m etl check` prints
    (etl/quality.py), name -> rows."""
    return {name: db.query(version, sql) for name, (_, sql) in REPORT.items()}


@st.cache_data(show_spinner=False, max_entries=ONE)
def search_names(version: str) -> dict[str, list[str]]:
    """iso3 -> other spellings of the country's name found in the DPI Map releases."""
    frame = db.query(
        version,
        """
        SELECT DISTINCT s.iso3, s.country_raw AS alias FROM systems s
        JOIN countries c USING (iso3) WHERE s.country_raw <> c.name
        UNION SELECT n.iso3, n.name_raw FROM name_matches n
        JOIN countries c USING (iso3) WHERE n.name_raw <> c.name
        ORDER BY 1, 2
        """,
    )
    return frame.groupby("iso3")["alias"].agg(list).to_dict()


# ---- overview
@st.cache_data(show_spinner=False, max_entries=PER_COUNTRY)
def implemented_history(version: str, iso3s: tuple[str, ...]) -> pd.DataFrame:
    """Countries (among iso3s) with an implemented system, per pillar and release."""
    return db.query(
        version,
        """
        SELECT strftime(release, '%Y-%m-%d') AS release, pillar, count(*) AS n
        FROM country_status WHERE status = 'implemented' AND list_contains(?, iso3)
        GROUP BY ALL ORDER BY release
        """,
        [list(iso3s)],
    )
