"""Command line: python -m etl {fetch,build,check} [--db PATH] [--mirror DIR]."""

import argparse
import sys
import time

from etl.errors import ETLError


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("command", choices=["fetch", "build", "check"])
    parser.add_argument("--db", help="database path (default: $DPI_DB or data/dpi.duckdb)")
    parser.add_argument("--mirror", help="read upstream files from DIR/<host>/<path> ($DPI_MIRROR)")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    from etl import load, pipeline

    started = time.perf_counter()
    if args.command == "fetch":
        _, cache = pipeline.fetch_sources(args.mirror)
        print(f"fetched into {cache.raw_dir}")
    elif args.command == "build":
        db_path = load.build(args.db, args.mirror)
        print(f"built {db_path} in {time.perf_counter() - started:.1f} s")
    else:
        tables = load.collect_tables(args.mirror)
        print_report(tables)


REPORT = {
    "Per release and pillar": "SELECT * FROM quality ORDER BY release, pillar",
    "Corrections applied (data/reference/corrections.csv)": """
        SELECT release, pillar, country, "column", old_value, new_value, reason
        FROM corrections_applied""",
    "Names matched through the alias table, or kept as regional records": """
        SELECT * FROM name_matches WHERE method <> 'library' ORDER BY method, name_raw""",
    "Countries with a record but no map shape (shown as markers)": """
        SELECT DISTINCT c.iso3, c.name FROM countries c JOIN systems s USING (iso3)
        WHERE NOT c.has_geometry ORDER BY 1""",
}


def print_report(tables) -> None:
    """The data-quality report, computed in memory without touching the served database."""
    import duckdb
    import pandas as pd

    from etl.load import populate

    with duckdb.connect(":memory:") as con, pd.option_context("display.max_colwidth", 80):
        populate(con, tables)
        for title, query in REPORT.items():
            print(f"\n{title}:\n{con.execute(query).df().to_string(index=False)}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except ETLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
