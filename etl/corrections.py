"""The one reviewed table of upstream mistakes we correct: data/reference/corrections.csv.

Each line names release, pillar, country (as the release spells it), canonical column, the
wrong value and the right one, with a reason. A line that no longer matches exactly one cell
stops the build, so the table never silently outlives the mistake it fixes.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from atlas import paths
from etl.problems import ETLError

CORRECTIONS = paths.REFERENCE / "corrections.csv"
FIELDS = ["release", "pillar", "country", "column", "old_value", "new_value", "reason"]


@dataclass(frozen=True)
class Correction:
    line: int
    release: str
    pillar: str
    country: str
    column: str
    old_value: str
    new_value: str
    reason: str


def read_corrections(path: Path = CORRECTIONS) -> list[Correction]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != FIELDS:
            raise ETLError(f"{path}: header must be {','.join(FIELDS)}, not {reader.fieldnames}")
        rows = [Correction(line, **row) for line, row in enumerate(reader, start=2)]
    for row in rows:
        if not row.reason.strip():
            raise ETLError(f"{path}:{row.line}: every correction needs a reason")
    return rows


def apply_corrections(records: list[dict], corrections: list[Correction], problems) -> list[dict]:
    """Apply in place the corrections for these (already canonical) records; returns those used."""
    applied = []
    for fix in corrections:
        hits = [
            r
            for r in records
            if r.get("country") == fix.country and r.get(fix.column) == fix.old_value
        ]
        if len(hits) != 1:
            problems.add(
                f"data/reference/corrections.csv line {fix.line} ({fix.country}, {fix.column} = "
                f"{fix.old_value!r}) matches {len(hits)} records, not 1: upstream may have fixed "
                "it",
                f"update or remove line {fix.line} of data/reference/corrections.csv",
            )
            continue
        hits[0][fix.column] = fix.new_value
        applied.append({**fix.__dict__})
    return applied
