"""Caption facts re-derived from the warehouse in plain SQL, independently of the app's code
(atlas/present/facts.py): the tests compare what a deck says against these answers.

    expected_facts(con, "2030-04-15", region="Sub-Saharan Africa") -> {"implemented_identity": 1, ...}

Written from the definitions the Presenter page shows, not from the app's implementation: a
country's status in a pillar is its country_status row of the release (no row: not assessed);
an attribute count reads the attribute on the system that gives the country its status
(country_status.system_id) and counts implemented countries only.
"""

PILLARS = ("identity", "data_exchange", "payments")
PILLAR_WORDS = {"identity": "digital identity", "data_exchange": "data exchange"}
PILLAR_WORDS["payments"] = "payments"
ATTRIBUTES = {  # placeholder -> (pillar, attribute)
    "instant_payments": ("payments", "real_time_payments"),
    "cross_domain_payments": ("payments", "cross_domain"),
    "x_road": ("data_exchange", "x_road_based"),
    "uxp": ("data_exchange", "uxp_based"),
}
NAMES_SHOWN = 4
# The DPI Map field that names each pillar's technology or supplier (payments: none).
TECHNOLOGY_FIELDS = {
    "identity": "technical_support_organisations",
    "data_exchange": "base_architecture",
}

# One row per selected country and pillar: its status in a release ('not_assessed' without a
# row), its DPI-like flag and the system that gave the status.
GRID = """
WITH chosen AS (
    SELECT iso3, name FROM countries
    WHERE region IS NOT NULL  -- the universe: countries the World Bank classifies (no ATA)
      AND ($region IS NULL OR region = $region) AND ($income IS NULL OR income_group = $income)
),
grid AS (
    SELECT c.iso3, c.name, p.pillar
    FROM chosen c CROSS JOIN (SELECT unnest(['identity', 'data_exchange', 'payments']) AS pillar) p
),
status AS (
    SELECT g.iso3, g.name, g.pillar, coalesce(cs.status, 'not_assessed') AS status,
           cs.dpi_like, cs.system_id
    FROM grid g LEFT JOIN country_status cs
      ON cs.iso3 = g.iso3 AND cs.pillar = g.pillar AND cs.release = CAST($release AS DATE)
)
"""


def scalar(con, sql: str, params: dict):
    return con.execute(GRID + sql, params).fetchone()[0]


def expected_facts(con, release: str, region: str | None = None, income: str | None = None):
    """Every caption fact of `release` within a World Bank region and/or income group."""
    params = {"release": release, "region": region, "income": income}
    releases = [r for (r,) in con.execute(
        "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1").fetchall()]  # fmt: skip
    before = releases[releases.index(release) - 1] if releases.index(release) else None
    facts = {
        "release": release,
        "scope": ", ".join(p for p in (region, income) if p) or "World",
        "countries": scalar(con, "SELECT count(*) FROM chosen", params),
        "releases": len(releases),
        "first_release": releases[0],
        "previous_release": before or "none (first release)",
    }
    for pillar in PILLARS:
        facts |= pillar_facts(con, params, pillar)
    facts["all_three_pillars"] = scalar(
        con,
        """SELECT count(*) FROM (SELECT iso3 FROM status WHERE status = 'implemented'
           GROUP BY iso3 HAVING count(*) = 3)""",
        params,
    )
    every_flag = all(flag_assessed(con, release, p) for p in PILLARS)
    facts["dpi_like_all_three"] = (
        scalar(
            con,
            """SELECT count(*) FROM (SELECT iso3 FROM status
               WHERE status = 'implemented' AND dpi_like GROUP BY iso3 HAVING count(*) = 3)""",
            params,
        )
        if every_flag
        else "not assessed"
    )
    for name, (pillar, attribute) in ATTRIBUTES.items():
        facts |= attribute_facts(con, params, name, pillar, attribute)
    facts["x_road_or_uxp"] = scalar(
        con,
        """SELECT count(DISTINCT s.iso3) FROM status s JOIN system_attributes a
           ON a.system_id = s.system_id AND a.attribute IN ('x_road_based', 'uxp_based')
           WHERE s.pillar = 'data_exchange' AND s.status = 'implemented' AND a.value_bool""",
        params,
    )
    for pillar, field in TECHNOLOGY_FIELDS.items():
        facts |= block_facts(con, params, pillar, field)
    return facts | change_facts(con, params, before)


def block_facts(con, params: dict, pillar: str, field: str) -> dict:
    """Implemented countries whose status-giving system's technology field names an open
    building block (kind open_dpg or open_source), or a proprietary one and no open one."""
    published = con.execute(
        """SELECT count(*) FROM system_attributes
           WHERE release = CAST(? AS DATE) AND pillar = ? AND attribute = ?""",
        [params["release"], pillar, field],
    ).fetchone()[0]
    if not published:
        return {
            f"open_block_{pillar}": "not in this release",
            f"vendor_{pillar}": "not in this release",
        }

    def names(kinds: str) -> str:  # the system of a status row names a block of these kinds
        return f"""EXISTS (
            SELECT 1 FROM systems sy
            JOIN system_components c
              ON c.release = strftime(sy.release, '%Y-%m-%d') AND c.pillar = sy.pillar
             AND c.iso3 = sy.iso3 AND c.system_name IS NOT DISTINCT FROM sy.system_name
            JOIN building_blocks b ON b.block_id = c.block_id
            WHERE sy.system_id = s.system_id AND c.role IN ('technology', 'technical_support')
              AND b.kind IN ({kinds}))"""

    open_kinds, vendor = "'open_dpg', 'open_source'", "'proprietary'"
    where = "FROM status s WHERE s.pillar = $pillar AND s.status = 'implemented'"
    args = params | {"pillar": pillar}
    return {
        f"open_block_{pillar}": scalar(
            con, f"SELECT count(*) {where} AND {names(open_kinds)}", args
        ),
        f"vendor_{pillar}": scalar(
            con,
            f"SELECT count(*) {where} AND {names(vendor)} AND NOT {names(open_kinds)}",
            args,
        ),
    }


def share(con, part: int, whole: int) -> str:
    """A whole percent, rounded as DuckDB rounds (halves away from zero)."""
    if not whole:
        return "n/a"
    return f"{con.execute('SELECT round(100.0 * ? / ?)::INT', [part, whole]).fetchone()[0]}%"


def flag_assessed(con, release: str, pillar: str) -> bool:
    return con.execute(
        """SELECT coalesce(bool_or(dpi_like IS NOT NULL), false) FROM systems
           WHERE release = CAST(? AS DATE) AND pillar = ?""",
        [release, pillar],
    ).fetchone()[0]


def pillar_facts(con, params: dict, pillar: str) -> dict:
    count = lambda where: scalar(  # noqa: E731
        con, f"SELECT count(*) FROM status WHERE pillar = $pillar AND {where}", params | {"pillar": pillar}
    )  # fmt: skip
    implemented = count("status = 'implemented'")
    assessed = count("status <> 'not_assessed'")
    dpi = count("status = 'implemented' AND dpi_like")
    return {
        f"implemented_{pillar}": implemented,
        f"planned_{pillar}": count("status = 'planned_or_piloted'"),
        f"no_system_{pillar}": count("status = 'none'"),
        f"not_assessed_{pillar}": count("status = 'not_assessed'"),
        f"assessed_{pillar}": assessed,
        f"implemented_share_{pillar}": share(con, implemented, assessed),
        f"dpi_like_{pillar}": dpi
        if flag_assessed(con, params["release"], pillar)
        else "not assessed",
    }


def attribute_facts(con, params: dict, name: str, pillar: str, attribute: str) -> dict:
    def count(status: str) -> int:
        return scalar(
            con,
            """SELECT count(*) FROM status s JOIN system_attributes a
               ON a.system_id = s.system_id AND a.attribute = $attribute
               WHERE s.pillar = $pillar AND s.status = $status AND a.value_bool""",
            params | {"pillar": pillar, "attribute": attribute, "status": status},
        )

    return {
        name: count("implemented"),
        f"{name}_planned": count("planned_or_piloted"),
        f"{name}_no_system": count("none"),
    }


CHANGES = """
, before AS (
    SELECT g.iso3, g.pillar, coalesce(cs.status, 'not_assessed') AS status, cs.dpi_like
    FROM grid g LEFT JOIN country_status cs
      ON cs.iso3 = g.iso3 AND cs.pillar = g.pillar AND cs.release = CAST($before AS DATE)
),
changed AS (
    SELECT n.iso3, n.name, n.pillar, n.status, o.status AS status_before,
           n.dpi_like, o.dpi_like AS dpi_like_before
    FROM status n JOIN before o USING (iso3, pillar)
    WHERE n.status <> o.status
       OR (n.dpi_like IS NOT NULL AND o.dpi_like IS NOT NULL AND n.dpi_like <> o.dpi_like)
)
"""


def change_facts(con, params: dict, before: str | None) -> dict:
    if before is None:
        return {
            "changed_countries": 0,
            "status_changed_countries": 0,
            "changes": 0,
            "newly_implemented": 0,
            "newly_dpi_like": 0,
            "newly_implemented_names": "no country",
            "newly_dpi_like_names": "no country",
        }
    params = params | {"before": before}
    count = lambda sql: scalar(con, CHANGES + sql, params)  # noqa: E731
    newly = "status = 'implemented' AND status_before <> 'implemented'"
    dpi = "dpi_like AND NOT dpi_like_before"
    return {
        "changed_countries": count("SELECT count(DISTINCT iso3) FROM changed"),
        "status_changed_countries": count(
            "SELECT count(DISTINCT iso3) FROM changed WHERE status <> status_before"
        ),
        "changes": count("SELECT count(*) FROM changed"),
        "newly_implemented": count(f"SELECT count(DISTINCT iso3) FROM changed WHERE {newly}"),
        "newly_dpi_like": count(f"SELECT count(DISTINCT iso3) FROM changed WHERE {dpi}"),
        "newly_implemented_names": names(con, params, newly),
        "newly_dpi_like_names": names(con, params, dpi),
    }


def names(con, params: dict, where: str) -> str:
    """'Kenya (data exchange, digital identity) and 2 more': countries by name, with the pillars
    in the order identity, data exchange, payments."""
    rows = con.execute(
        GRID + CHANGES + f"SELECT name, list(pillar) FROM changed WHERE {where} GROUP BY name",
        params,
    ).fetchall()
    rows = sorted(rows)
    order = {p: i for i, p in enumerate(PILLARS)}
    shown = [
        f"{name} ({', '.join(PILLAR_WORDS[p] for p in sorted(pillars, key=order.get))})"
        for name, pillars in rows[:NAMES_SHOWN]
    ]
    rest = len(rows) - len(shown)
    return (", ".join(shown) + (f" and {rest} more" if rest else "")) or "no country"
