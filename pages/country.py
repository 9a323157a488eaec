"""Country profile: every system a country runs, its attributes, its history and its peers.

Reached by URL (?iso3=KEN&pillar=payments) and from the maps. The picker and the pillar tabs
keep the link in step both ways: a link moves them, a pick or a tab rewrites the link.
"""

import pandas as pd
import streamlit as st

from atlas import (
    block_classes,
    block_queries,
    charts,
    db,
    frame,
    history,
    outcome_figures,
    queries,
    tables,
)
from atlas.categories import PILLAR_LABELS, PILLARS, STATUS_LABELS, yes_no_word
from atlas.selection import universe

selection = frame.page_setup("Country profile")
version = db.version()
countries = queries.countries(version)

st.title("Country profile")
iso3 = frame.choose(
    st.selectbox,
    "Country",
    frame.country_param(version, "iso3"),
    index=None,
    placeholder="Search by name, ISO3 code or another spelling (e.g. Turkey, CIV)…",
)
tab_labels = {PILLAR_LABELS[p]: PILLAR_LABELS[p] for p in PILLARS}
tab_ids = {PILLAR_LABELS[p]: p for p in PILLARS}
tab_param = frame.Param(
    "pillar", "pillar", tab_labels, "Digital identity", tab_ids, why="is not a pillar"
)
frame.follow_link(tab_param)  # the link's pillar opens its tab (?pillar=payments)
if not iso3:
    frame.write_link(tab_param, st.session_state["pillar"])
    st.info("Pick a country above, or click one on the map and open its profile.")
    frame.footer(selection)
    st.stop()

me = countries.set_index("iso3").loc[iso3]
people = tables.population_words(me["population"], me["population_year"])
st.header(f"{me['name']} ({iso3})")
st.markdown(
    f"{me['region'] or 'No World Bank region'} · {me['income_group'] or 'No income group'} · "
    f"UN: {me['un_subregion'] or 'n/a'} · Population {people} · Release **{selection.release}**"
)
if iso3 not in universe(version):
    st.caption(
        "The World Bank does not classify this place, so the atlas's counts and shares leave "
        "it out; its DPI Map records are shown here as published."
    )

systems = queries.country_systems(version, selection.release, iso3)
attributes = queries.country_attributes(version, selection.release, iso3)
long = queries.status_long(version, selection.release)
mine = long[long["iso3"] == iso3].set_index("pillar")
blocks = block_queries.country_blocks(version, selection.release, iso3)
tabs = st.tabs(list(tab_labels), key="pillar", on_change="rerun")
frame.write_link(tab_param, st.session_state.get("pillar", tab_param.default))
for tab, pillar in zip(tabs, PILLARS, strict=True):
    row = mine.loc[pillar]
    status = tables.status_words(pd.Series([row["status"]]), pd.Series([row["dpi_like"]]))[0]
    tab.markdown(f"**Country status: {status}**")
    part = systems[systems["pillar"] == pillar]
    if part.empty:
        tab.info(
            f"No record for {me['name']} in {PILLAR_LABELS[pillar].lower()} in this release: not assessed."
        )
    for system in part.itertuples():
        box = tab.container(border=True)
        name = system.system_name or "Unnamed system"
        link = (
            f"[{name}]({system.url})"
            if isinstance(system.url, str) and system.url.startswith("http")
            else name
        )
        dpi = yes_no_word(system.dpi_like, "Not assessed in this release")
        box.markdown(
            f"#### {link}\n{STATUS_LABELS[system.status]} (upstream: “{system.status_raw}”) · "
            f"DPI-like: **{dpi}** · Last updated: {system.last_updated or 'not given'}"
        )
        named = block_classes.country_block_table(blocks, system.system_id)
        if not named.empty:
            box.markdown("**Building blocks and suppliers** (named in the DPI Map record)")
            box.table(named.drop(columns=["Pillar", "System"]), hide_index=True)
        values = attributes[attributes["system_id"] == system.system_id]
        for kind, title in (("bool", "Characteristics (yes / no)"), ("text", "Details")):
            table = tables.attribute_table(values, kind)
            if not table.empty:
                box.markdown(f"**{title}**")
                box.table(table, hide_index=True)
        box.caption("“—”: the DPI Map gives no wording beyond the attribute's name.")
    registry = block_classes.registry_block_table(blocks, pillar)
    if not registry.empty:
        tab.markdown(
            "**Also listed by the DPGA registry** (deployed here, not named in the record)"
        )
        tab.table(registry, hide_index=True)
    with tab.expander(f"How the DPI Map framework assesses {PILLAR_LABELS[pillar].lower()}"):
        indicators = queries.framework(version)
        indicators = indicators[indicators["pillar"] == pillar]
        st.dataframe(
            indicators[["id", "category", "attribute", "indicator"]],
            hide_index=True,
            width="stretch",
        )

st.subheader("History across releases")
past = queries.status_history(version)
past = past[past["iso3"] == iso3]
flags = queries.dpi_like_assessment(version)
unassessed = sorted(set(flags.loc[~flags["assessed"], "release"]))
timeline = charts.status_timeline(history.country_timeline(past), unassessed, frame.dark_theme())
st.plotly_chart(timeline, key="timeline")
changes = history.timeline_changes(past)
if changes.empty:
    st.caption("No change of status in any pillar across the releases.")
else:
    st.dataframe(changes, hide_index=True, key="changes")

outcome_figures.show_country_outcomes(version, selection, iso3)

st.subheader("Peers: same World Bank region and income group")
peers = tables.peer_table(long, countries, iso3)
if peers.empty:
    st.info(f"{me['name']} has no World Bank region or income group, so no peers.")
else:
    st.caption(
        f"{me['region']} · {me['income_group']}: {len(peers)} countries, {me['name']} highlighted."
    )
    st.dataframe(
        tables.highlight_row(peers, "ISO3", iso3),
        hide_index=True,
        width="stretch",
        height=36 * min(len(peers), 16) + 38,
        key="peers",
    )
frame.footer(selection)
