"""Building blocks and reuse: which technology, suppliers and funders each DPI system names.

Reviewed data, not code, decides every match:

- data/reference/building_blocks.csv, the catalogue: one row per technology, supplier, funder
  or payment operator type (block_id, name, kind, pillars, licence, dpga_id, parent, url, note).
- data/reference/building_block_spellings.csv: every spelling ever met in the DPI Map fields
  below, per pillar and field, mapped to one or more block_ids (one row each), or listed with an
  empty block_id and the reason it is deliberately unmapped ("ESB" names an architecture
  pattern, not a product; "NA" is a missing marker; a sentence describing a bespoke system).

Fields read (canonical attribute names from etl/dpimap.py) and the role they give a block:

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
- dpg_deployments(block_id, iso3, relation, source_id): relation 'deployed' or 'developed',
  from the Digital Public Goods Alliance registry product of each catalogue entry with a
  dpga_id; names matched by etl.countries.harmonise_countries; empty names ([""]) dropped;
  regional names (data/reference/regional_names.csv) excluded, as that file gives the reason.
- BLOCK_EVIDENCE_VIEW: SQL text (CREATE VIEW block_evidence) over the three tables: per
  release, pillar, country and open block (dpga_id set), whether the DPI Map names it, the
  DPGA registry names it as deployed there, or both; `agree` is true when both do.

Pure functions: no network, no geopandas.
"""

import json
import re
from pathlib import Path

import pandas as pd

from atlas.paths import REFERENCE
from etl.countries import ALIASES_CSV, REGIONAL_CSV, harmonise_countries
from etl.problems import ETLError, Problems
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
    "dpg_deployments": ["block_id", "iso3", "relation", "source_id"],
}
KINDS = {
    "open_dpg": "open source and registered as a digital public good (dpga_id set)",
    "open_source": "open source, not in the DPGA registry snapshot",
    "proprietary": "a company or its proprietary product",
    "funder": "a development partner, donor, public budget or funded programme",
    "public_body": "a public agency, intergovernmental body, non-profit or consortium giving "
    "technical support, neither a vendor nor a funder",
    "operator_type": "a category of payment system operator (DPI Map vocabulary)",
}
FIELD_ROLES = {
    ("data_exchange", "base_architecture"): "technology",
    ("identity", "technical_support_organisations"): "technical_support",
    ("identity", "funding_organisations"): "funder",
    ("payments", "operator"): "operator",
    ("payments", "payment_system_type"): "technology",
}
DPGA_RELATIONS = {"deploymentCountries": "deployed", "developmentCountries": "developed"}
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PRIMARY = re.compile(r"[,;\n]")
SECONDARY = re.compile(r"\.\s+|\s+and\s+|\s*/\s*", re.IGNORECASE)
FIX = (
    "add it to data/reference/building_block_spellings.csv (pillar,field,spelling,block_id,"
    "reason): a block_id from data/reference/building_blocks.csv, or an empty block_id "
    "and the reason it is not mapped"
)

Spellings = dict[tuple[str, str, str], tuple[str, ...]]


# ---------------------------------------------------------------- reference tables
def spelling_key(text: str) -> str:
    """Casefolded, whitespace-folded spelling: the only matching there is."""
    return " ".join(str(text).split()).casefold()


def read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError) as exc:
        raise ETLError(f"cannot read {path}: {exc}") from exc
    if list(table.columns) != columns:
        raise ETLError(f"{path}: expected columns {','.join(columns)}, found {list(table.columns)}")
    return table.apply(lambda column: column.str.strip())


def read_catalogue(path: Path = CATALOGUE_CSV) -> pd.DataFrame:
    """The catalogue, checked: block_id, name and dpga_id unique; kinds and pillars known."""
    table = read_csv(path, CATALOGUE_COLUMNS)
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
    table = read_csv(path, SPELLING_COLUMNS)
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
) -> pd.DataFrame:
    """raw_systems + raw_attributes (as etl/load.py collect_tables builds them) -> components.

    Raises one ETLError listing every token, in every release, that the spellings do not know.
    """
    spellings = read_spellings(spellings_csv, read_catalogue(catalogue_csv))
    cells = field_cells(systems, attributes)
    problems = Problems(f"DPI Map building blocks ({spellings_csv})")
    rows, reported = [], set()
    for cell in cells.itertuples(index=False):
        blocks, unknown = map_cell(cell.value_text, cell.pillar, cell.attribute, spellings)
        for token in unknown:
            where = (cell.release, cell.pillar, cell.attribute, spelling_key(token))
            if where not in reported:
                reported.add(where)
                problems.add(
                    f"release {cell.release}, {cell.pillar}, field {cell.attribute}: unknown "
                    f"value {token!r} (in {cell.value_text!r}, {cell.system_name or 'a system'}"
                    f" of {cell.country}); {FIX}"
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


# ---------------------------------------------------------------- DPGA registry
def dpga_product_urls(manifest: dict) -> dict[str, str]:
    """dpga_id (the registry file stem) -> URL, from the manifest's [dpga] urls."""
    return {Path(url).name.removesuffix(".json"): url for url in manifest["dpga"]["urls"]}


def dpga_source_id(url: str) -> str:
    """The source_id etl/load.py sources_frame gives a manifest file: dpga:<file name>."""
    return f"dpga:{Path(url).name}"


def dpg_deployments(
    products: dict[str, dict],
    catalogue: pd.DataFrame | None = None,
    *,
    aliases_csv: Path = ALIASES_CSV,
    regional_csv: Path = REGIONAL_CSV,
) -> pd.DataFrame:
    """{product URL: parsed registry JSON} -> dpg_deployments.

    Every catalogue entry with a dpga_id needs its product, and every product a catalogue
    entry. Unknown country names, in every product, are reported in one ETLError.
    """
    catalogue = read_catalogue() if catalogue is None else catalogue
    blocks = dict(zip(catalogue["dpga_id"], catalogue["block_id"], strict=True))
    blocks.pop("", None)
    by_id = {Path(url).name.removesuffix(".json"): url for url in products}
    problems = Problems("DPGA registry products")
    for dpga_id in sorted(set(blocks) - set(by_id)):
        problems.add(
            f"no product file for dpga_id {dpga_id!r}: list its URL under [dpga] in "
            "data/sources.toml"
        )
    for dpga_id in sorted(set(by_id) - set(blocks)):
        problems.add(
            f"{by_id[dpga_id]}: no catalogue entry has dpga_id {dpga_id!r} (add one "
            "to data/reference/building_blocks.csv or drop the URL)"
        )
    rows = []
    for dpga_id, url in sorted(by_id.items()):
        if dpga_id in blocks:
            rows += product_rows(
                blocks[dpga_id], url, products[url], problems, aliases_csv, regional_csv
            )
    problems.raise_if_any()
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS["dpg_deployments"])
    return table.dropna(subset=["iso3"]).drop_duplicates().reset_index(drop=True)


def product_rows(block_id, url, product, problems, aliases_csv, regional_csv) -> list[tuple]:
    """One product's (block_id, iso3, relation, source_id) rows; iso3 None for regional names."""
    locations = product.get("locations") if isinstance(product, dict) else None
    if not isinstance(locations, dict):
        problems.add(f"{url}: no 'locations' object")
        return []
    named = []
    for key, relation in DPGA_RELATIONS.items():
        names = locations.get(key) or []
        if not isinstance(names, list):
            problems.add(f"{url}: locations.{key} is not a list")
            continue
        named += [(relation, name) for name in names if str(name).strip()]
    if not named:
        return []
    try:
        matches = harmonise_countries(
            [name for _, name in named],
            f"{url} (locations)",
            aliases_csv=aliases_csv,
            regional_csv=regional_csv,
        )
    except ETLError as exc:
        problems.add(str(exc))
        return []
    iso3 = dict(zip(matches["name_raw"], matches["iso3"], strict=True))
    return [(block_id, iso3[name], relation, dpga_source_id(url)) for relation, name in named]


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


def normalise(manifest: dict, cache, releases: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The build's step: `building_blocks`, `system_components` (from the DPI Map releases'
    supplier and technology fields) and `dpg_deployments` (from the [dpga] products; empty
    when the manifest lists none)."""
    catalogue = read_catalogue()
    urls = dpga_product_urls(manifest) if "dpga" in manifest else {}
    products = {
        url: json.loads(cache.path(url).read_text(encoding="utf-8")) for url in urls.values()
    }
    components = system_components(releases["raw_systems"], releases["raw_attributes"])
    deployments = (
        dpg_deployments(products, catalogue)
        if products
        else pd.DataFrame(columns=TABLE_COLUMNS["dpg_deployments"])
    )
    return {
        "building_blocks": building_blocks(catalogue),
        "system_components": components,
        "dpg_deployments": deployments,
    }
