"""Building blocks, shaped for the page: the evidence map's frame, shares of implemented
systems by technology class, reach of open blocks and vendors, and the tables to download.
Pure pandas: no Streamlit, no SQL (the frames come from atlas/block_queries.py).

Words used throughout:

- a block is *named* for a country when one of the country's DPI Map systems in the pillar
  (any status) names it in the pillar's technology field (block_queries.components);
- a block is *listed* for a country when the DPGA registry lists it as deployed there
  (relation 'deployed'; 'developed' is shown, never counted as a deployment);
- an *open* block is a catalogue entry of kind open_dpg or open_source.
"""

import pandas as pd

from atlas.categories import (
    EVIDENCE,
    KIND_LABELS,
    OPEN_KINDS,
    PILLAR_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    STATUSES,
    TECH_CLASS_LABELS,
    TECH_CLASSES,
    TECHNOLOGY_FIELDS,
)

GEO_COLUMNS = ["iso3", "area_km2", "lat", "lon", "has_geometry"]  # as atlas/mapframes.py
ANY = "any"  # the block option "any open building block of the pillar"
VENDOR_MIN_COUNTRIES = 5  # a vendor gets its own map choice when named for this many countries
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUSES)}


# ------------------------------------------------------------------ which blocks
def pillar_blocks(blocks: pd.DataFrame, pillar: str) -> pd.DataFrame:
    """The catalogue entries that belong to a pillar (pillars is ';'-joined)."""
    return blocks[blocks["pillars"].str.split(";").apply(lambda p: pillar in p)]


def open_block_ids(blocks: pd.DataFrame, pillar: str) -> list[str]:
    part = pillar_blocks(blocks, pillar)
    return part.loc[part["kind"].isin(OPEN_KINDS), "block_id"].tolist()


def block_choices(blocks: pd.DataFrame, components: pd.DataFrame, pillar: str) -> dict[str, str]:
    """id -> label of the blocks the map offers for a pillar: any open block, each open block
    (digital public goods first), then each vendor the DPI Map names for at least
    VENDOR_MIN_COUNTRIES countries in the release."""
    part = pillar_blocks(blocks, pillar)
    open_part = part[part["kind"].isin(OPEN_KINDS)].sort_values(["kind", "name"])
    reach = components[(components["pillar"] == pillar) & (components["kind"] == "proprietary")]
    reach = reach.groupby("block_id")["iso3"].nunique()
    vendors = part[part["block_id"].isin(reach[reach >= VENDOR_MIN_COUNTRIES].index)]
    vendors = vendors.assign(n=vendors["block_id"].map(reach)).sort_values(["n", "name"])
    choices = {ANY: "Any open building block"}
    choices |= dict(zip(open_part["block_id"], open_part["name"], strict=True))
    return choices | dict(zip(vendors["block_id"][::-1], vendors["name"][::-1], strict=True))


def chosen_blocks(blocks: pd.DataFrame, pillar: str, block: str) -> list[str]:
    return open_block_ids(blocks, pillar) if block == ANY else [block]


# ------------------------------------------------------------------ the evidence map
def evidence_frame(
    long: pd.DataFrame,
    countries: pd.DataFrame,
    components: pd.DataFrame,
    deployments: pd.DataFrame,
    technology: pd.DataFrame,
    pillar: str,
    block_ids: list[str],
) -> pd.DataFrame:
    """Per country: which source names the chosen block(s) for the pillar, else what the
    record says (category, see categories.EVIDENCE), with hover text and geometry helpers.

    long: queries.status_long of the release; components: block_queries.components of the
    release; deployments: block_queries.dpga_deployments; technology: block_queries.
    system_technology of the release and pillar (empty for payments, which has no field).
    """
    frame = long[long["pillar"] == pillar][["iso3", "name", "status", "systems"]].copy()
    named = components[(components["pillar"] == pillar) & components["block_id"].isin(block_ids)]
    listed = deployments[
        deployments["block_id"].isin(block_ids) & (deployments["relation"] == "deployed")
    ]
    developed = deployments[
        deployments["block_id"].isin(block_ids) & (deployments["relation"] == "developed")
    ]
    pairs_named = set(zip(named["iso3"], named["block_id"], strict=True))
    pairs_listed = set(zip(listed["iso3"], listed["block_id"], strict=True))
    agree = {iso3 for iso3, _ in pairs_named & pairs_listed}
    recorded = set(technology.loc[technology["raw_value"].notna(), "iso3"])
    frame["named"] = frame["iso3"].map(_named_words(named)).fillna("")
    frame["written"] = frame["iso3"].map(_written_words(named)).fillna("")
    frame["listed"] = frame["iso3"].map(_block_words(listed)).fillna("")
    frame["developed"] = frame["iso3"].map(_block_words(developed)).fillna("")
    frame["category"] = [
        _category(iso3, status, agree, set(named["iso3"]), set(listed["iso3"]), recorded)
        for iso3, status in zip(frame["iso3"], frame["status"], strict=True)
    ]
    frame["hover"] = _evidence_hover(frame, pillar)
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def _category(iso3, status, agree, named, listed, recorded) -> str:
    if iso3 in agree:
        return "both"
    if iso3 in named:
        return "dpi_map"
    if iso3 in listed:
        return "dpga"
    if status == "not_assessed":
        return "not_assessed"
    if status == "none":
        return "no_system"
    return "other" if iso3 in recorded else "not_recorded"


def _named_words(named: pd.DataFrame) -> pd.Series:
    """iso3 -> 'X-Road: X-tee (implemented); ...' (block: system (status))."""
    words = (
        named["name"]
        + ": "
        + named["system_name"].fillna("unnamed system")
        + " ("
        + named["status"].map(STATUS_LABELS).str.lower()
        + ")"
    )
    return words.groupby(named["iso3"]).agg(lambda w: "; ".join(dict.fromkeys(w)))


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 country', '2 countries'."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _written_words(named: pd.DataFrame) -> pd.Series:
    return named.groupby("iso3")["raw_value"].agg(lambda w: " | ".join(dict.fromkeys(w)))


def _block_words(rows: pd.DataFrame) -> pd.Series:
    """iso3 -> the blocks' names (deployments with a `name` column), ', '-joined."""
    return rows.groupby("iso3")["name"].agg(lambda b: ", ".join(sorted(set(b))))


def _evidence_hover(frame: pd.DataFrame, pillar: str) -> pd.Series:
    status = frame["status"].map(STATUS_LABELS)
    named = ("<br>DPI Map names: " + frame["named"]).where(frame["named"] != "", "")
    written = ("<br>As written: " + frame["written"]).where(frame["written"] != "", "")
    listed = ("<br>DPGA registry: deployed (" + frame["listed"] + ")").where(
        frame["listed"] != "", ""
    )
    developed = ("<br>DPGA registry: developed here (" + frame["developed"] + ")").where(
        frame["developed"] != "", ""
    )
    field = TECHNOLOGY_FIELDS.get(pillar)
    rest = "" if field else "<br>The DPI Map records no technology for payments."
    return (
        "<b>"
        + frame["name"]
        + "</b><br>"
        + PILLAR_LABELS[pillar]
        + ": "
        + status
        + named.str.wrap(70).str.replace("\n", "<br>")
        + written
        + listed
        + developed
        + rest
    )


def evidence_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Countries per category (every category present, zero when none)."""
    counts = frame["category"].value_counts()
    return {key: int(counts.get(key, 0)) for key in EVIDENCE}


def evidence_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The countries where either source names the block(s), in words."""
    part = frame[frame["category"].isin(["both", "dpi_map", "dpga"])]
    words = {"both": "Both sources", "dpi_map": "DPI Map only", "dpga": "DPGA registry only"}
    table = pd.DataFrame(
        {
            "Country": part["name"],
            "ISO3": part["iso3"],
            "Named by": part["category"].map(words),
            "DPI Map: block, system (status)": part["named"],
            "DPI Map: as written": part["written"],
            "DPGA registry: deployed": part["listed"],
            "DPGA registry: developed": part["developed"],
            "Pillar status": part["status"].map(STATUS_LABELS),
        }
    )
    order = {"Both sources": 0, "DPI Map only": 1, "DPGA registry only": 2}
    return table.sort_values(["Named by", "Country"], key=lambda c: c.map(order).fillna(c))


# ------------------------------------------------------------------ shares of implemented systems
def implemented_systems(
    technology: pd.DataFrame, countries: pd.DataFrame, pillar: str, in_view: set[str]
) -> pd.DataFrame:
    """The pillar's implemented country systems in the selection, every release, with the
    country's World Bank region and income group."""
    part = technology[
        (technology["pillar"] == pillar)
        & (technology["status"] == "implemented")
        & technology["iso3"].isin(in_view)
    ]
    groups = countries[["iso3", "region", "income_group"]]
    return part.merge(groups, on="iso3", how="left")


def class_shares(systems: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Implemented systems per group (column `by`; None: one row 'All') and technology class:
    group, tech_class, n, systems (the group's total), share. Groups whose release did not
    publish the field have no rows."""
    systems = systems[systems["tech_class"] != "not_published"]
    key = systems[by].fillna("Not classified") if by else pd.Series("All", index=systems.index)
    counts = systems.groupby([key.rename("group"), "tech_class"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(TECH_CLASSES), fill_value=0)
    long = counts.stack().rename("n").reset_index()
    long["systems"] = long["group"].map(counts.sum(axis=1))
    long["share"] = long["n"] / long["systems"]
    return long


def open_share(systems: pd.DataFrame) -> dict[str, int | float | None]:
    """One release's implemented systems: how many name an open block (and of those, a
    digital public good), a vendor, and how many name both an open block and a vendor."""
    systems = systems[systems["tech_class"] != "not_published"]
    total = len(systems)
    open_n = int(systems["tech_class"].isin(OPEN_KINDS).sum())
    return {
        "systems": total,
        "open": open_n,
        "dpg": int((systems["tech_class"] == "open_dpg").sum()),
        "proprietary": int((systems["tech_class"] == "proprietary").sum()),
        "not_recorded": int((systems["tech_class"] == "not_recorded").sum()),
        "mixed": int(systems["mixed"].sum()),
        "share": open_n / total if total else None,
    }


def share_table(shares: pd.DataFrame, group_label: str) -> pd.DataFrame:
    """class_shares in words: one row per group, counts per class and the open share."""
    wide = shares.pivot_table(index="group", columns="tech_class", values="n", aggfunc="sum")
    wide = wide.reindex(columns=list(TECH_CLASSES), fill_value=0).fillna(0).astype(int)
    total = wide.sum(axis=1)
    table = wide.rename(columns=TECH_CLASS_LABELS)
    opened = wide["open_dpg"] + wide["open_source"]
    share = (opened / total.where(total > 0)).map(lambda s: "—" if pd.isna(s) else f"{s:.0%}")
    table.insert(0, "On an open building block", share)
    table.insert(0, "Implemented systems", total)
    return table.reset_index().rename(columns={"group": group_label})


def class_trend(systems: pd.DataFrame, releases: list[str]) -> pd.DataFrame:
    """Per release and class: n, systems, share; a release that did not publish the field has
    NaN (never zero) in every class."""
    rows = []
    for release in releases:
        part = systems[systems["release"] == release]
        published = not part.empty and (part["tech_class"] != "not_published").all()
        for tech_class in TECH_CLASSES:
            n = int((part["tech_class"] == tech_class).sum()) if published else None
            rows.append((release, tech_class, n, len(part) if published else None))
    frame = pd.DataFrame(rows, columns=["release", "tech_class", "n", "systems"])
    frame["share"] = frame["n"] / frame["systems"]
    return frame


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


# ------------------------------------------------------------------ other pages' data
def country_block_table(frame: pd.DataFrame, system_id: int | None = None) -> pd.DataFrame:
    """The country profile's building blocks (block_queries.country_blocks), in words: one row
    per system and block, then the registry's own listings for the country. With `system_id`,
    that system's rows only."""
    if system_id is not None:
        frame = frame[frame["system_id"] == system_id]
    return pd.DataFrame(
        {
            "Pillar": frame["pillar"].map(PILLAR_LABELS),
            "System": frame["system_name"].fillna("— (DPGA registry only)"),
            "Building block or supplier": frame["name"],
            "Kind": frame["kind"].map(KIND_LABELS),
            "Role": frame["role"].map(ROLE_LABELS).fillna("—"),
            "As written in the DPI Map": frame["raw_value"].fillna("—"),
            "DPGA registry": frame["dpga"].fillna("—"),
            "Source": _sources(frame),
        }
    ).reset_index(drop=True)


def registry_block_table(frame: pd.DataFrame, pillar: str) -> pd.DataFrame:
    """The country profile, per pillar: the open products the DPGA registry lists for the
    country that none of its systems names (block_queries.country_blocks rows without a
    system), in words."""
    part = frame[frame["system_id"].isna() & (frame["pillar"] == pillar)]
    return country_block_table(part)[["Building block or supplier", "DPGA registry", "Source"]]


def _sources(frame: pd.DataFrame) -> pd.Series:
    both = frame["dpi_map_source"].notna() & frame["dpga_source"].notna()
    source = frame["dpi_map_source"].fillna(frame["dpga_source"])
    return source.where(~both, frame["dpi_map_source"] + " · " + frame["dpga_source"])


def tech_class_map_frame(
    long: pd.DataFrame, countries: pd.DataFrame, pillar: str, classes: pd.DataFrame
) -> pd.DataFrame:
    """The map explorer's "Building block" measure: per country, the technology class of the
    system that gives its status (block_queries.tech_class_by_country); 'no_system' when that
    status is "none" and no block is named, 'not_assessed' without a record. The hover names
    the blocks and the cell as written."""
    frame = long[long["pillar"] == pillar].merge(classes, on="iso3", how="left")
    category = frame["tech_class"].fillna("not_recorded")
    unnamed = category.isin(["other", "not_recorded", "not_published"])
    category = category.where(~(unnamed & (frame["status"] == "none")), "no_system")
    frame["category"] = category.where(frame["status"] != "not_assessed", "not_assessed")
    named = ("<br>Names: " + frame["blocks"]).where(frame["blocks"].notna(), "")
    written = ("<br>As written: " + frame["raw_value"]).where(frame["raw_value"].notna(), "")
    frame["hover"] = (
        "<b>"
        + frame["name"]
        + "</b><br>"
        + PILLAR_LABELS[pillar]
        + ": "
        + frame["category"].map(TECH_MEASURE_LABELS)
        + named
        + written
    )
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


FIELD_WORDS = {
    ("data_exchange", "base_architecture"): "data-exchange architecture",
    ("identity", "technical_support_organisations"): "identity technical support",
    ("identity", "funding_organisations"): "identity funders",
    ("payments", "operator"): "payments operator",
}


def field_published(published: pd.DataFrame, release: str, pillar: str) -> bool:
    """Whether the release's files have the pillar's technology field at all."""
    field = TECHNOLOGY_FIELDS.get(pillar)
    part = published[(published["release"] == release) & (published["pillar"] == pillar)]
    return field is not None and field in set(part["attribute"])


def field_gaps(published: pd.DataFrame, releases: list[str]) -> str:
    """In words, the releases whose files lack each field (block_queries.published_fields);
    '' when every release has every field."""
    parts = []
    for (pillar, attribute), words in FIELD_WORDS.items():
        have = published[(published["pillar"] == pillar) & (published["attribute"] == attribute)]
        missing = [r for r in releases if r not in set(have["release"])]
        if missing:
            parts.append(f"{words}: not in release {', '.join(missing)}")
    return "; ".join(parts)


TECH_MEASURE_LABELS = {
    **TECH_CLASS_LABELS,
    "no_system": "No system",
    "not_assessed": "Not assessed (no record)",
}


def tech_class_words(frame: pd.DataFrame) -> pd.Series:
    """The measure in the map explorer's table: the class, and the blocks named
    ("Named proprietary product or vendor: Thales")."""
    words = frame["category"].map(TECH_MEASURE_LABELS)
    return words.where(frame["blocks"].isna(), words + ": " + frame["blocks"].fillna(""))
