"""The outcome indicators' reviewed reference tables: ids deliberately excluded (with the
reason) and ids whose ISO3 code is overridden before the entity file is read (Kosovo's `kos`,
which the entity file leaves without a code). etl/outcomes.py applies them."""

import csv
import io
import re
from pathlib import Path
from typing import NamedTuple

from atlas.paths import REFERENCE
from etl.problems import ETLError, Problems

EXCLUSIONS_CSV = REFERENCE / "outcome_exclusions.csv"
EXCLUSION_COLUMNS = ["id", "reason"]
OVERRIDES_CSV = REFERENCE / "outcome_id_overrides.csv"
OVERRIDE_COLUMNS = ["id", "iso3", "reason"]
OVERRIDES_NAME = "data/reference/outcome_id_overrides.csv"
ISO3 = re.compile("[A-Z]{3}")


class Override(NamedTuple):
    iso3: str
    reason: str


def csv_rows(text: str):
    """A csv reader over text with any line endings (CRLF included) and no BOM."""
    return csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))


def read_exclusions(path: Path = EXCLUSIONS_CSV) -> dict[str, str]:
    """The reviewed exclusions: id -> reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ETLError(f"cannot read {path}: {exc}") from exc
    return parse_exclusions(text, str(path))


def parse_exclusions(text: str, where: str = "outcome exclusions") -> dict[str, str]:
    problems = Problems(where)
    reader = csv_rows(text)
    header = next(reader, [])
    if header != EXCLUSION_COLUMNS:
        raise ETLError(f"{where}: expected columns {','.join(EXCLUSION_COLUMNS)}, found {header}")
    exclusions = {}
    for row in reader:
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            problems.add(f"line {reader.line_num}: needs an id and a reason, found {row}")
        elif row[0] in exclusions:
            problems.add(f"line {reader.line_num}: id {row[0]!r} listed more than once")
        else:
            exclusions[row[0]] = row[1]
    problems.raise_if_any()
    return exclusions


def read_overrides(path: Path = OVERRIDES_CSV) -> dict[str, Override]:
    """The reviewed id -> ISO3 overrides, checked before the entity file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ETLError(f"cannot read {path}: {exc}") from exc
    return parse_overrides(text, str(path))


def parse_overrides(text: str, where: str = OVERRIDES_NAME) -> dict[str, Override]:
    problems = Problems(where)
    reader = csv_rows(text)
    header = next(reader, [])
    if header != OVERRIDE_COLUMNS:
        raise ETLError(f"{where}: expected columns {','.join(OVERRIDE_COLUMNS)}, found {header}")
    overrides: dict[str, Override] = {}
    for row in reader:
        line = f"line {reader.line_num}"
        if len(row) != 3 or not all(cell.strip() for cell in row):
            problems.add(f"{line}: needs an id, an ISO3 code and a reason, found {row}")
        elif not ISO3.fullmatch(row[1]):
            problems.add(f"{line}, column iso3: {row[1]!r} is not an upper-case ISO3 code")
        elif row[0] in overrides:
            problems.add(f"{line}: id {row[0]!r} listed more than once")
        elif row[1] in {o.iso3 for o in overrides.values()}:
            problems.add(f"{line}: {row[1]} is already the code of another id in this table")
        else:
            overrides[row[0]] = Override(row[1], row[2])
    problems.raise_if_any()
    return overrides
