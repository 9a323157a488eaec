"""DPI Atlas ETL: fetch -> normalise (one module per source) -> derive -> check -> write
DuckDB. The flow is etl/build.py; run it as `python -m etl`."""
