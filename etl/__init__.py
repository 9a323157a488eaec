"""DPI Atlas ETL: fetch -> normalise -> validate -> load into DuckDB. Run as `python -m etl`."""
