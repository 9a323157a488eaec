"""Overview (landing page): headline figures, the world map (the DPI stack or one pillar), what
changed in this release. A click on a country opens its profile on the pillar shown."""

import streamlit as st

from atlas import charts, db, figures, frame, mapframes, mapview, queries
from atlas.categories import PILLAR_LABELS, PILLAR_NAMES, PILLARS
from atlas.present import deckui
from atlas.selection import previous_release, universe

selection = frame.page_setup("DPI Atlas")
version = db.version()
before = previous_release(version, selection.release)
long = queries.status_long(version, selection.release)

st.title("DPI Atlas")
st.markdown(
    f"Digital identity, data exchange and payments in **{selection.describe()}**, "
    f"DPI Map release **{selection.release}**" + (f" (compared with {before})." if before else ".")
)
in_view = frame.require_countries(version, selection)
total = len(universe(version))
present = frame.presenting()  # on a big screen: the figures in one row, then the map
if not present:  # (on a big screen the headline figures say "N of M"; the map needs the room)
    st.caption(
        f"Counts are out of the **{len(in_view)}** countries and territories of this selection"
        + (f" ({total} in all)" if selection.filtered else "")
        + ": those the World Bank classifies. Antarctica and places it does not classify are "
        "drawn on the map but not counted."
    )

counts = mapframes.headline_counts(long, in_view)
history = queries.implemented_history(version, tuple(sorted(in_view)))
dpi_assessed = queries.dpi_like_assessed_pillars(version, selection.release)
for column, pillar in zip(st.columns(3), PILLARS, strict=True):
    n = counts[counts["pillar"] == pillar].set_index("category")["n"]
    trend = history[history["pillar"] == pillar].set_index("release")["n"]
    trend = trend.reindex([r for r in queries.releases(version) if r <= selection.release])
    trend = trend.fillna(0).astype(int)
    implemented = int(trend.get(selection.release, 0))
    delta = implemented - int(trend.get(before, 0)) if before else None
    with column.container(border=not present):
        st.metric(
            f"{PILLAR_LABELS[pillar]}: implemented",
            f"{implemented} of {len(in_view)}",
            delta=None if delta is None else f"{delta:+d} since {before}",
            delta_color="normal" if delta else "off",
            delta_arrow="auto" if delta else "off",
        )
        if present:
            continue
        if len(trend) > 1:  # every release's count on hover, the first and last written
            st.plotly_chart(
                charts.sparkline(trend, "countries implemented"),
                key=f"trend_{pillar}",
                config={"displayModeBar": False},
            )
            st.caption(
                f"{trend.iloc[0]} in {trend.index[0]} → {trend.iloc[-1]} in {trend.index[-1]}"
            )
        dpi = f"{int(n.get('dpi_like', 0))}" if dpi_assessed.get(pillar) else "not assessed"
        st.markdown(
            f"DPI-like: **{dpi}** · Planned or piloted: **{int(n.get('planned_or_piloted', 0))}**  \n"
            f"No system: **{int(n.get('none', 0))}** · Not assessed: **{int(n.get('not_assessed', 0))}**"
        )

pillar = frame.choose(
    st.segmented_control,
    "Map",
    frame.pillar_param("stack"),
    required=True,
    help="The DPI stack (how many of the three pillars each country has implemented) or one "
    "pillar's status. Click a country for its profile.",
)
if pillar == "stack":
    st.subheader("The DPI stack: how many pillars each country has implemented")
else:
    st.subheader(f"{PILLAR_NAMES[pillar]}: implementation status")
page = "overview" if pillar == "stack" else "map"  # a pillar's map is a map-explorer slide
view = {"page": page, "pillar": pillar, "measure": "status", "country": ""}
view |= {"release": selection.release, "region": selection.region, "income": selection.income}


def open_profile() -> None:
    points = st.session_state["overview_map"].selection.points
    if points:
        iso3 = points[0].get("location") or points[0]["customdata"][0]
        st.session_state["_open_profile"] = iso3


figure, _ = figures.view_map(
    version, view, present, frame.dark_theme(), frame.compact()
)  # as the slide shows it
mapview.map_chart(
    figure,
    present=present,
    stage="stack_stage",
    reserve_px=230,
    key="overview_map",
    on_select=open_profile,
    selection_mode="points",
    config=mapview.plotly_config(version, f"dpi-{pillar}-{selection.release}"),
)
if target := st.session_state.pop("_open_profile", None):
    frame.open_profile(target, pillar)
deckui.slide_tools(version, view, queries.releases(version))

st.subheader("What changed in this release" + (f" (since {before})" if before else ""))
if before is None:
    st.info("This is the first release: nothing to compare with.")
else:
    changes = figures.changelog(version, selection.region, selection.income, selection.release)
    if changes.empty:
        st.info("No country changed status, DPI-like flag or system in this selection.")
    for tab, pillar in zip(st.tabs([PILLAR_LABELS[p] for p in PILLARS]), PILLARS, strict=True):
        part = changes[changes["Pillar"] == PILLAR_LABELS[pillar]].drop(columns="Pillar")
        tab.dataframe(part, hide_index=True, width="stretch")
frame.footer(selection)
