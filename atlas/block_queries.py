"""Cached queries for building blocks: SQL only, each returning a DataFrame (or plain values).

The tables are the ETL's (etl/building_blocks.py): `building_blocks` (the reviewed catalogue),
`system_components` (one row per DPI Map system and block its technology, supplier, funder or
operator field names) and `dpg_deployments` (where the Digital Public Goods Alliance registry
lists each open product as deployed or developed). Like atlas/queries.py, every function takes
the build key `version` first and its cache is bounded.

`system_components` has no system_id: a component joins its system on release, pillar, iso3
and system name (NULL-safe: many records have no system name; the four identify one country
record per release and pillar). Regional records (iso3 NULL) are left out everywhere here: the
page is about countries.
"""

import pandas as pd
import streamlit as st

from atlas import db
from atlas.categories import OPEN_KINDS, TECHNOLOGY_FIELDS

# Cache bounds, as atlas/queries.py sizes them: builds alive at once x the key space.
ONE = 4  # one value per build
PER_RELEASE = 64  # releases x pillars
PER_COUNTRY = 512  # a country x release key

# The fields that name each pillar's technology, as SQL rows (pillar, attribute).
_FIELDS = ", ".join(f"('{p}', '{a}')" for p, a in TECHNOLOGY_FIELDS.items())
_OPEN = ", ".join(f"'{k}'" for k in OPEN_KINDS)

# A component's system: same release, pillar, country and name (NULL names match NULL).
_JOIN_SYSTEM = """
    JOIN systems s ON s.release = CAST(c.release AS DATE) AND s.pillar = c.pillar
                  AND s.iso3 = c.iso3 AND s.system_name IS NOT DISTINCT FROM c.system_name
"""

# Every country system of a pillar with a technology field, with the class of what it names
# (see system_technology).
SYSTEM_TECHNOLOGY = f"""
        WITH fields(pillar, attribute) AS (VALUES {_FIELDS}),
        published AS (
            SELECT DISTINCT a.release, a.pillar FROM system_attributes a JOIN fields USING (pillar, attribute)
        ),
        cells AS (
            SELECT a.system_id, a.value_text FROM system_attributes a JOIN fields USING (pillar, attribute)
        ),
        named AS (
            SELECT s.system_id,
                   bool_or(b.kind = 'open_dpg') AS dpg,
                   bool_or(b.kind = 'open_source') AS open_source,
                   bool_or(b.kind = 'proprietary') AS proprietary,
                   string_agg(DISTINCT b.name, ', ' ORDER BY b.name)
                       FILTER (WHERE b.kind IN ({_OPEN}, 'proprietary')) AS blocks
            FROM system_components c {_JOIN_SYSTEM}
            JOIN building_blocks b USING (block_id)
            WHERE c.role IN ('technology', 'technical_support')
            GROUP BY s.system_id
        )
        SELECT strftime(s.release, '%Y-%m-%d') AS release, s.pillar, s.iso3, s.system_id,
               s.system_name, s.status, cl.value_text AS raw_value, n.blocks,
               CASE WHEN p.release IS NULL THEN 'not_published'
                    WHEN n.dpg THEN 'open_dpg'
                    WHEN n.open_source THEN 'open_source'
                    WHEN n.proprietary THEN 'proprietary'
                    WHEN cl.value_text IS NOT NULL THEN 'other'
                    ELSE 'not_recorded' END AS tech_class,
               coalesce((n.dpg OR n.open_source) AND n.proprietary, false) AS mixed
        FROM systems s
        JOIN fields f ON f.pillar = s.pillar
        LEFT JOIN published p ON p.release = s.release AND p.pillar = s.pillar
        LEFT JOIN cells cl ON cl.system_id = s.system_id
        LEFT JOIN named n ON n.system_id = s.system_id
        WHERE s.iso3 IS NOT NULL
"""


def field_published(version: str, release: str, pillar: str) -> bool:
    """Whether the release's files have the pillar's technology field at all."""
    field = TECHNOLOGY_FIELDS.get(pillar)
    published = published_fields(version)
    part = published[(published["release"] == release) & (published["pillar"] == pillar)]
    return field is not None and field in set(part["attribute"])


@st.cache_data(show_spinner=False, max_entries=ONE)
def blocks(version: str) -> pd.DataFrame:
    """The catalogue: block_id, name, kind, pillars (';'-joined), licence, dpga_id, url."""
    return db.query(version, "SELECT * FROM building_blocks ORDER BY lower(name)")


@st.cache_data(show_spinner=False, max_entries=ONE)
def dpga_citation(version: str) -> str | None:
    """The DPGA registry's citation (None when the warehouse holds no DPGA product)."""
    frame = db.query(version, "SELECT DISTINCT citation FROM sources WHERE source = 'dpga'")
    return frame["citation"].iloc[0] if len(frame) else None


@st.cache_data(show_spinner=False, max_entries=ONE)
def dpga_deployments(version: str) -> pd.DataFrame:
    """Where the DPGA registry lists each open product: block_id, iso3, relation
    ('deployed' / 'developed'), source_id."""
    return db.query(version, "SELECT * FROM dpg_deployments ORDER BY block_id, iso3, relation")


@st.cache_data(show_spinner=False, max_entries=ONE)
def published_fields(version: str) -> pd.DataFrame:
    """release (ISO), pillar, attribute: the releases whose files have each technology,
    support or funding field at all (an empty cell is 'not recorded'; a release without the
    column did not ask)."""
    return db.query(
        version,
        """
        SELECT DISTINCT strftime(release, '%Y-%m-%d') AS release, pillar, attribute
        FROM system_attributes
        WHERE attribute IN ('base_architecture', 'technical_support_organisations',
                            'funding_organisations', 'operator')
        ORDER BY ALL
        """,
    )


@st.cache_data(show_spinner=False, max_entries=ONE)
def system_technology(version: str) -> pd.DataFrame:
    """Every country system of the pillars with a technology field, every release, with what
    that field says it runs on.

    Columns: release (ISO), pillar, iso3, system_id, system_name, status, raw_value (the cell),
    blocks (names of the open and proprietary blocks it names, ', '-joined), tech_class and
    mixed. tech_class, first match: 'not_published' (the release has no such field),
    'open_dpg' (names a digital public good), 'open_source', 'proprietary', 'other' (the cell
    names no product: an architecture pattern, a public body, a funder) or 'not_recorded'
    (empty cell). mixed: names an open block and a proprietary one.
    """
    return db.query(version, SYSTEM_TECHNOLOGY + " ORDER BY 1, s.pillar, s.iso3, s.system_id")


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def components(version: str, release: str) -> pd.DataFrame:
    """Every block a country's system names in a release, with both sources.

    Columns: pillar, iso3, country, region, income_group, system_id, system_name, status,
    block_id, name, kind, role, raw_value, dpi_map_source (the system's source_id),
    dpga_deployed (the DPGA registry lists this block as deployed in this country; NULL when
    the block is not a registry product), dpga_relations (what the registry lists for this
    block and country: 'deployed', 'developed' or both, ', '-joined; NULL when nothing),
    dpga_source (the product's source_id).
    """
    return db.query(
        version,
        f"""
        SELECT c.pillar, c.iso3, k.name AS country, k.region, k.income_group, s.system_id,
               c.system_name, s.status, c.block_id, b.name, b.kind, c.role, c.raw_value,
               s.source_id AS dpi_map_source,
               CASE WHEN b.dpga_id IS NULL THEN NULL
                    ELSE coalesce(contains(r.relations, 'deployed'), false) END AS dpga_deployed,
               r.relations AS dpga_relations, g.source_id AS dpga_source
        FROM system_components c {_JOIN_SYSTEM}
        JOIN building_blocks b USING (block_id)
        JOIN countries k ON k.iso3 = c.iso3
        LEFT JOIN (SELECT block_id, iso3,
                          string_agg(DISTINCT relation, ', ' ORDER BY relation) AS relations
                   FROM dpg_deployments GROUP BY ALL) r
               ON r.block_id = c.block_id AND r.iso3 = c.iso3
        LEFT JOIN (SELECT DISTINCT block_id, source_id FROM dpg_deployments) g
               ON g.block_id = c.block_id
        WHERE CAST(c.release AS DATE) = CAST(? AS DATE)
        ORDER BY k.name, c.pillar, s.system_id, b.name
        """,
        [release],
    )


@st.cache_data(show_spinner=False, max_entries=PER_COUNTRY)
def country_blocks(version: str, release: str, iso3: str) -> pd.DataFrame:
    """The country profile's building blocks: every block each of the country's systems names
    in the release, and every open product the DPGA registry lists for the country (deployed
    or developed) that no system names.

    Columns: pillar, system_id, system_name (NULL for a registry-only row), name, kind, role,
    raw_value, dpga (the registry's relations for this block and country, ', '-joined, NULL
    when it lists none), dpi_map_source, dpga_source.
    """
    return db.query(
        version,
        """
        WITH dpga AS (
            SELECT block_id, string_agg(DISTINCT relation, ', ' ORDER BY relation) AS dpga,
                   min(source_id) AS dpga_source
            FROM dpg_deployments WHERE iso3 = ? GROUP BY block_id
        ),
        named AS (
            SELECT c.pillar, s.system_id, c.system_name, c.block_id, c.role, c.raw_value,
                   s.source_id AS dpi_map_source
            FROM system_components c
            JOIN systems s ON s.release = CAST(c.release AS DATE) AND s.pillar = c.pillar
                          AND s.iso3 = c.iso3 AND s.system_name IS NOT DISTINCT FROM c.system_name
            WHERE CAST(c.release AS DATE) = CAST(? AS DATE) AND c.iso3 = ?
        ),
        registry_only AS (
            SELECT split_part(b.pillars, ';', 1) AS pillar, NULL::BIGINT AS system_id,
                   NULL AS system_name, d.block_id, NULL AS role, NULL AS raw_value,
                   NULL AS dpi_map_source
            FROM dpga d JOIN building_blocks b USING (block_id)
            WHERE d.block_id NOT IN (SELECT block_id FROM named)
        )
        SELECT u.pillar, u.system_id, u.system_name, b.name, b.kind, u.role, u.raw_value,
               d.dpga, u.dpi_map_source, d.dpga_source
        FROM (SELECT * FROM named UNION ALL SELECT * FROM registry_only) u
        JOIN building_blocks b USING (block_id)
        LEFT JOIN dpga d USING (block_id)
        ORDER BY u.pillar, u.system_id NULLS LAST, u.role, b.name
        """,
        [iso3, release, iso3],
    )


@st.cache_data(show_spinner=False, max_entries=PER_RELEASE)
def tech_class_by_country(version: str, release: str, pillar: str) -> pd.DataFrame:
    """The map explorer's "Building block" measure: per country, the technology class of the
    system that gives the country its status (iso3, tech_class, blocks, raw_value)."""
    return db.query(
        version,
        f"""
        SELECT t.iso3, t.tech_class, t.blocks, t.raw_value
        FROM ({SYSTEM_TECHNOLOGY}) t
        JOIN country_status cs ON cs.system_id = t.system_id
        WHERE cs.release = CAST(? AS DATE) AND cs.pillar = ?
        ORDER BY t.iso3
        """,
        [release, pillar],
    )
