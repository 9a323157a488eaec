"""Compare: up to six countries, regions or income groups side by side (kept in the link as
ids: ?compare=KEN&compare=wb:sub-saharan-africa&compare=income:low).

The sidebar's release applies to everything; its region and income filter applies to the
regions and income groups (they count only their countries inside it); a country picked by
name is shown whatever the filter, and the page says when one lies outside it."""

import streamlit as st

from atlas import charts, db, frame, outcome_figures, queries, tables
from atlas.categories import PILLAR_LABELS, PILLARS
from atlas.selection import (
    Selection,
    country_labels,
    country_spellings,
    group_items,
    group_members,
    names,
    selected_iso3,
)

MAX_ITEMS = 6


def members_of(version: str, selection: Selection, items: tuple[str, ...]) -> dict:
    """Shown name -> ISO3 codes: a country itself, a group's countries inside the filter."""
    within, shown, groups = selected_iso3(version, selection), names(version), group_items(version)
    return {
        groups.get(item) or shown[item]: (
            sorted(set(group_members(version, item)) & within) if item in groups else [item]
        )
        for item in items
    }


@st.cache_data(show_spinner=False, max_entries=64)
def bars(version: str, selection: Selection, items: tuple[str, ...], dark: bool = False) -> dict:
    """The comparison chart as plotly JSON (building its subplots takes ~0.1 s)."""
    members = members_of(version, selection, items)
    shares = tables.compare_shares(queries.status_long(version, selection.release), members)
    return charts.compare_bars(shares, list(members), dark).to_plotly_json()


selection = frame.page_setup("Compare")
version = db.version()
options = country_labels(version) | group_items(version)
param = frame.Param(
    "compare", "item", options, spellings=country_spellings(version),
    why="is not a country, region or income group here",
)  # fmt: skip

st.title("Compare")
items = frame.choose_many(
    st.multiselect,
    f"Countries, regions or income groups (up to {MAX_ITEMS})",
    param,
    MAX_ITEMS,
    max_selections=MAX_ITEMS,
    select_all=False,  # Enter adds the best match only
    placeholder="Type a country, code, “Region: …” or “Income: …”",
)
if not items:
    st.info(
        "Pick up to six countries, or groups as aggregates (“Region: Sub-Saharan Africa”, "
        "“Income: Low income”). The address bar keeps the choice: copy it to share this view."
    )
    frame.footer(selection)
    st.stop()

members = members_of(version, selection, tuple(items))
within = selected_iso3(version, selection)
long = queries.status_long(version, selection.release)
groups = [name for name in members if tables.is_aggregate(name)]
outside = [
    n for n, codes in members.items() if not tables.is_aggregate(n) and codes[0] not in within
]
text = f"Release **{selection.release}**."
if selection.filtered:
    text += (
        f" The sidebar filter (**{selection.describe()}**) applies to regions and income groups: "
        "they count only their countries inside it. Countries you pick are shown whatever the "
        "filter" + (f"; outside it: {', '.join(outside)}." if outside else ".")
    )
st.markdown(text)
empty = [name for name in groups if not members[name]]
if empty:
    st.warning(f"No country of {', '.join(empty)} matches the sidebar filters.")

shares = tables.compare_shares(long, members)
st.subheader("Statuses per pillar")
st.plotly_chart(bars(version, selection, tuple(items), frame.dark_theme()), key="compare_chart")
st.caption(
    "Each bar splits the item's countries by status (a single country is one colour). "
    "For regions and income groups, the share implemented counts member countries whose "
    "status is implemented (DPI-like included) among the members the release assessed."
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

outcome_figures.show_compare_outcomes(version, selection, members)
frame.footer(selection)
