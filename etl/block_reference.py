"""The building blocks' reviewed reference tables, read and checked; etl/building_blocks.py
applies them to the DPI Map's fields, etl/dpga.py to the DPGA registry.

- data/reference/building_blocks.csv, the catalogue: one row per technology, supplier, funder
  or payment operator type (block_id, name, kind, pillars, licence, dpga_id, parent, url, note).
- data/reference/building_block_spellings.csv: every spelling ever met in the DPI Map fields
  read (FIELD_ROLES), per pillar and field, mapped to one or more block_ids (one row each), or
  listed with an empty block_id and the reason it is deliberately unmapped ("ESB" names an
  architecture pattern, not a product; "NA" is a missing marker; a sentence describing a
  bespoke system).

Every problem of a table is reported in one ETLError naming its line and the fix.
"""

import re
from pathlib import Path

import pandas as pd

from atlas.paths import REFERENCE
from etl.problems import Problems
from etl.reference import read_table
from etl.vocabulary import PILLARS

CATALOGUE_CSV = REFERENCE / "building_blocks.csv"
SPELLINGS_CSV = REFERENCE / "building_block_spellings.csv"
CATALOGUE_COLUMNS = [
    "block_id",
    "name",
    "kind",
    "pillars",
    "licence",
    "dpga_id",
    "parent",
    "url",
    "note",
]
SPELLING_COLUMNS = ["pillar", "field", "spelling", "block_id", "reason"]
KINDS = {
    "open_dpg": "open source and registered as a digital public good (dpga_id set)",
    "open_source": "open source, not in the DPGA registry snapshot",
    "proprietary": "a company or its proprietary product",
    "funder": "a development partner, donor, public budget or funded programme",
    "public_body": "a public agency, intergovernmental body, non-profit or consortium giving "
    "technical support, neither a vendor nor a funder",
    "operator_type": "a category of payment system operator (DPI Map vocabulary)",
}
FIELD_ROLES = {  # the DPI Map fields read (pillar, attribute) and the role they give a block
    ("data_exchange", "base_architecture"): "technology",
    ("identity", "technical_support_organisations"): "technical_support",
    ("identity", "funding_organisations"): "funder",
    ("payments", "operator"): "operator",
    ("payments", "payment_system_type"): "technology",
}
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

Spellings = dict[tuple[str, str, str], tuple[str, ...]]


def spelling_key(text: str) -> str:
    """Casefolded, whitespace-folded spelling: the only matching there is."""
    return " ".join(str(text).split()).casefold()


def read_stripped(path: Path, columns: list[str]) -> pd.DataFrame:
    """A reference table, every cell without padding."""
    return read_table(path, columns).apply(lambda column: column.str.strip())


def read_catalogue(path: Path = CATALOGUE_CSV) -> pd.DataFrame:
    """The catalogue, checked: block_id, name and dpga_id unique; kinds and pillars known."""
    table = read_stripped(path, CATALOGUE_COLUMNS)
    problems = Problems(str(path))
    unique = {
        "block_id": table["block_id"],
        "name": table["name"].str.casefold(),
        "dpga_id": table.loc[table["dpga_id"] != "", "dpga_id"],
    }
    for label, column in unique.items():
        for value in sorted(set(column[column.duplicated()])):
            problems.add(f"{label} {value!r} is listed more than once")
    for row in table.itertuples():
        check_catalogue_row(row, problems)
    problems.raise_if_any()
    return table


def check_catalogue_row(row, problems: Problems) -> None:
    at = f"block {row.block_id!r}"
    if not SLUG.fullmatch(row.block_id):
        problems.add(f"{at}: block_id must be a lower-case slug like 'x-road'")
    if not row.name:
        problems.add(f"{at}: empty name")
    if row.kind not in KINDS:
        problems.add(f"{at}: kind {row.kind!r} is not one of {', '.join(KINDS)}")
    unknown = [p for p in row.pillars.split(";") if p not in PILLARS]
    if unknown:
        problems.add(f"{at}: pillars {unknown} are not among {', '.join(PILLARS)} (';'-joined)")
    if (row.kind == "open_dpg") != bool(row.dpga_id):
        problems.add(f"{at}: a dpga_id is required for kind open_dpg, and only for it")


def read_spellings(path: Path = SPELLINGS_CSV, catalogue: pd.DataFrame | None = None) -> Spellings:
    """(pillar, field, spelling key) -> block_ids; an empty tuple is deliberately unmapped."""
    table = read_stripped(path, SPELLING_COLUMNS)
    known_blocks = set((read_catalogue() if catalogue is None else catalogue)["block_id"])
    problems = Problems(str(path))
    spellings: dict[tuple[str, str, str], list[str]] = {}
    for line, row in enumerate(table.itertuples(), start=2):
        check_spelling_row(line, row, known_blocks, problems)
        blocks = spellings.setdefault((row.pillar, row.field, spelling_key(row.spelling)), [])
        if row.block_id in blocks:
            problems.add(f"line {line}: {row.spelling!r} -> {row.block_id!r} is listed twice")
        elif blocks and ("" in blocks or not row.block_id):
            problems.add(f"line {line}: {row.spelling!r} is listed both mapped and unmapped")
        blocks.append(row.block_id)
    problems.raise_if_any()
    return {key: tuple(b for b in blocks if b) for key, blocks in spellings.items()}


def check_spelling_row(line: int, row, known_blocks: set, problems: Problems) -> None:
    at = f"line {line} ({row.spelling!r})"
    if (row.pillar, row.field) not in FIELD_ROLES:
        fields = ", ".join(f"{p}/{f}" for p, f in FIELD_ROLES)
        problems.add(f"{at}: {row.pillar}/{row.field} is not a field read here ({fields})")
    if not row.spelling:
        problems.add(f"{at}: empty spelling")
    if row.block_id and row.block_id not in known_blocks:
        problems.add(
            f"{at}: block_id {row.block_id!r} is not in data/reference/building_blocks.csv"
        )
    if not row.block_id and not row.reason:
        problems.add(f"{at}: an unmapped spelling needs a reason")
