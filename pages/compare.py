"""Compare: up to six countries, regions or income groups side by side (kept in the URL)."""

import streamlit as st

from atlas import charts, db, frame, queries, tables
from atlas.categories import PILLAR_LABELS, PILLARS
from atlas.selection import Selection, income_options, region_options, selected_iso3

MAX_ITEMS = 6


@st.cache_data(show_spinner=False, max_entries=64)
def bars(version: float, selection: Selection, items: tuple[str, ...], dark: bool = False) -> dict:
    """The comparison chart as plotly JSON (building its subplots takes ~0.1 s)."""
    within = selected_iso3(version, selection)
    countries = queries.countries(version)
    members = {item: tables.compare_members(item, countries, within) for item in items}
    shares = tables.compare_shares(queries.status_long(version, selection.release), members)
    return charts.compare_bars(shares, list(items), dark).to_plotly_json()


selection = frame.page_setup("Compare")
version = db.version()
countries = queries.countries(version)
regions = [r.removeprefix("WB: ") for r in region_options(version) if r.startswith("WB: ")]
incomes = income_options(version)[1:]
options = tables.compare_options(countries, regions, incomes)

st.title("Compare")
items = st.multiselect(
    f"Countries, regions or income groups (up to {MAX_ITEMS})",
    options,
    max_selections=MAX_ITEMS,
    placeholder="Type a country, “Region: …” or “Income: …”",
    key="compare",
    bind="query-params",
)
if not items:
    st.info(
        "Pick up to six countries, or groups as aggregates (“Region: Sub-Saharan Africa”, "
        "“Income: Low income”). The address bar keeps the choice: copy it to share this view."
    )
    frame.footer(selection)
    st.stop()

within = selected_iso3(version, selection)
members = {item: tables.compare_members(item, countries, within) for item in items}
long = queries.status_long(version, selection.release)
st.markdown(
    f"Release **{selection.release}**."
    + (
        f" Regions and income groups count only their countries within the sidebar filters "
        f"(**{selection.describe()}**)."
        if selection.filtered and any(tables.is_aggregate(i) for i in items)
        else ""
    )
)
empty = [item for item, codes in members.items() if not codes]
if empty:
    st.warning(f"No country of {', '.join(empty)} matches the sidebar filters.")

shares = tables.compare_shares(long, members)
st.subheader("Statuses per pillar")
st.plotly_chart(bars(version, selection, tuple(items), frame.dark_theme()), key="compare_chart")
st.caption(
    "Each bar splits the item's countries by status (a single country is one colour). "
    "For regions and income groups, the share implemented counts implemented systems "
    "(DPI-like included) among the members the release assessed."
)
st.table(tables.compare_table(long, members, shares), hide_index=True)

st.subheader("Key attributes")
st.caption(
    "The yes/no attributes of the system that gives each country its status. For groups: the "
    "share of members with a record whose system has the attribute (unknown counts as no)."
)
values = queries.status_attributes(version, selection.release)
for tab, pillar in zip(st.tabs([PILLAR_LABELS[p] for p in PILLARS]), PILLARS, strict=True):
    table = tables.compare_attributes(values, members, pillar)
    tab.dataframe(table, hide_index=True, width="stretch", height="content")
frame.footer(selection)
