"""Compare: up to six countries, regions or income groups side by side (kept in the URL)."""

import streamlit as st

import charts
import queries
import ui
import views
from etl.vocabulary import PILLAR_LABELS, PILLARS

MAX_ITEMS = 6


@st.cache_data(show_spinner=False, max_entries=64)
def bars(version: float, selection: queries.Selection, items: tuple[str, ...]) -> dict:
    """The comparison chart as plotly JSON (building its subplots takes ~0.1 s)."""
    within = queries.selected_iso3(version, selection)
    countries = queries.countries(version)
    members = {item: views.compare_members(item, countries, within) for item in items}
    shares = views.compare_shares(queries.status_long(version, selection.release), members)
    return charts.compare_bars(shares, list(items)).to_plotly_json()


selection = ui.page_setup("Compare")
version = queries.database_version()
countries = queries.countries(version)
regions = [r.removeprefix("WB: ") for r in queries.region_options(version) if r.startswith("WB: ")]
incomes = queries.income_options(version)[1:]
options = views.compare_options(countries, regions, incomes)

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
    ui.footer(selection)
    st.stop()

within = queries.selected_iso3(version, selection)
members = {item: views.compare_members(item, countries, within) for item in items}
long = queries.status_long(version, selection.release)
st.markdown(
    f"Release **{selection.release}**."
    + (
        f" Regions and income groups count only their countries within the sidebar filters "
        f"(**{selection.describe()}**)."
        if selection.filtered and any(views.is_aggregate(i) for i in items)
        else ""
    )
)
empty = [item for item, codes in members.items() if not codes]
if empty:
    st.warning(f"No country of {', '.join(empty)} matches the sidebar filters.")

shares = views.compare_shares(long, members)
st.subheader("Statuses per pillar")
st.plotly_chart(bars(version, selection, tuple(items)), key="compare_chart")
st.caption(
    "Each bar splits the item's countries by status (a single country is one colour). "
    "For regions and income groups, the share implemented counts implemented systems "
    "(DPI-like included) among the members the release assessed."
)
st.table(views.compare_table(long, members, shares), hide_index=True)

st.subheader("Key attributes")
st.caption(
    "The yes/no attributes of the system that gives each country its status. For groups: the "
    "share of members with a record whose system has the attribute (unknown counts as no)."
)
values = queries.status_attributes(version, selection.release)
for tab, pillar in zip(st.tabs([PILLAR_LABELS[p] for p in PILLARS]), PILLARS, strict=True):
    table = views.compare_attributes(values, members, pillar)
    tab.dataframe(table, hide_index=True, width="stretch", height="content")
ui.footer(selection)
