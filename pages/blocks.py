"""Building blocks: where open building blocks (X-Road, MOSIP, ...) run by each source, how much
of implemented DPI names one, and who supplies and funds the rest."""

import streamlit as st

from atlas import (
    block_classes,
    block_figures,
    block_queries,
    block_reuse,
    block_tables,
    db,
    frame,
    mapview,
    queries,
    tables,
)
from atlas.categories import PILLAR_LABELS, TECHNOLOGY_FIELD_LABELS

SECTIONS = {
    "where": "Where a block runs",
    "share": "Open or proprietary",
    "reuse": "Reuse and suppliers",
    "rows": "Every row",
}
FIELD_PILLARS = {p: PILLAR_LABELS[p] for p in TECHNOLOGY_FIELD_LABELS}  # pillars with a field
CANNOT = (
    "**What these sources cannot tell.** Payments: the DPI Map names each system's operator "
    "(central bank, bank association, commercial bank) and type, never its technology, so no "
    "payment system can be placed on Mojaloop or OpenG2P from it. The DPGA registry's country "
    "lists are undated and incomplete (what product teams reported, as of its snapshot): a "
    "country missing from them is not a “no”, and a listed one may have moved on."
)

selection = frame.page_setup("Building blocks")
version = db.version()
release, region, income = selection.release, selection.region, selection.income
present, dark = frame.presenting(), frame.dark_theme()
blocks = block_queries.blocks(version)
components = block_queries.components(version, release)
cite_map = queries.citation(version, release)
cite_dpga = block_queries.dpga_citation(version) or "DPGA registry: not in this warehouse."
published = block_queries.published_fields(version)
sources_note = f"Sources: {cite_map} · {cite_dpga}"
SHORT_SOURCES = f"Sources: DPI Map {release}, UCL IIPP · {cite_dpga.split(' https://')[0]}"

st.title("Building blocks and reuse")
if not present:  # a big screen keeps its height for the map
    st.markdown(
        f"Which countries run digital identity and data exchange on an open building block, "
        f"which on a named vendor's product, and where the record is silent: the DPI Map "
        f"(release **{release}**) checked against the Digital Public Goods Alliance registry, "
        f"in **{selection.describe()}**."
    )
section = frame.choose_id(st.segmented_control, "Show", SECTIONS, key="section", required=True)
if not block_figures.in_view(version, region, income):
    st.info("No country matches these filters. Widen the region or income group.")
    frame.sync_ids()
    frame.footer(selection)
    st.stop()


def where_section() -> None:
    left, right = st.columns([2, 3])
    with left:
        pillar = pick(st.segmented_control, "Pillar", PILLAR_LABELS, "pillar", "identity")
    choices = block_tables.block_choices(blocks, components, pillar)
    with right:
        block = pick(
            st.pills,
            "Building block",
            choices,
            "block",
            next(iter(list(choices)[1:]), None),  # the pillar's first digital public good
            help=f"Open blocks of the pillar, and vendors the DPI Map names for at least "
            f"{block_tables.VENDOR_MIN_COUNTRIES} countries in this release.",
        )
    shown = block_figures.evidence(version, release, pillar, block, region, income)
    counts = block_tables.evidence_counts(shown)
    name = choices[block] if block != block_tables.ANY else "an open building block"
    field = TECHNOLOGY_FIELD_LABELS.get(pillar)
    asked = block_queries.field_published(version, release, pillar)  # else no count is true
    metrics = st.columns(3)
    named = countries(counts["both"] + counts["dpi_map"]) if asked else "Not recorded"
    metrics[0].metric(f"DPI Map names {name}", named)
    metrics[1].metric(
        "DPGA registry lists it as deployed", countries(counts["both"] + counts["dpga"])
    )
    metrics[2].metric("Both sources agree", countries(counts["both"]) if asked else "—")
    st.caption(
        f"{PILLAR_LABELS[pillar]}, {selection.describe()}. "
        + (
            f"DPI Map: any system of the country in this pillar whose “{field}” names it, "
            "whatever its status. "
            if field
            else "The DPI Map records no payments technology: only the DPGA registry can place "
            "a payments block; every other country with a system is “not recorded”. "
        )
        + (SHORT_SOURCES if present else sources_note)
    )
    if field and not asked:
        st.warning(
            f"Release {release} has no “{field}” field: the DPI Map did not say what any "
            f"{PILLAR_LABELS[pillar].lower()} system runs on, so every country with a system "
            "is “not recorded”. Pick another release in the sidebar."
        )
    figure = block_figures.evidence_map(
        version, release, pillar, block, region, income, present, dark
    )
    mapview.map_chart(
        figure,
        present=present,
        stage="blocks_stage",
        reserve_px=520,  # title, controls, figures and a caption above; the pinned footer
        key="blocks_map",
        config=mapview.plotly_config(version, f"dpi-blocks-{block}-{release}"),
    )
    st.caption(
        "“Not recorded”: the country has a system but the field is empty (or this release has "
        "no such field), which is not a “no”. “DPGA registry only” may be a deployment the "
        "DPI Map does not name, or one that ended: the registry's lists carry no dates. "
        + (sources_note if present else "")
    )
    table = block_tables.evidence_table(shown)
    st.dataframe(table, hide_index=True, width="stretch")
    download(table, f"dpi-atlas-blocks-{block}-{release}.csv")


def share_section() -> None:
    st.markdown(f"**Implemented systems on an open building block** · {selection.describe()}")
    columns = st.columns(3)
    for column, (pillar, label) in zip(columns, FIELD_PILLARS.items(), strict=False):
        systems = block_figures.implemented(version, pillar, region, income)
        counts = block_tables.open_share(systems[systems["release"] == release])
        share = counts["share"]
        column.metric(label, "field not in release" if share is None else f"{share:.0%}")
        column.caption(
            f"{counts['open']} of {block_tables.plural(counts['systems'], 'implemented system')}"
            f" ({counts['dpg']} a digital public good); {counts['proprietary']} name a "
            f"vendor and no open block; {counts['not_recorded']} not recorded. {counts['mixed']} name both an "
            "open block and a vendor, counted as open."
        )
    columns[2].metric("Payments", "Not recorded")
    columns[2].caption("The DPI Map names no payments technology, only operator and type.")
    st.caption(f"Release {release}. {cite_map}")
    left, right = st.columns(2)
    with left:
        pillar = pick(st.segmented_control, "Pillar", FIELD_PILLARS, "pillar", "identity")
    groups = {"region": "World Bank region", "income_group": "Income group"}
    with right:
        by = pick(st.segmented_control, "By", groups, "by", "region")
    st.plotly_chart(
        block_figures.share_bars(version, release, pillar, by, region, income, dark),
        key="share_bars",
    )
    systems = block_figures.implemented(version, pillar, region, income)
    shares = block_tables.class_shares(systems[systems["release"] == release], by)
    st.dataframe(block_tables.share_table(shares, groups[by]), hide_index=True, width="stretch")
    st.caption(
        f"Implemented {PILLAR_LABELS[pillar].lower()} systems (a country may have several), by "
        f"what “{TECHNOLOGY_FIELD_LABELS[pillar]}” names; first match of open digital public "
        f"good, other open source, vendor. {cite_map}"
    )
    st.subheader("Across releases")
    st.plotly_chart(
        block_figures.share_trend(version, pillar, region, income, dark), key="share_trend"
    )
    st.caption(
        f"{PILLAR_LABELS[pillar]}, {selection.describe()}: implemented systems in each DPI Map "
        "release (Institute for Innovation and Public Purpose, UCL. https://dpimap.org/data)."
    )


def reuse_section() -> None:
    st.subheader("Open building blocks: countries by source")
    st.plotly_chart(block_figures.reach_chart(version, release, region, income, dark), key="reach")
    st.caption(
        f"Countries in {selection.describe()} whose DPI Map record (release {release}, any "
        f"pillar and status) names each open block, and where the DPGA registry lists it as "
        f"deployed. {sources_note}"
    )
    pillar = pick(st.segmented_control, "Pillar", FIELD_PILLARS, "pillar", "identity")
    st.subheader(f"Vendors of {PILLAR_LABELS[pillar].lower()} systems")
    chart = block_figures.supplier_chart(
        version, release, pillar, ("proprietary",), region, income, dark
    )
    st.plotly_chart(chart, key="vendors")
    st.caption(
        f"Countries whose system names the vendor (its most advanced status), top "
        f"{block_figures.TOP}; names as written, so Gemalto is apart from Thales, which bought "
        f"it, and UXP apart from Cybernetica, which makes it. {cite_map}"
    )
    st.subheader("Which systems each one names")
    vendors = block_figures.suppliers(version, release, pillar, ("proprietary",), region, income)
    opened = block_tables.open_block_ids(blocks, pillar)
    options = dict(zip(blocks["block_id"], blocks["name"], strict=True))
    named = set(components.loc[components["pillar"] == pillar, "block_id"])
    default = [b for b in opened if b in named] + vendors["block_id"].head(2).tolist()
    chosen = frame.choose_ids(
        st.multiselect,
        "Blocks and suppliers",
        {b: options[b] for b in options if b in named},
        key="pick",
        default=default,
    )
    table = block_reuse.supplier_rows(components, pillar, chosen)
    table = table[table["ISO3"].isin(block_figures.in_view(version, region, income))]
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        f"Every {PILLAR_LABELS[pillar].lower()} system of {selection.describe()} whose record "
        f"names one of them, and whether the DPGA registry lists that product there. "
        f"{sources_note}"
    )
    download(table, f"dpi-atlas-suppliers-{pillar}-{release}.csv")
    if pillar == "identity":
        st.subheader("Funders of digital identity systems")
        funders = block_figures.supplier_chart(
            version, release, "identity", ("funder",), region, income, dark
        )
        st.plotly_chart(funders, key="funders")
        st.caption(f"Funders named in either identity field. {cite_map}")


def rows_section() -> None:
    everything = {"all": "All pillars", **PILLAR_LABELS}
    pillar = pick(st.segmented_control, "Pillar", everything, "pillar", "all")
    rows = block_reuse.all_rows(
        components,
        block_queries.dpga_deployments(version),
        blocks,
        queries.status_long(version, release),
        queries.countries(version),
        release,
    )
    rows = rows[rows["iso3"].isin(block_figures.in_view(version, region, income))]
    rows = rows if pillar == "all" else rows[rows["pillar"] == pillar]
    options = dict(zip(blocks["block_id"], blocks["name"], strict=True))
    chosen = frame.choose_ids(
        st.multiselect,
        "Only these blocks",
        {b: options[b] for b in sorted(set(rows["block_id"]), key=options.get)},
        key="pick",
        placeholder="All blocks",
    )
    rows = rows[rows["block_id"].isin(chosen)] if chosen else rows
    table = block_reuse.rows_table(rows)
    st.markdown(f"**{len(table)} rows** · {selection.describe()} · release {release}")
    st.dataframe(table, hide_index=True, width="stretch", height=480)
    download(table, f"dpi-atlas-block-rows-{release}.csv")
    st.caption(sources_note)


def pick(widget, label: str, options: dict[str, str], key: str, default, **kwargs):
    """One choice, its id in the URL (?key=id)."""
    return frame.choose_id(
        widget, label, options, key=key, default=default, required=True, **kwargs
    )


def countries(n: int) -> str:
    return block_tables.plural(n, "country", "countries")


def download(table, name: str) -> None:
    st.download_button(
        "Download this table (CSV)",
        tables.csv_with_citation(table, f"{cite_map} | {cite_dpga}"),
        file_name=name,
        mime="text/csv",
    )


SHOW = {
    "where": where_section,
    "share": share_section,
    "reuse": reuse_section,
    "rows": rows_section,
}
SHOW[section]()
frame.sync_ids()  # the ids chosen above, into the address
gaps = block_classes.field_gaps(published, queries.releases(version))
st.info(
    CANNOT
    + (
        f" Fields not asked in every release ({gaps}): shown as such, never as zero."
        if gaps
        else ""
    )
)
frame.footer(selection)
st.caption(f"Open-product deployments: {cite_dpga}")
