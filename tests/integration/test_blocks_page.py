"""The Building blocks page on the real warehouse (`real_warehouse`): every number it states for
release 2026-01-15 re-derived here with SQL written in this file, from the warehouse's tables
(systems, system_attributes, system_components, building_blocks, dpg_deployments, countries),
never through atlas/block_*.py. The page runs in AppTest against the same file.

Set DPI_TEST_WAREHOUSE=path/to/dpi.duckdb to reuse a built warehouse (it must be built by this
branch's ETL: the block_evidence view is checked too).
"""

import json
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.plotly_spec import legend, values

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
RELEASE = "2026-01-15"
SSA = "WB: Sub-Saharan Africa"
FIELDS = {"identity": "technical_support_organisations", "data_exchange": "base_architecture"}
LABELS = {"identity": "Digital identity", "data_exchange": "Data exchange"}


@pytest.fixture(scope="module")
def con(real_warehouse):
    with duckdb.connect(str(real_warehouse), read_only=True) as connection:
        releases = {
            str(r) for (r,) in connection.execute("SELECT release FROM releases").fetchall()
        }
        if RELEASE not in releases:
            pytest.fail(f"release {RELEASE} is not in {real_warehouse}", pytrace=False)
        yield connection


@pytest.fixture
def page(real_warehouse, monkeypatch):
    """page(**query_params) -> the Building blocks page run on the real warehouse."""
    monkeypatch.setenv("DPI_DB", str(real_warehouse))
    monkeypatch.syspath_prepend(str(ROOT))

    def run(**params):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "pages/blocks.py"), default_timeout=120)
        at.query_params.update({"release": RELEASE, **params})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()[0]


def column(con, sql: str, *params) -> set:
    return {row[0] for row in con.execute(sql, list(params)).fetchall()}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def words(n: int) -> str:
    return f"{n} {'country' if n == 1 else 'countries'}"


# ------------------------------------------------------------------ where a block runs
def block_ids(con, pillar: str, block: str) -> list[str]:
    if block != "any":
        return [block]
    return sorted(
        column(
            con,
            """SELECT block_id FROM building_blocks
               WHERE kind IN ('open_dpg', 'open_source')
                 AND list_contains(string_split(pillars, ';'), ?)""",
            pillar,
        )
    )


def evidence(con, pillar: str, blocks: list[str]) -> tuple[set, set, set]:
    """Countries whose DPI Map record names one of the blocks for the pillar; where the DPGA
    registry lists one as deployed; where both name the same block."""
    named = column(
        con,
        """SELECT DISTINCT c.iso3 FROM system_components c JOIN countries USING (iso3)
           WHERE c.release = ? AND c.pillar = ? AND list_contains(?, c.block_id)""",
        RELEASE,
        pillar,
        blocks,
    )
    listed = column(
        con,
        """SELECT DISTINCT d.iso3 FROM dpg_deployments d JOIN countries USING (iso3)
           WHERE d.relation = 'deployed' AND list_contains(?, d.block_id)""",
        blocks,
    )
    both = column(
        con,
        """SELECT DISTINCT c.iso3 FROM system_components c
           JOIN dpg_deployments d ON d.block_id = c.block_id AND d.iso3 = c.iso3
                                 AND d.relation = 'deployed'
           WHERE c.release = ? AND c.pillar = ? AND list_contains(?, c.block_id)""",
        RELEASE,
        pillar,
        blocks,
    )
    return named, listed, both


def test_x_road_for_data_exchange_by_source(page, con):
    """Which countries run data exchange on X-Road, and does the DPGA registry agree?"""
    at = page(pillar="data_exchange")
    named, listed, both = evidence(con, "data_exchange", ["x-road"])
    assert (len(named), len(listed), len(both)) == (33, 14, 13)  # 2026-01-15, August 2024
    assert metrics(at) == {
        "DPI Map names X-Road": words(len(named)),
        "DPGA registry lists it as deployed": words(len(listed)),
        "Both sources agree": words(len(both)),
    }
    shown = legend(at)
    assert shown["DPI Map and DPGA registry agree"] == both
    assert shown["DPI Map only"] == named - listed
    assert shown["DPGA registry only"] == listed - named
    (table,) = at.dataframe
    assert set(table.value["ISO3"]) == named | listed
    view = column(
        con,
        """SELECT iso3 FROM block_evidence WHERE release = ? AND pillar = 'data_exchange'
           AND block_id = 'x-road' AND agree""",
        RELEASE,
    )
    assert view == both  # the ETL's evidence view says the same


def test_not_recorded_and_no_are_apart_for_x_road(page, con):
    at = page(pillar="data_exchange")
    named, listed, _ = evidence(con, "data_exchange", ["x-road"])
    assessed = """SELECT iso3, status FROM country_status JOIN countries USING (iso3)
                  WHERE release = CAST(? AS DATE) AND pillar = 'data_exchange'
                    AND region IS NOT NULL"""  # the universe: the World Bank's groups
    no_system = column(con, f"SELECT iso3 FROM ({assessed}) WHERE status = 'none'", RELEASE)
    recorded = column(
        con,
        """SELECT DISTINCT s.iso3 FROM systems s JOIN system_attributes a USING (system_id)
           WHERE s.release = CAST(? AS DATE) AND s.pillar = 'data_exchange'
             AND a.attribute = 'base_architecture' AND a.value_text IS NOT NULL""",
        RELEASE,
    )
    rest = column(con, f"SELECT iso3 FROM ({assessed}) WHERE status <> 'none'", RELEASE)
    rest -= named | listed
    shown = legend(at)
    assert shown["No system"] == no_system - named - listed
    assert shown["Other technology or supplier named"] == rest & recorded
    assert shown["Not recorded"] == rest - recorded
    assert shown["Not recorded"] and shown["Other technology or supplier named"]


@pytest.mark.parametrize(
    ("pillar", "block", "name"),
    [
        ("identity", "mosip", "MOSIP"),
        ("identity", "opencrvs", "OpenCRVS"),
        ("identity", "any", "an open building block"),
        ("data_exchange", "uxp", "UXP"),
        ("data_exchange", "any", "an open building block"),
        ("payments", "mojaloop", "Mojaloop"),
        ("payments", "openg2p", "OpenG2P"),
    ],
)
def test_every_block_by_source(page, con, pillar, block, name):
    at = page(pillar=pillar, block=block)
    named, listed, both = evidence(con, pillar, block_ids(con, pillar, block))
    if pillar == "payments":  # the DPI Map has no payments technology field: never a 0
        assert not named and not both
        named, both = "Not recorded", "—"
    else:
        named, both = words(len(named)), words(len(both))
    assert metrics(at) == {
        f"DPI Map names {name}": named,
        "DPGA registry lists it as deployed": words(len(listed)),
        "Both sources agree": both,
    }


# ------------------------------------------------------------------ open or proprietary
def classes(con, pillar: str, region: str | None = None) -> dict[str, int]:
    """Implemented country systems of the pillar in RELEASE, by what their technology field
    names (kinds from the catalogue), optionally in one World Bank region."""
    # the universe: places without a World Bank group are not counted
    where = "AND k.region = ?" if region else "AND k.region IS NOT NULL"
    return dict(
        zip(
            ["systems", "open", "dpg", "vendor_only", "not_recorded", "mixed"],
            con.execute(
                f"""
                WITH impl AS (
                    SELECT s.system_id, s.iso3, s.system_name, a.value_text
                    FROM systems s JOIN countries k USING (iso3)
                    LEFT JOIN system_attributes a
                           ON a.system_id = s.system_id AND a.attribute = ?
                    WHERE s.release = CAST(? AS DATE) AND s.pillar = ?
                      AND s.status = 'implemented' {where}
                ),
                kinds AS (
                    SELECT i.system_id, list(DISTINCT b.kind) AS kinds
                    FROM impl i JOIN system_components c
                      ON c.release = ? AND c.pillar = ? AND c.iso3 = i.iso3
                     AND c.system_name IS NOT DISTINCT FROM i.system_name
                     AND c.role IN ('technology', 'technical_support')
                    JOIN building_blocks b USING (block_id)
                    GROUP BY i.system_id
                ),
                flags AS (
                    SELECT value_text,
                           coalesce(list_has_any(kinds, ['open_dpg', 'open_source']), false) AS o,
                           coalesce(list_contains(kinds, 'open_dpg'), false) AS d,
                           coalesce(list_contains(kinds, 'proprietary'), false) AS p
                    FROM impl LEFT JOIN kinds USING (system_id)
                )
                SELECT count(*), count(*) FILTER (o), count(*) FILTER (d),
                       count(*) FILTER (p AND NOT o),
                       count(*) FILTER (value_text IS NULL), count(*) FILTER (o AND p)
                FROM flags
                """,
                [FIELDS[pillar], RELEASE, pillar, *([region] if region else []), RELEASE, pillar],
            ).fetchone(),
            strict=True,
        )
    )


def share_caption(n: dict[str, int]) -> str:
    return (
        f"{n['open']} of {n['systems']} implemented systems ({n['dpg']} a digital public good); "
        f"{n['vendor_only']} name a vendor and no open block; {n['not_recorded']} not recorded. "
        f"{n['mixed']} name both an open block and a vendor, counted as open."
    )


@pytest.mark.parametrize("region", [None, "Sub-Saharan Africa"])
def test_share_of_implemented_systems_on_open_blocks(page, con, region):
    """How much of implemented DPI in Sub-Saharan Africa (and the world) is on an open block?"""
    at = page(section="share", **({"region": f"WB: {region}"} if region else {}))
    shown = metrics(at)
    captions = [c.value for c in at.caption]
    for pillar in FIELDS:
        n = classes(con, pillar, region)
        assert n["systems"] > 0
        assert shown[LABELS[pillar]] == f"{n['open'] / n['systems']:.0%}"
        assert share_caption(n) in captions
    assert shown["Payments"] == "Not recorded"
    if region:  # the numbers the issue asks about, as the mirror has them today
        assert (
            classes(con, "identity", region)["open"],
            classes(con, "identity", region)["systems"],
        ) == (2, 16)
        assert (
            classes(con, "data_exchange", region)["open"],
            classes(con, "data_exchange", region)["systems"],
        ) == (3, 17)


def test_share_table_by_region(page, con):
    at = page(section="share", pillar="data_exchange")
    (table,) = [t for t in at.dataframe if "World Bank region" in t.value.columns]
    for row in table.value.itertuples(index=False):
        n = classes(con, "data_exchange", row[0])
        assert row[1] == n["systems"]
        assert row[2] == (f"{n['open'] / n['systems']:.0%}" if n["systems"] else "—")
    regions = column(
        con,
        """SELECT DISTINCT k.region FROM systems s JOIN countries k USING (iso3)
           WHERE s.release = CAST(? AS DATE) AND s.pillar = 'data_exchange'
             AND s.status = 'implemented'""",
        RELEASE,
    )
    # the universe: places without a World Bank group are not counted (no "Not classified")
    assert set(table.value["World Bank region"]) == {r for r in regions if r is not None}


def test_fields_not_asked_in_every_release_are_named(page, con):
    at = page(section="share")
    releases = [
        str(r)
        for (r,) in con.execute("SELECT DISTINCT release FROM releases ORDER BY 1").fetchall()
    ]
    text = " ".join(i.value for i in at.info)
    for attribute, words_ in (
        ("technical_support_organisations", "identity technical support"),
        ("funding_organisations", "identity funders"),
    ):
        asked = {
            str(r)
            for (r,) in con.execute(
                "SELECT DISTINCT release FROM system_attributes WHERE attribute = ?", [attribute]
            ).fetchall()
        }
        missing = [r for r in releases if r not in asked]
        assert missing  # each was missing from at least one mirrored release
        assert f"{words_}: not in release {', '.join(missing)}" in text


# ------------------------------------------------------------------ reuse and suppliers
def bars(at, key: str) -> dict[str, dict[str, float]]:
    (chart,) = [c for c in at.get("plotly_chart") if key in c.key]
    return {
        t["name"]: dict(zip(values(t["y"]), values(t["x"]), strict=True))
        for t in json.loads(chart.proto.spec)["data"]
        if t["type"] == "bar"
    }


def test_open_blocks_countries_by_source(page, con):
    at = page(section="reuse")
    reach = bars(at, "reach")
    blocks = con.execute(
        "SELECT block_id, name FROM building_blocks WHERE kind IN ('open_dpg', 'open_source')"
    ).fetchall()
    for block, name in blocks:
        named = column(
            con,
            """SELECT iso3 FROM system_components JOIN countries USING (iso3)
               WHERE release = ? AND block_id = ?""",
            RELEASE,
            block,
        )
        listed = column(
            con,
            """SELECT iso3 FROM dpg_deployments JOIN countries USING (iso3)
               WHERE block_id = ? AND relation = 'deployed'""",
            block,
        )
        assert reach["Named by the DPI Map"][name] == len(named)
        assert reach["Listed as deployed by the DPGA registry"][name] == len(listed)
        assert reach["Both"][name] == len(named & listed)


@pytest.mark.parametrize(("key", "kind"), [("vendors", "proprietary"), ("funders", "funder")])
def test_identity_vendors_and_funders(page, con, key, kind):
    at = page(section="reuse")
    shown = bars(at, key)
    totals: dict[str, float] = {}
    for trace in shown.values():
        for name, n in trace.items():
            totals[name] = totals.get(name, 0) + n
    expected = con.execute(
        """SELECT b.name, count(DISTINCT c.iso3) AS n
           FROM system_components c JOIN building_blocks b USING (block_id)
           JOIN countries USING (iso3)
           WHERE c.release = ? AND c.pillar = 'identity' AND b.kind = ?
           GROUP BY b.name ORDER BY n DESC, b.name LIMIT 15""",
        [RELEASE, kind],
    ).fetchall()
    assert totals == {name: n for name, n in expected}
    if kind == "proprietary":
        assert expected[:2] == [("Thales", 13), ("IDEMIA", 11)]  # the top identity suppliers


def test_mosip_thales_idemia_systems(page, con):
    """Which identity systems does MOSIP support, and which does Thales or IDEMIA supply?"""
    at = page(section="reuse", pick=["mosip", "thales", "idemia"])
    (table,) = [t for t in at.dataframe if "Named" in t.value.columns]
    expected = con.execute(
        """SELECT b.name, c.iso3, coalesce(c.system_name, 'Unnamed system')
           FROM system_components c JOIN building_blocks b USING (block_id)
           JOIN countries USING (iso3)
           WHERE c.release = ? AND c.pillar = 'identity'
             AND c.block_id IN ('mosip', 'thales', 'idemia')""",
        [RELEASE],
    ).fetchall()
    shown = zip(table.value["Named"], table.value["ISO3"], table.value["System"], strict=True)
    assert sorted(shown) == sorted(expected)
    assert {name for name, _, _ in expected} == {"MOSIP", "Thales", "IDEMIA"}


def test_every_row(page, con):
    at = page(section="rows")
    (table,) = at.dataframe
    named = one(
        con,
        """SELECT count(*) FROM system_components JOIN countries USING (iso3)
           WHERE release = ? AND region IS NOT NULL""",
        RELEASE,
    )
    registry_only = one(
        con,
        """SELECT count(DISTINCT (d.block_id, d.iso3)) FROM dpg_deployments d
           JOIN countries USING (iso3)
           WHERE region IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM system_components c WHERE c.release = ?
                             AND c.block_id = d.block_id AND c.iso3 = d.iso3)""",
        RELEASE,
    )
    assert len(table.value) == named + registry_only
    assert any(f"**{named + registry_only} rows**" in m.value for m in at.markdown)
