"""The data-quality report, defined once: `python -m etl check` prints it, the app's Data &
sources page runs it against the warehouse. Plain SQL over warehouse tables; no heavy imports.

REPORT: name -> (title, SQL), in the order shown.
"""

REPORT = {
    "per_release": (
        "Per release and pillar",
        "SELECT strftime(release, '%Y-%m-%d') AS release, * EXCLUDE (release) "
        "FROM quality ORDER BY release, pillar",
    ),
    "corrections": (
        "Corrections applied (data/reference/corrections.csv)",
        'SELECT release, pillar, country, "column", old_value, new_value, reason '
        "FROM corrections_applied ORDER BY release, pillar, country",
    ),
    "name_matches": (
        "Names matched through the alias table, or kept as regional records",
        "SELECT n.name_raw, n.method, n.iso3, c.name FROM name_matches n "
        "LEFT JOIN countries c USING (iso3) WHERE n.method IN ('alias', 'regional') "
        "ORDER BY n.method, n.name_raw",
    ),
    "regional_records": (
        "Regional records (kept with no country: iso3 is NULL)",
        "SELECT strftime(release, '%Y-%m-%d') AS release, pillar, region_label, system_name, "
        "status_raw FROM systems WHERE iso3 IS NULL "
        "ORDER BY release, pillar, region_label, system_name",
    ),
    "flags_contradicting_status": (
        "Upstream flags that contradict the record's status: 'Active real-time payment system "
        "present' = Yes on a payment record whose status is no system or planned or piloted "
        "(the app's caption facts do not count them)",
        "SELECT strftime(s.release, '%Y-%m-%d') AS release, s.pillar, "
        "coalesce(c.name, s.region_label) AS country, s.system_name, s.status, s.status_raw, "
        "l.label AS flag, a.value_text AS upstream_value, "
        "coalesce(s.system_id = cs.system_id, false) AS gives_country_status "
        "FROM systems s JOIN system_attributes a USING (system_id) "
        "JOIN attributes l ON l.pillar = a.pillar AND l.attribute = a.attribute "
        "LEFT JOIN countries c ON c.iso3 = s.iso3 "
        "LEFT JOIN country_status cs "
        "ON cs.release = s.release AND cs.pillar = s.pillar AND cs.iso3 = s.iso3 "
        "WHERE a.pillar = 'payments' AND a.attribute = 'real_time_payments' AND a.value_bool "
        "AND s.status IN ('none', 'planned_or_piloted') "
        "ORDER BY s.release, s.pillar, country, s.system_name",
    ),
    "no_shape": (
        "Countries with a record but no map shape (shown as markers)",
        "SELECT DISTINCT c.iso3, c.name FROM countries c JOIN systems s USING (iso3) "
        "WHERE NOT c.has_geometry ORDER BY c.name",
    ),
}


def run_report(con) -> dict:
    """name -> DataFrame of each report query, on a DuckDB connection to a warehouse."""
    return {name: con.execute(sql).df() for name, (_, sql) in REPORT.items()}
