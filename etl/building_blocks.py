"""Building blocks and reuse: which technology, suppliers and funders each DPI system names.

Reviewed data, not code, decides every match: the catalogue and the spellings in
data/reference/ (etl/block_reference.py reads and checks them). Fields read (canonical
attribute names from etl/dpimap.py; block_reference.FIELD_ROLES) and the role they give a block:

| pillar        | attribute                        | role              |
| ------------- | -------------------------------- | ----------------- |
| data_exchange | base_architecture                | technology        |
| identity      | technical_support_organisations  | technical_support |
| identity      | funding_organisations            | funder            |
| payments      | operator                         | operator          |
| payments      | payment_system_type              | technology        |

(payment_system_type names categories of payment system, never a product, so every spelling
of it is listed as unmapped; the field is read so that a product named there one day stops the
build instead of passing unseen.)

Splitting a cell (split first, then map each token; matching is exact after casefolding and
folding whitespace, never fuzzy):

1. Split on commas and semicolons (and newlines, though etl/dpimap.py folds those to spaces).
2. A part whose whole spelling is listed is one token ("Commercial bank/ Private PSP",
   "Pakistan's National Database and Registration Authority (NADRA)", "Semlex (Belgian
   contractor)"): listing a spelling protects it from step 3.
3. Any other part is split again on sentence ends (a period followed by a space), " and "
   and "/"; each piece loses a trailing period ("IDEMIA." -> "IDEMIA"). Parentheses never
   split: "(HP)" or "(EU)" belong to the name before them.

Older releases separate names with newlines that the ETL folds to spaces ("Thales Uqudo"):
such a cell cannot be split safely, so the folded spelling is listed whole and mapped to
every block it names (one spelling row per block).

Every unknown token of a run is reported in one ETLError naming release, pillar, field, the
token and the cell, and the fix.

Tables (the warehouse contract):

- building_blocks(block_id, name, kind, pillars, licence, dpga_id, url)
- system_components(release, pillar, iso3, system_name, block_id, role, raw_value): one row
  per system and block (a block named twice in one cell counts once); raw_value is the cell.
- dpg_deployments(block_id, iso3, relation, source_id): from the Digital Public Goods Alliance
  registry (etl/dpga.py).
- BLOCK_EVIDENCE_VIEW: SQL text (CREATE VIEW block_evidence) over the three tables: per
  release, pillar, country and open block (dpga_id set), whether the DPI Map names it, the
  DPGA registry names it as deployed there, or both; `agree` is true when both do.

Pure functions: no network, no geopandas.
"""

import re
from pathlib import Path

import pandas as pd

from etl.block_reference import (
    CATALOGUE_CSV,
    FIELD_ROLES,
    SPELLINGS_CSV,
    Spellings,
    read_catalogue,
    read_spellings,
    spelling_key,
)
from etl.dpga import DEPLOYMENT_COLUMNS, dpg_deployments, dpga_product_urls
from etl.dpimap import read_json
from etl.problems import Problems

TABLE_COLUMNS = {
    "building_blocks": ["block_id", "name", "kind", "pillars", "licence", "dpga_id", "url"],
    "system_components": [
        "release",
        "pillar",
        "iso3",
        "system_name",
        "block_id",
        "role",
        "raw_value",
    ],
    "dpg_deployments": DEPLOYMENT_COLUMNS,
}
PRIMARY = re.compile(r"[,;\n]")
SECONDARY = re.compile(r"\.\s+|\s+and\s+|\s*/\s*", re.IGNORECASE)
FIX = (
    "add it to data/reference/building_block_spellings.csv (pillar,field,spelling,block_id,"
    "reason): a block_id from data/reference/building_blocks.csv, or an empty block_id "
    "and the reason it is not mapped"
)


# ---------------------------------------------------------------- cells -> blocks
def split_cell(cell: str, spellings: Spellings, pillar: str, field: str) -> list[str]:
    """One cell -> its tokens, by the rule in the module docstring."""
    tokens = []
    for part in PRIMARY.split(cell):
        part = part.strip()
        if not part:
            continue
        if (pillar, field, spelling_key(part)) in spellings:
            tokens.append(part)
            continue
        pieces = (piece.strip().rstrip(".").strip() for piece in SECONDARY.split(part))
        tokens += [piece for piece in pieces if piece]
    return tokens


def map_cell(cell: str, pillar: str, field: str, spellings: Spellings):
    """One cell -> (block_ids in order, without repeats; tokens nobody has reviewed)."""
    blocks, unknown = [], []
    for token in split_cell(cell, spellings, pillar, field):
        key = (pillar, field, spelling_key(token))
        if key not in spellings:
            unknown.append(token)
        blocks += [b for b in spellings.get(key, ()) if b not in blocks]
    return blocks, unknown


def building_blocks(catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """The warehouse's building_blocks table (empty strings are NULL)."""
    table = read_catalogue() if catalogue is None else catalogue
    return table[TABLE_COLUMNS["building_blocks"]].replace("", None).reset_index(drop=True)


def system_components(
    systems: pd.DataFrame,
    attributes: pd.DataFrame,
    *,
    catalogue_csv: Path = CATALOGUE_CSV,
    spellings_csv: Path = SPELLINGS_CSV,
    catalogue: pd.DataFrame | None = None,
    files: dict[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """raw_systems + raw_attributes (as etl/dpimap.py normalise builds them) -> components.
    `catalogue`: read_catalogue(catalogue_csv) when not given; `files`: (release, pillar) ->
    the release file's URL, named in the messages.

    Raises one ETLError listing every token, in every release, that the spellings do not know.
    """
    catalogue = read_catalogue(catalogue_csv) if catalogue is None else catalogue
    spellings = read_spellings(spellings_csv, catalogue)
    cells = field_cells(systems, attributes)
    problems = Problems(f"DPI Map building blocks ({spellings_csv})")
    files = files or {}
    rows, reported = [], set()
    for cell in cells.itertuples(index=False):
        blocks, unknown = map_cell(cell.value_text, cell.pillar, cell.attribute, spellings)
        for token in unknown:
            where = (cell.release, cell.pillar, cell.attribute, spelling_key(token))
            if where not in reported:
                reported.add(where)
                file = files.get((cell.release, cell.pillar))
                problems.add(
                    f"field {cell.attribute}: unknown value {token!r} (in {cell.value_text!r}, "
                    f"{cell.system_name or 'a system'} of {cell.country})",
                    FIX,
                    where=f"release {cell.release}, {cell.pillar}" + (f": {file}" if file else ""),
                )
        rows += [
            (cell.release, cell.pillar, cell.iso3, cell.system_name, b, cell.role, cell.value_text)
            for b in blocks
        ]
    problems.raise_if_any()
    return pd.DataFrame(rows, columns=TABLE_COLUMNS["system_components"])


def field_cells(systems: pd.DataFrame, attributes: pd.DataFrame) -> pd.DataFrame:
    """The non-empty cells of the fields read here, with their system's release, pillar, iso3."""
    keep = ["system_id", "release", "pillar", "iso3", "system_name", "country_raw"]
    roles = pd.DataFrame(
        [(pillar, field, role) for (pillar, field), role in FIELD_ROLES.items()],
        columns=["pillar", "attribute", "role"],
    )
    frame = attributes.loc[
        attributes["value_text"].notna(), ["system_id", "attribute", "value_text"]
    ]
    frame = frame.merge(systems[keep], on="system_id", validate="many_to_one")
    frame = frame.merge(roles, on=["pillar", "attribute"]).sort_values("system_id", kind="stable")
    frame["iso3"] = frame["iso3"].astype(object).where(frame["iso3"].notna(), None)
    return frame.rename(columns={"country_raw": "country"}).reset_index(drop=True)


# ---------------------------------------------------------------- evidence view (SQL)
BLOCK_EVIDENCE_VIEW = """
CREATE OR REPLACE VIEW block_evidence AS
WITH open_blocks AS (
    SELECT block_id, trim(pillar) AS pillar
    FROM building_blocks, unnest(string_split(pillars, ';')) AS p(pillar)
    WHERE dpga_id IS NOT NULL
),
named_by_map AS (
    SELECT DISTINCT c.release, c.pillar, c.iso3, c.block_id
    FROM system_components c
    WHERE c.iso3 IS NOT NULL AND c.block_id IN (SELECT block_id FROM open_blocks)
),
named_by_dpga AS (
    SELECT DISTINCT r.release, b.pillar, d.iso3, d.block_id
    FROM dpg_deployments d
    JOIN open_blocks b USING (block_id)
    CROSS JOIN (SELECT DISTINCT release FROM system_components) r
    WHERE d.relation = 'deployed'
)
SELECT
    release, pillar, iso3, block_id,
    m.block_id IS NOT NULL AS named_by_dpi_map,
    g.block_id IS NOT NULL AS named_by_dpga,
    CASE
        WHEN m.block_id IS NOT NULL AND g.block_id IS NOT NULL THEN 'both'
        WHEN m.block_id IS NOT NULL THEN 'dpi_map'
        ELSE 'dpga'
    END AS named_by,
    m.block_id IS NOT NULL AND g.block_id IS NOT NULL AS agree
FROM named_by_map m
FULL OUTER JOIN named_by_dpga g USING (release, pillar, iso3, block_id)
"""


def read_products(urls, cache) -> dict[str, object]:
    """url -> the parsed DPGA product file; every unreadable one (empty, an HTML page, cut
    short) reported in one ETLError naming its URL."""
    problems, products = Problems(), {}
    for url in urls:
        with problems.collect():
            products[url] = read_json(cache.path(url), f"DPGA registry: {url}")
    problems.raise_if_any()
    return products


def normalise(manifest: dict, cache, releases: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The build's step: `building_blocks`, `system_components` (from the DPI Map releases'
    supplier and technology fields) and `dpg_deployments` (from the [dpga] products; empty
    when the manifest lists none)."""
    catalogue = read_catalogue()
    urls = dpga_product_urls(manifest) if "dpga" in manifest else {}
    products = read_products(urls.values(), cache)
    files = {(r.release, r.pillar): r.source_url for r in releases["raw_releases"].itertuples()}
    components = system_components(
        releases["raw_systems"], releases["raw_attributes"], catalogue=catalogue, files=files
    )
    deployments = (
        dpg_deployments(products, catalogue)
        if products
        else pd.DataFrame(columns=DEPLOYMENT_COLUMNS)
    )
    return {
        "building_blocks": building_blocks(catalogue),
        "system_components": components,
        "dpg_deployments": deployments,
    }
