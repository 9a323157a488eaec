-- The warehouse contract (documented in the README). Inputs: the raw_* tables the pipeline wrote.

CREATE TABLE releases AS
SELECT CAST(release AS DATE) AS release, pillar, source_url, sha256, records,
       CAST(retrieved_at AS TIMESTAMPTZ) AS retrieved_at
FROM raw_releases;

CREATE TABLE systems AS
SELECT system_id, CAST(release AS DATE) AS release, pillar, iso3, region_label,
       country_raw, system_name, status, status_raw, dpi_like,
       CAST(last_updated AS DATE) AS last_updated, url, 'dpimap' AS source_id
FROM raw_systems;

CREATE TABLE system_attributes AS
SELECT s.release, s.pillar, s.iso3, s.system_name, a.attribute,
       CAST(a.value_bool AS BOOLEAN) AS value_bool, a.value_text, a.system_id
FROM raw_attributes a JOIN systems s USING (system_id);

-- One row per release, country and pillar that the release covers: the most advanced system
-- (dpimap.org's rule), DPI-like systems first among equals, and which system gave the status.
CREATE TABLE country_status AS
WITH ranked AS (
    SELECT *,
           CASE status WHEN 'implemented' THEN 2 WHEN 'planned_or_piloted' THEN 1 ELSE 0 END
               AS status_rank,
           bool_or(dpi_like) OVER (PARTITION BY release, iso3, pillar) AS any_dpi_like,
           count(*) OVER (PARTITION BY release, iso3, pillar) AS systems
    FROM systems WHERE iso3 IS NOT NULL
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
