"""Cached queries for the outcome indicators (World Development Indicators set beside each
pillar: the warehouse's `indicators` and `outcomes` tables). SQL only, returning DataFrames.

Every function takes the warehouse build key (`version`) first and has `max_entries`. `since`
is the first year a value may come from (the pages' declared rule: "latest value since
<since>"): a handful of choices, so caches keyed by it stay small.
"""

import pandas as pd
import streamlit as st

from atlas import db
from atlas.categories import PILLARS

ONE = 4  # one value per build
PER_KEY = 64  # builds x (since years, indicators, releases)
PER_COUNTRY = 512  # builds x countries
OUTCOME_TABLES = ("indicators", "outcomes")


@st.cache_data(show_spinner=False, max_entries=ONE)
def available(version: str) -> bool:
    """Whether this build holds outcome indicators (a warehouse built before them does not)."""
    found = db.query(
        version,
        "SELECT count(DISTINCT table_name) AS n FROM information_schema.tables "
        "WHERE table_name IN ('indicators', 'outcomes')",
    )
    if int(found["n"].iloc[0]) < len(OUTCOME_TABLES):
        return False
    return int(db.query(version, "SELECT count(*) AS n FROM indicators")["n"].iloc[0]) > 0


@st.cache_data(show_spinner=False, max_entries=ONE)
def indicators(version: str) -> pd.DataFrame:
    """One row per indicator with its source's citation and terms, and the span of its data.

    Columns: indicator, name, unit, original_source, pillar, source_id, citation, terms,
    homepage, first_year, last_year, countries. Ordered identity, data exchange, payments."""
    return db.query(
        version,
        """
        WITH spans AS (
            SELECT indicator, min(year) AS first_year, max(year) AS last_year,
                   count(DISTINCT iso3) AS countries
            FROM outcomes GROUP BY indicator
        )
        SELECT i.indicator, i.name, i.unit, i.original_source, i.pillar, i.source_id,
               s.citation, s.terms, s.homepage, p.first_year, p.last_year,
               coalesce(p.countries, 0) AS countries
        FROM indicators i
        LEFT JOIN sources s USING (source_id)
        LEFT JOIN spans p USING (indicator)
        ORDER BY list_position(?, i.pillar), i.indicator
        """,
        [list(PILLARS)],
    )


@st.cache_data(show_spinner=False, max_entries=PER_KEY)
def latest_values(version: str, since: int) -> pd.DataFrame:
    """Each country's latest value of each indicator from year `since` on (iso3, indicator,
    year, value). A country with no value since then has no row."""
    return db.query(
        version,
        """
        SELECT iso3, indicator, max(year) AS year, arg_max(value, year) AS value
        FROM outcomes WHERE year >= ?
        GROUP BY iso3, indicator
        ORDER BY indicator, iso3
        """,
        [since],
    )


@st.cache_data(show_spinner=False, max_entries=PER_KEY)
def last_two_values(version: str, indicator: str, since: int) -> pd.DataFrame:
    """Countries with two values or more of an indicator whose latest is from `since` on: the
    latest (year, value) and the one before it (previous_year, previous_value)."""
    return db.query(
        version,
        """
        WITH ranked AS (
            SELECT iso3, year, value,
                   row_number() OVER (PARTITION BY iso3 ORDER BY year DESC) AS k
            FROM outcomes WHERE indicator = ?
        )
        SELECT a.iso3, a.year, a.value, b.year AS previous_year, b.value AS previous_value
        FROM ranked a JOIN ranked b ON b.iso3 = a.iso3 AND a.k = 1 AND b.k = 2
        WHERE a.year >= ?
        ORDER BY a.iso3
        """,
        [indicator, since],
    )


@st.cache_data(show_spinner=False, max_entries=PER_COUNTRY)
def country_values(version: str, iso3: str) -> pd.DataFrame:
    """Every value of every indicator for one country (indicator, year, value)."""
    return db.query(
        version,
        "SELECT indicator, year, value FROM outcomes WHERE iso3 = ? ORDER BY indicator, year",
        [iso3],
    )


@st.cache_data(show_spinner=False, max_entries=PER_KEY)
def first_implemented(version: str, release: str) -> pd.DataFrame:
    """Per country and pillar: the first release, up to `release`, in which the pillar was
    implemented (iso3, pillar, first_implemented as an ISO date string)."""
    return db.query(
        version,
        """
        SELECT iso3, pillar, strftime(min(release), '%Y-%m-%d') AS first_implemented
        FROM country_status
        WHERE status = 'implemented' AND release <= CAST(? AS DATE)
        GROUP BY ALL ORDER BY ALL
        """,
        [release],
    )
