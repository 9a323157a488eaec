"""The Digital Public Goods Alliance registry: where each open building block of the catalogue
(data/reference/building_blocks.csv, an entry with a dpga_id) is deployed or developed.

One registry JSON file per product, listed under [dpga] in data/sources.toml; its
`locations.deploymentCountries` and `locations.developmentCountries` name countries, matched by
etl.countries.harmonise_countries; empty names ([""]) are dropped and regional names
(data/reference/regional_names.csv) excluded, as that file gives the reason.

Table (the warehouse contract): dpg_deployments(block_id, iso3, relation, source_id), relation
'deployed' or 'developed'.

Pure functions: no network.
"""

from pathlib import Path

import pandas as pd

from etl.block_reference import read_catalogue
from etl.countries import ALIASES_CSV, REGIONAL_CSV, harmonise_countries
from etl.problems import ETLError, Problems
from etl.sources import file_source_id

DEPLOYMENT_COLUMNS = ["block_id", "iso3", "relation", "source_id"]
DPGA_RELATIONS = {"deploymentCountries": "deployed", "developmentCountries": "developed"}


def dpga_product_urls(manifest: dict) -> dict[str, str]:
    """dpga_id (the registry file stem) -> URL, from the manifest's [dpga] urls."""
    return {Path(url).name.removesuffix(".json"): url for url in manifest["dpga"]["urls"]}


def dpga_source_id(url: str) -> str:
    """The sources table's key of a registry file (etl.sources.file_source_id)."""
    return file_source_id("dpga", url)


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
    table = pd.DataFrame(rows, columns=DEPLOYMENT_COLUMNS)
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
