-- The warehouse contract (documented in the README). Inputs: the raw_* tables etl/build.py
-- collected, and statuses (etl/vocabulary.py). Run by etl/warehouse.py's populate().

CREATE TABLE releases AS
SELECT CAST(release AS DATE) AS release, pillar, source_url, sha256, records,
       CAST(retrieved_at AS TIMESTAMPTZ) AS retrieved_at
FROM raw_releases;

CREATE TABLE systems AS
SELECT system_id, CAST(release AS DATE) AS release, pillar, iso3, region_label,
       country_raw, system_name, status, status_raw, dpi_like,
       CAST(last_updated AS DATE) AS last_updated, url, source_id
FROM raw_systems;

CREATE TABLE system_attributes AS
SELECT s.release, s.pillar, s.iso3, s.system_name, a.attribute,
       CAST(a.value_bool AS BOOLEAN) AS value_bool, a.value_text, a.system_id
FROM raw_attributes a JOIN systems s USING (system_id);

-- One row per release, country and pillar that the release covers: the most advanced system
-- (dpimap.org's rule), DPI-like systems first among equals, and which system gave the status.
CREATE TABLE country_status AS
WITH ranked AS (
    SELECT s.*, st.rank AS status_rank,  -- statuses: written from etl/vocabulary.py
           bool_or(s.dpi_like) OVER (PARTITION BY s.release, s.iso3, s.pillar) AS any_dpi_like,
           count(*) OVER (PARTITION BY s.release, s.iso3, s.pillar) AS systems
    FROM systems s JOIN statuses st USING (status)
    WHERE s.iso3 IS NOT NULL
)
SELECT release, iso3, pillar, status, any_dpi_like AS dpi_like, system_name,
       system_id, systems
FROM ranked
QUALIFY row_number() OVER (
    PARTITION BY release, iso3, pillar
    ORDER BY status_rank DESC, dpi_like DESC NULLS LAST, system_name NULLS LAST, system_id
) = 1;

CREATE TABLE quality AS
SELECT r.release, r.pillar, r.records,
       count(s.iso3) AS country_records,
       count(DISTINCT s.iso3) AS countries_matched,
       count(s.region_label) AS regional_records,
       (SELECT count(*) FROM corrections_applied c
         WHERE CAST(c.release AS DATE) = r.release AND c.pillar = r.pillar) AS corrections_applied,
       count(DISTINCT s.iso3) FILTER (WHERE NOT c.has_geometry) AS countries_without_geometry
FROM releases r
LEFT JOIN systems s USING (release, pillar)
LEFT JOIN countries c USING (iso3)
GROUP BY ALL;

DROP TABLE raw_attributes;
DROP TABLE raw_systems;
DROP TABLE raw_releases;
