"""The committed reference tables (data/reference/*.csv): read as text, their columns checked,
one way for every table (country aliases and regional names, the building-block catalogue and
spellings)."""

from pathlib import Path

import pandas as pd

from etl.problems import ETLError


def read_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """Every cell a string (an empty cell is ''), the header exactly `columns`."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError) as exc:
        raise ETLError(f"cannot read {path}: {exc}") from exc
    if list(table.columns) != columns:
        raise ETLError(f"{path}: expected columns {','.join(columns)}, found {list(table.columns)}")
    return table
