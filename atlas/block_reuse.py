"""Building blocks, shaped for the page: the reach of open blocks and vendors (how many
countries each runs in, by source), who supplies which systems, and every country-system-block
row to download. Pure pandas; the words are block_tables.py's (named, listed, open)."""

import pandas as pd

from atlas.categories import (
    KIND_LABELS,
    OPEN_KINDS,
    PILLAR_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    STATUSES,
)
from etl.vocabulary import STATUS_RANK as STATUS_ORDER


# ------------------------------------------------------------------ reuse and suppliers
def open_block_reach(
    blocks: pd.DataFrame, components: pd.DataFrame, deployments: pd.DataFrame, in_view: set[str]
) -> pd.DataFrame:
    """Per open block: countries (in the selection) whose DPI Map record names it, countries the
    DPGA registry lists it as deployed in, countries where both do, and where either does."""
    open_blocks = blocks[blocks["kind"].isin(OPEN_KINDS)]
    rows = []
    for block in open_blocks.itertuples():
        named = set(components.loc[components["block_id"] == block.block_id, "iso3"]) & in_view
        listed = deployments[
            (deployments["block_id"] == block.block_id) & (deployments["relation"] == "deployed")
        ]
        listed = set(listed["iso3"]) & in_view
        rows.append(
            (
                block.block_id,
                block.name,
                block.kind,
                block.pillars,
                len(named),
                len(listed),
                len(named & listed),
                len(named | listed),
            )
        )
    columns = ["block_id", "name", "kind", "pillars", "dpi_map", "dpga", "both", "either"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["either", "name"], ascending=[False, True]).reset_index(drop=True)


def supplier_reach(
    components: pd.DataFrame, pillar: str, kinds: tuple[str, ...], in_view: set[str]
) -> pd.DataFrame:
    """Per block of the given kinds named in the pillar: countries (in the selection) whose
    systems name it, split by the most advanced status among those systems. Columns:
    block_id, name, kind, none, planned_or_piloted, implemented, countries; most first."""
    part = components[
        (components["pillar"] == pillar)
        & components["kind"].isin(kinds)
        & components["iso3"].isin(in_view)
    ]
    if part.empty:
        columns = ["block_id", "name", "kind", *STATUSES, "countries"]
        return pd.DataFrame(columns=columns)
    best = (
        part.assign(rank=part["status"].map(STATUS_ORDER))
        .sort_values("rank")
        .drop_duplicates(["block_id", "iso3"], keep="last")
    )
    wide = best.pivot_table(
        index=["block_id", "name", "kind"], columns="status", values="iso3", aggfunc="count"
    )
    wide = wide.reindex(columns=list(STATUSES), fill_value=0).fillna(0).astype(int)
    wide["countries"] = wide.sum(axis=1)
    wide = wide.reset_index().sort_values(["countries", "name"], ascending=[False, True])
    return wide.reset_index(drop=True)


def supplier_rows(components: pd.DataFrame, pillar: str, block_ids: list[str]) -> pd.DataFrame:
    """Every system of the pillar that names one of the blocks, in words."""
    part = components[(components["pillar"] == pillar) & components["block_id"].isin(block_ids)]
    order = {block: rank for rank, block in enumerate(block_ids)}
    part = part.assign(rank=part["block_id"].map(order)).sort_values(["rank", "country"])
    return pd.DataFrame(
        {
            "Named": part["name"],
            "Kind": part["kind"].map(KIND_LABELS),
            "Country": part["country"],
            "ISO3": part["iso3"],
            "System": part["system_name"].fillna("Unnamed system"),
            "Status": part["status"].map(STATUS_LABELS),
            "As written in the DPI Map": part["raw_value"],
            "DPGA registry lists it here": _dpga_words(part),
        }
    ).reset_index(drop=True)


def _dpga_words(components: pd.DataFrame) -> pd.Series:
    """What the registry says of each row's block in its country, in words."""
    listed = "Yes: " + components["dpga_relations"].fillna("")
    words = listed.where(components["dpga_relations"].notna(), "No")
    return words.where(components["dpga_deployed"].notna(), "Not a registry product")


# ------------------------------------------------------------------ every row
def all_rows(
    components: pd.DataFrame,
    deployments: pd.DataFrame,
    blocks: pd.DataFrame,
    long: pd.DataFrame,
    countries: pd.DataFrame,
    release: str,
) -> pd.DataFrame:
    """Every country-system-block row of the release (the DPI Map's), then every country where
    the DPGA registry lists an open product that no system of the country names (system
    empty). Both sources' ids are on every row they support."""
    named = pd.DataFrame(
        {
            "release": release,
            "iso3": components["iso3"],
            "pillar": components["pillar"],
            "system_name": components["system_name"].fillna("Unnamed system"),
            "status": components["status"],
            "block_id": components["block_id"],
            "role": components["role"],
            "raw_value": components["raw_value"],
            "dpi_map_source": components["dpi_map_source"],
            "dpga": _dpga_words(components),
            "dpga_source": components["dpga_source"],
        }
    )
    said = set(zip(components["iso3"], components["block_id"], strict=True))
    registry = deployments.merge(blocks[["block_id", "pillars"]], on="block_id")
    registry = registry[
        [(i, b) not in said for i, b in zip(registry["iso3"], registry["block_id"], strict=True)]
    ]
    registry = registry.groupby(["block_id", "iso3", "pillars", "source_id"], as_index=False).agg(
        relation=("relation", lambda r: ", ".join(sorted(set(r))))
    )
    pillar = registry["pillars"].str.split(";").str[0]
    status = long.set_index(["iso3", "pillar"])["status"]
    only = pd.DataFrame(
        {
            "release": release,
            "iso3": registry["iso3"],
            "pillar": pillar,
            "system_name": None,
            "status": [status.get((i, p)) for i, p in zip(registry["iso3"], pillar, strict=True)],
            "block_id": registry["block_id"],
            "role": None,
            "raw_value": None,
            "dpi_map_source": None,
            "dpga": "Yes: " + registry["relation"] + "; not named by the DPI Map",
            "dpga_source": registry["source_id"],
        }
    )
    rows = pd.concat([named, only], ignore_index=True)
    rows = rows.merge(blocks[["block_id", "name", "kind"]], on="block_id", how="left")
    groups = countries[["iso3", "name", "region", "income_group"]].rename(
        columns={"name": "country"}
    )
    rows = rows.merge(groups, on="iso3", how="left")
    return rows.sort_values(["country", "pillar", "system_name", "name"]).reset_index(drop=True)


def rows_table(rows: pd.DataFrame) -> pd.DataFrame:
    """all_rows in words, for the page and the download."""
    return pd.DataFrame(
        {
            "Country": rows["country"],
            "ISO3": rows["iso3"],
            "Pillar": rows["pillar"].map(PILLAR_LABELS),
            "System": rows["system_name"].fillna("—"),
            "Status": rows["status"].map(STATUS_LABELS).fillna("Not assessed"),
            "Building block": rows["name"],
            "Kind": rows["kind"].map(KIND_LABELS),
            "Role": rows["role"].map(ROLE_LABELS).fillna("—"),
            "As written in the DPI Map": rows["raw_value"].fillna("—"),
            "DPGA registry lists it here": rows["dpga"],
            "DPI Map source": rows["dpi_map_source"].fillna("—"),
            "DPGA source": rows["dpga_source"].fillna("—"),
            "Block id": rows["block_id"],
            "Region": rows["region"],
            "Income group": rows["income_group"],
            "Release": rows["release"],
        }
    )
