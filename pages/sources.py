"""Data & sources: provenance of every number, the quality report, downloads, definitions."""

import streamlit as st

from atlas import db, frame, queries, tables
from atlas.categories import PILLAR_LABELS, PILLARS, STATUS_DEFINITIONS, STATUS_LABELS
from atlas.selection import UNIVERSE_RULE, selected_iso3, universe

DERIVATION = """
A country can have **several systems** in a pillar (e.g. two payment systems). Its status in
that pillar is the **most advanced** of them — implemented, then planned or piloted, then no
system (dpimap.org's own rule). The country counts as **DPI-like** in the pillar when **any** of
its systems is DPI-like. The system named for the country is the one that gave the status
(DPI-like systems first among equals). Regional systems (e.g. “Eastern Caribbean”) are kept in
the warehouse but not assigned to countries; they are listed under “records excluded” above.
"""

selection = frame.page_setup("Data & sources")
version = db.version()
sources = queries.sources(version)
cite = queries.citation(version, selection.release)

st.title("Data & sources")
st.markdown(
    "Every number in DPI Atlas comes from the public files below, fetched and checked by the ETL."
)

st.subheader("Provenance")
st.dataframe(
    tables.provenance_table(sources),
    hide_index=True,
    width="stretch",
    key="provenance",
    column_config={"URL": st.column_config.LinkColumn("URL")},
)
st.markdown("**How to cite** (copy with the button at the right of each box)")
st.code(cite, language=None, wrap_lines=True)
for text in sources.loc[sources["source"] != "dpimap", "citation"].drop_duplicates():
    st.code(text, language=None, wrap_lines=True)

st.subheader("Data-quality report")
report = queries.quality_report(version)
st.markdown("**Per release and pillar**: records read, matched to countries, kept as regional.")
st.dataframe(
    tables.readable(report["per_release"]), hide_index=True, width="stretch", key="quality"
)
st.markdown(
    f"**Corrections applied** ({len(report['corrections'])}, from `data/reference/corrections.csv`)"
)
st.table(tables.readable(report["corrections"]), hide_index=True)
st.markdown(
    f"**Records excluded from the country statuses** ({len(report['regional_records'])}): regional "
    "systems that serve several countries, named after a region rather than a country."
)
st.dataframe(
    tables.readable(report["regional_records"]),
    hide_index=True,
    width="stretch",
    height=220,
    key="excluded",
)
contradictions = report["flags_contradicting_status"]
st.markdown(
    f"**Upstream flags that contradict the status** ({len(contradictions)} records): 'Active "
    "real-time payment system present' = Yes on a record whose status is no system or planned "
    "or piloted. Kept as published; the presenter's caption facts do not count them."
)
st.dataframe(
    tables.readable(contradictions), hide_index=True, width="stretch", height=220, key="flags"
)
st.markdown(
    f"**Names matched through the alias table, or kept as regional records** "
    f"({len(report['name_matches'])}, `data/reference/country_aliases.csv`, "
    "`regional_names.csv`)"
)
st.dataframe(tables.readable(report["name_matches"]), hide_index=True, key="aliases")
no_shape = ", ".join(report["no_shape"]["name"]) or "none"
st.caption(f"Countries with a record but no map shape (drawn as markers): {no_shape}.")

st.subheader("Which countries count")
countries = queries.countries(version)
counted = universe(version)
left_out = countries[~countries["iso3"].isin(counted)].sort_values("name")
st.markdown(
    f"Every count and share in the atlas is out of **{len(counted)}** {UNIVERSE_RULE}. "
    f"Left out ({len(left_out)}): {', '.join(left_out['name'])}."
)

st.subheader("Downloads")
in_view = selected_iso3(version, selection)
status = tables.status_download(
    queries.status_long(version, selection.release), countries, in_view, selection.release
)
attributes = queries.system_attribute_table(version, selection.release)
attributes = attributes[attributes["iso3"].isin(in_view)].reset_index(drop=True)
st.markdown(
    f"Release **{selection.release}**, **{selection.describe()}** ({len(in_view)} countries): "
    f"{len(status):,} country-pillar rows, {len(attributes):,} system-attribute values. "
    "Each file has one header row and plain values (ISO3 codes, status ids, true/false, "
    "ISO dates; an empty cell where the data has none), and two columns of its own: "
    "`selection` (the filters) and `citation`. It opens as is with `pandas.read_csv`, R's "
    "`read.csv` or Excel (UTF-8). Parquet files also carry the citation in their metadata "
    "(key `citation`). File names say the release and the filters."
)
for label, table, name in (
    ("Country statuses", status, "status"),
    ("System attributes", attributes, "attributes"),
):
    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        f"{label} (CSV)",
        lambda t=table: tables.csv_download(t, cite, selection.describe()),
        file_name=tables.download_name(name, selection, "csv"),
        mime="text/csv",
        on_click="ignore",  # no rerun: a rerun would revoke the file being made
        icon=":material/download:",
    )
    right.download_button(
        f"{label} (Parquet)",
        lambda t=table: tables.parquet_with_citation(
            tables.with_citation(t, cite, selection.describe()), cite
        ),
        file_name=tables.download_name(name, selection, "parquet"),
        mime="application/vnd.apache.parquet",
        on_click="ignore",  # no rerun: a rerun would revoke the file being made
        icon=":material/download:",
    )
size = db.warehouse_size(version) / 1e6
st.download_button(
    f"Full warehouse, every release (DuckDB, {size:.1f} MB)",
    lambda: db.warehouse_bytes(version),
    file_name="dpi-atlas.duckdb",
    mime="application/octet-stream",
    on_click="ignore",  # no rerun: a rerun would revoke the file being made
    icon=":material/database:",
    help="Open with `duckdb dpi-atlas.duckdb`; the sources table holds every citation.",
)

st.subheader("Definitions")
st.table(
    {
        "Status": [STATUS_LABELS[k] for k in STATUS_DEFINITIONS],
        "Meaning": list(STATUS_DEFINITIONS.values()),
    },
    hide_index=True,
)
st.markdown("**How the per-country status is derived from several systems**\n" + DERIVATION)
flags = queries.dpi_like_assessment(version)
first_dpi = flags.loc[flags["assessed"], "release"].min()
st.markdown(
    "**Not assessed** means the release has no record for the country in that pillar — not that "
    f"the country has no system. The DPI-like flag is *not assessed* in releases before {first_dpi}, "
    "which did not publish it; charts leave a gap there instead of drawing a zero."
)
st.markdown(
    "**DPI-like** (the DPI Map's “Count for DPI”): an implemented system that meets the "
    "publisher's framework for digital public infrastructure — six attributes in three "
    "categories, measured by the indicators listed per pillar below."
)
st.table(queries.framework_attributes(version).rename(columns=str.capitalize), hide_index=True)
st.caption(
    "Framework: " + sources.loc[sources["source"] == "dpimap_indicators", "citation"].iloc[0]
)
indicators = queries.framework(version)
catalogue = queries.attribute_catalogue(version)
for tab, pillar in zip(st.tabs([PILLAR_LABELS[p] for p in PILLARS]), PILLARS, strict=True):
    part = indicators[indicators["pillar"] == pillar]
    tab.markdown(f"**Framework indicators** ({len(part)}), under the attribute they measure")
    tab.dataframe(
        part[["id", "category", "attribute", "indicator"]], hide_index=True, width="stretch"
    )
    tab.markdown("**Attributes the DPI Map records for each system** (upstream wording)")
    terms = catalogue[catalogue["pillar"] == pillar]
    tab.dataframe(
        terms[["label", "kind", "definition"]].replace({"bool": "yes / no", "text": "text"}),
        hide_index=True,
        width="stretch",
    )
frame.footer(selection)
