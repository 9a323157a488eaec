"""Command line: python -m etl {fetch,build,check} [--db PATH] [--mirror DIR]."""

import argparse
import sys
import time

from etl.problems import ETLError


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("command", choices=["fetch", "build", "check"])
    parser.add_argument("--db", help="database path (default: $DPI_DB or data/dpi.duckdb)")
    parser.add_argument("--mirror", help="read upstream files from DIR/<host>/<path> ($DPI_MIRROR)")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    from etl import build, fetch, sources

    started = time.perf_counter()
    if args.command == "fetch":
        cache = fetch.fetch_sources(sources.all_urls(sources.read_manifest()), args.mirror)
        print(f"fetched into {cache.raw_dir}")
    elif args.command == "build":
        db_path = build.build(args.db, args.mirror)
        print(f"built {db_path} in {time.perf_counter() - started:.1f} s")
    else:
        print_report(build.collect_tables(args.mirror))


def print_report(tables) -> None:
    """The data-quality report (etl/quality.py), computed in memory: the served database is
    not touched."""
    import duckdb
    import pandas as pd

    from etl.quality import REPORT, run_report
    from etl.warehouse import populate

    with duckdb.connect(":memory:") as con, pd.option_context("display.max_colwidth", 80):
        populate(con, tables)
        for name, frame in run_report(con).items():
            print(f"\n{REPORT[name][0]}:\n{frame.to_string(index=False)}")


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
