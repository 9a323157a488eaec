"""Building blocks, shaped for the page: the evidence map's frame and shares of implemented
systems by technology class (reach, suppliers and every row: block_reuse.py; the map
explorer's and the profile's building blocks: block_classes.py).
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
    GEO_COLUMNS,
    OPEN_KINDS,
    PILLAR_LABELS,
    STATUS_LABELS,
    TECH_CLASS_LABELS,
    TECH_CLASSES,
    TECHNOLOGY_FIELDS,
)

ANY = "any"  # the block option "any open building block of the pillar"
VENDOR_MIN_COUNTRIES = 5  # a vendor gets its own map choice when named for this many countries


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
    # Both sources name the block, or, for "any open building block", an open block (maybe
    # not the same one: the hover names each): so "listed" = both + registry only, always.
    agree = set(named["iso3"]) & set(listed["iso3"])
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
