"""Trends: adoption over the releases, population reached, transitions and the changelog."""

import streamlit as st

from atlas import charts, db, figures, frame, history, queries, tables
from atlas.categories import NOT_CLASSIFIED, PILLAR_LABELS
from atlas.selection import previous_release

BREAKDOWNS = {"region": "World Bank region", "income_group": "Income group"}

selection = frame.page_setup("Trends")
version = db.version()
countries = queries.countries(version)
releases = queries.releases(version)
past = figures.selected_history(version, selection.region, selection.income)
dpi_assessed = queries.dpi_like_assessment(version)
dark = frame.dark_theme()
first_dpi = dpi_assessed.loc[dpi_assessed["assessed"], "release"].min()

st.title("Trends")
in_view = frame.require_countries(version, selection)
st.markdown(
    f"How adoption moved across the **{len(releases)} DPI Map releases** "
    f"({releases[0]} to {releases[-1]}) in **{selection.describe()}** ({len(in_view)} countries "
    "and territories; every count below is out of them)."
)
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
with left:
    by = frame.choose(
        st.segmented_control,
        "Break down by",
        frame.Param("by", "breakdown", BREAKDOWNS, "region", spellings={"income": "income_group"}),
        required=True,
    )
with right:
    pillar = frame.choose(
        st.segmented_control,
        "Pillar",
        frame.pillar_param("identity", stack=False, key="trend_pillar"),
        required=True,
    )
members = countries[countries["iso3"].isin(in_view)]
groups = members[by].fillna(NOT_CLASSIFIED)
st.plotly_chart(
    figures.group_chart(version, selection.region, selection.income, by, pillar, dark),
    key="group_chart",
)
note = f"{PILLAR_LABELS[pillar]}: share of each group's countries (hover for counts)."
if groups.nunique() == 1:
    words = {"region": "World Bank region", "income_group": "income group"}
    other = words["income_group" if by == "region" else "region"]
    note += (
        f" The filter keeps one {words[by]} ({groups.iloc[0]}): break down by {other} to split it."
    )
unclassified = members.loc[groups == NOT_CLASSIFIED, "name"].tolist()
if unclassified:
    note += (
        f" “{NOT_CLASSIFIED}”: {', '.join(unclassified)}, which the World Bank gives no "
        f"{'income group' if by == 'income_group' else 'region'} in FY2026."
    )
st.caption(note)

st.subheader("Share of the population living in countries with an implemented system")
st.plotly_chart(
    figures.population_chart(version, selection.region, selection.income, dark),
    key="population_chart",
)
people = members.dropna(subset=["population"])
st.caption(
    f"Population: Natural Earth admin-0 estimates (POP_EST), {history.population_years(members)}; "
    f"total {people['population'].sum() / 1e9:.2f} billion. The same estimates are used for "
    "every release, so the lines move only with adoption. Countries not assessed count as "
    f"without a system. {not_assessed_note}"
)

st.subheader("Transitions between two releases")
a, b, c = st.columns(3)
with c:
    flow_pillar = frame.choose(
        st.selectbox, "Pillar", frame.pillar_param("identity", stack=False, key="flow_pillar")
    )
start, end = history.default_transition(past, flow_pillar, releases)
release_names = {r: r for r in releases}
release_words = {
    "first": releases[0],
    "latest": releases[-1],
    "previous": releases[max(0, len(releases) - 2)],
}


def release_param(key: str, default: str) -> frame.Param:
    return frame.Param(
        key, "release", release_names, default, spellings=release_words, why="is not in the data"
    )


before = frame.choose(a.selectbox, "From release", release_param("from", start))
after = frame.choose(b.selectbox, "To release", release_param("to", end))
if before > after:
    frame.notice(f"“From” ({before}) is after “To” ({after}): showing {after} to {before}.")
    before, after = after, before
assessed = dpi_assessed.set_index(["release", "pillar"])["assessed"]
split = bool(
    assessed.get((before, flow_pillar), False) and assessed.get((after, flow_pillar), False)
)
moves = history.transitions(past, flow_pillar, before, after, split)
flows = history.flow_counts(moves)
movers = history.movers_table(moves)
if before == after:
    st.info(f"Pick two different releases (both are {before}).")
elif flows.empty:
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
    if movers.empty:
        changed = [p for p in history.changed_pairs(past, flow_pillar, releases) if p[2]]
        last = f" The last change: {changed[-1][0]} to {changed[-1][1]}." if changed else ""
        st.info(
            f"No country of this selection changed status in {PILLAR_LABELS[flow_pillar].lower()} "
            f"from {before} to {after}.{last}"
        )
    else:
        moved = f"{len(movers)} {'country' if len(movers) == 1 else 'countries'} moved"
        st.markdown(f"**{moved}** from {before} to {after}")
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
        lambda: tables.csv_download(log, cite, selection.describe()),
        file_name=tables.download_name("changelog", selection, "csv"),
        mime="text/csv",
        on_click="ignore",  # no rerun: a rerun would revoke the file being made
        icon=":material/download:",
    )
frame.footer(selection)
