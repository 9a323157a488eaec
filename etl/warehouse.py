"""Write the warehouse: load the tables into DuckDB, derive in SQL (warehouse.sql), check.

`populate` works on any connection (an in-memory one for `python -m etl check` and tests);
`write` fills a new file. etl.build writes to a temporary file and renames it only when every
check passed, so a failed build never touches the database the app serves.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.building_blocks import BLOCK_EVIDENCE_VIEW
from etl.problems import Problems
from etl.vocabulary import STATUS_LABELS, STATUS_RANK

SQL = Path(__file__).with_name("warehouse.sql")
Tables = dict[str, pd.DataFrame]  # warehouse (or raw_*) table name -> its rows

CHECKS = {
    "country_status rows whose iso3 is not in countries": """
        SELECT DISTINCT s.iso3 FROM country_status s ANTI JOIN countries c USING (iso3)""",
    "countries with a record but neither a map shape nor a marker position": """
        SELECT DISTINCT c.iso3 FROM countries c JOIN systems s USING (iso3)
        WHERE NOT c.has_geometry AND (c.lat IS NULL OR c.lon IS NULL)""",
    "release files with no records": "SELECT release, pillar FROM releases WHERE records = 0",
    "systems without a canonical status": """
        SELECT system_id FROM systems ANTI JOIN statuses USING (status)""",
    "systems whose source_id is not exactly one row of sources": """
        SELECT system_id FROM systems s
        WHERE (SELECT count(*) FROM sources r WHERE r.source_id = s.source_id) <> 1""",
    "drawn countries without zoom bounds": """
        SELECT c.iso3 FROM countries c ANTI JOIN country_bounds b USING (iso3)
        WHERE c.has_geometry""",
    # The deck captions count X-Road and UXP by the flags (etl/dpimap_columns.py DERIVED_FLAGS),
    # the Building blocks page by the reviewed spellings (data/reference/): the two must agree.
    "systems whose X-Road/UXP flag disagrees with the building block the reviewed spellings "
    "give their architecture (system_id, flag; fix the flag's pattern in "
    "etl/dpimap_columns.py or data/reference/building_block_spellings.csv)": """
        WITH flag AS (
            SELECT system_id, attribute FROM system_attributes
            WHERE attribute IN ('x_road_based', 'uxp_based') AND value_bool),
        named AS (
            SELECT s.system_id,
                   CASE b.name WHEN 'X-Road' THEN 'x_road_based' ELSE 'uxp_based' END
            FROM system_components c JOIN building_blocks b USING (block_id)
            JOIN systems s ON s.release = CAST(c.release AS DATE) AND s.pillar = c.pillar
                          AND s.iso3 = c.iso3 AND s.system_name IS NOT DISTINCT FROM c.system_name
            WHERE b.name IN ('X-Road', 'UXP') AND c.role = 'technology')
        (SELECT * FROM flag EXCEPT SELECT * FROM named)
        UNION ALL (SELECT * FROM named EXCEPT SELECT * FROM flag)""",
}


def status_table() -> pd.DataFrame:
    """statuses: status, rank (most advanced highest) and label, from etl.vocabulary."""
    rows = [(status, rank, STATUS_LABELS[status]) for status, rank in STATUS_RANK.items()]
    return pd.DataFrame(rows, columns=["status", "rank", "label"])


def populate(con, tables: Tables) -> None:
    """Create every warehouse table in `con` and check the invariants (ETLError if not)."""
    for name, frame in {**tables, "statuses": status_table()}.items():
        con.register(f"df_{name}", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM df_{name}")
        con.unregister(f"df_{name}")
    con.execute(SQL.read_text())
    con.execute(BLOCK_EVIDENCE_VIEW)  # building blocks named per source (etl/building_blocks.py)
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    con.execute("CREATE TABLE meta AS SELECT CAST(? AS TIMESTAMPTZ) AS built_at", [built_at])
    check(con)


def check(con) -> None:
    problems = Problems("warehouse checks failed; the database was not replaced")
    for label, query in CHECKS.items():
        rows = con.execute(query).fetchall()
        if rows:
            problems.add(f"{label}: {', '.join(str(r) for r in rows[:20])}")
    problems.raise_if_any()


def write(tables: Tables, path: Path) -> None:
    """A new DuckDB file at `path` holding every table, checked."""
    with duckdb.connect(str(path)) as con:
        populate(con, tables)


def temporary_path(db_path: Path) -> Path:
    """Beside the served database (same file system, so the rename is atomic)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    remove(tmp)
    return tmp


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
