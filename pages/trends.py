"""Trends: adoption over the releases, population reached, transitions and the changelog."""

import streamlit as st

from atlas import charts, db, figures, frame, history, queries, tables
from atlas.categories import NOT_CLASSIFIED, PILLAR_LABELS, PILLARS
from atlas.selection import previous_release, selected_iso3

selection = frame.page_setup("Trends")
version = db.version()
countries = queries.countries(version)
releases = queries.releases(version)
in_view = selected_iso3(version, selection)
past = figures.selected_history(version, selection.region, selection.income)
dpi_assessed = queries.dpi_like_assessment(version)
dark = frame.dark_theme()
first_dpi = dpi_assessed.loc[dpi_assessed["assessed"], "release"].min()

st.title("Trends")
st.markdown(
    f"How adoption moved across the **{len(releases)} DPI Map releases** "
    f"({releases[0]} to {releases[-1]}) in **{selection.describe()}** ({len(in_view)} countries)."
)
if not in_view:
    st.info("No country matches these filters. Widen the region or income group.")
    frame.footer(selection)
    st.stop()
not_assessed_note = (
    f"The DPI-like flag exists from release {first_dpi}: earlier releases did not assess it, "
    "so its line starts there and the shaded band marks the releases without it."
)

st.subheader("Countries by status, per pillar")
st.plotly_chart(
    figures.adoption_chart(version, selection.region, selection.income, dark), key="trend_chart"
)
st.caption(
    "Implemented counts every country with an implemented system; DPI-like is the subset whose "
    f"system counts as DPI-like. {not_assessed_note}"
)

st.subheader("Side by side: by region or income group")
left, right = st.columns(2)
by = left.segmented_control(
    "Break down by",
    ["region", "income_group"],
    format_func={"region": "World Bank region", "income_group": "Income group"}.get,
    default="region",
    required=True,
    key="by",
    bind="query-params",
)
pillar = right.segmented_control(
    "Pillar",
    PILLARS,
    format_func=PILLAR_LABELS.get,
    default="identity",
    required=True,
    key="trend_pillar",
    bind="query-params",
)
st.plotly_chart(
    figures.group_chart(version, selection.region, selection.income, by, pillar, dark),
    key="group_chart",
)
st.caption(
    f"{PILLAR_LABELS[pillar]}: share of each group's countries (hover for counts). "
    f"“{NOT_CLASSIFIED}”: territories without a World Bank group."
)

st.subheader("Share of the population living in countries with an implemented system")
st.plotly_chart(
    figures.population_chart(version, selection.region, selection.income, dark),
    key="population_chart",
)
people = countries[countries["iso3"].isin(in_view)].dropna(subset=["population"])
years = people["population_year"].value_counts()
st.caption(
    f"Population: Natural Earth admin-0 estimates (POP_EST), mostly for {years.idxmax()} "
    f"({years.max()} of {len(people)} countries; others {years.index.min()}–{years.index.max()}); "
    f"total {people['population'].sum() / 1e9:.2f} billion. The same estimates are used for every "
    "release, so the lines move only with adoption. Countries not assessed count as without a "
    f"system. {not_assessed_note}"
)

st.subheader("Transitions between two releases")
a, b, c = st.columns(3)
before = a.selectbox(
    "From release", releases, index=max(0, len(releases) - 2), key="from", bind="query-params"
)
after = b.selectbox("To release", releases, index=len(releases) - 1, key="to", bind="query-params")
flow_pillar = c.selectbox(
    "Pillar", PILLARS, format_func=PILLAR_LABELS.get, key="flow_pillar", bind="query-params"
)
assessed = dpi_assessed.set_index(["release", "pillar"])["assessed"]
split = bool(
    assessed.get((before, flow_pillar), False) and assessed.get((after, flow_pillar), False)
)
moves = history.transitions(past, flow_pillar, before, after, split)
flows = history.flow_counts(moves)
if flows.empty:
    st.info("No country of this selection was assessed in both releases.")
else:
    st.plotly_chart(charts.transition_sankey(flows, before, after, dark), key="sankey")
    left_out = moves[(moves["before"] == "not_assessed") | (moves["after"] == "not_assessed")]
    dpi_note = "shown apart" if split else "not split out (a release did not assess it)"
    st.caption(
        f"{int(flows['n'].sum())} countries assessed in both releases; DPI-like is {dpi_note}. "
        f"{len(left_out)} countries not assessed in one or both releases are left out."
    )
    st.dataframe(history.transition_matrix(flows, before, after), hide_index=True, key="matrix")
    movers = history.movers_table(moves)
    st.markdown(f"**{len(movers)} countries moved** from {before} to {after}")
    st.dataframe(movers, hide_index=True, width="stretch", key="movers")
    with st.expander(f"Left out: {len(left_out)} countries not assessed in one or both releases"):
        st.write(", ".join(sorted(left_out["name"])) or "None.")

previous = previous_release(version, selection.release)
st.subheader(
    f"Changelog of release {selection.release}" + (f" (since {previous})" if previous else "")
)
if previous is None:
    st.info(
        "This is the first release: nothing to compare with. Pick a later release in the sidebar."
    )
else:
    log = figures.changelog(version, selection.region, selection.income, selection.release)
    st.caption(
        f"{log['ISO3'].nunique()} countries, {len(log)} country-pillar changes in status, "
        "DPI-like flag (where both releases assessed it) or system."
    )
    st.dataframe(log, hide_index=True, width="stretch", key="changelog")
    cite = queries.citation(version, selection.release)
    st.download_button(
        "Download the changelog (CSV)",
        tables.csv_with_citation(log, cite),
        file_name=f"dpi-atlas-changelog-{selection.release}.csv",
        mime="text/csv",
    )
frame.footer(selection)
