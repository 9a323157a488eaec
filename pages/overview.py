"""Overview (landing page): headline figures, the DPI stack map, what changed in this release."""

import streamlit as st

from atlas import db, figures, frame, mapframes, mapview, queries
from atlas.categories import PILLAR_LABELS, PILLARS
from atlas.present import deckui
from atlas.selection import previous_release, selected_iso3

selection = frame.page_setup("DPI Atlas")
version = db.version()
countries = queries.countries(version)
in_view = selected_iso3(version, selection)
before = previous_release(version, selection.release)
long = queries.status_long(version, selection.release)

st.title("DPI Atlas")
st.markdown(
    f"Digital identity, data exchange and payments in **{selection.describe()}**, "
    f"DPI Map release **{selection.release}**" + (f" (compared with {before})." if before else ".")
)
if not in_view:
    st.info("No country matches these filters. Widen the region or income group.")
    frame.footer(selection)
    st.stop()

present = frame.presenting()  # on a big screen: the figures in one row, then the map
counts = mapframes.headline_counts(long, in_view)
history = queries.implemented_history(version, tuple(sorted(in_view)))
dpi_assessed = queries.dpi_like_assessed_pillars(version, selection.release)
for column, pillar in zip(st.columns(3), PILLARS, strict=True):
    n = counts[counts["pillar"] == pillar].set_index("category")["n"]
    trend = history[history["pillar"] == pillar].set_index("release")["n"]
    trend = trend[trend.index <= selection.release]
    implemented = int(trend.get(selection.release, 0))
    delta = implemented - int(trend.get(before, 0)) if before else None
    with column.container(border=not present):
        st.metric(
            f"{PILLAR_LABELS[pillar]}: implemented",
            f"{implemented} countries",
            delta=None if delta is None else f"{delta:+d} since {before}",
            delta_color="normal" if delta else "off",
            delta_arrow="auto" if delta else "off",
            chart_data=None if present else trend.tolist(),
            chart_type="line",
        )
        if present:
            continue
        dpi = f"{int(n.get('dpi_like', 0))}" if dpi_assessed.get(pillar) else "not assessed"
        st.markdown(
            f"DPI-like: **{dpi}** · Planned or piloted: **{int(n.get('planned_or_piloted', 0))}**  \n"
            f"No system: **{int(n.get('none', 0))}** · Not assessed: **{int(n.get('not_assessed', 0))}**"
        )

st.subheader("The DPI stack: how many pillars each country has implemented")
view = {"page": "overview", "pillar": "stack", "measure": "status", "country": ""}
view |= {"release": selection.release, "region": selection.region, "income": selection.income}
figure, _ = figures.view_map(version, view, present, frame.dark_theme())  # = the stack slide
mapview.map_chart(
    figure,
    present=present,
    stage="stack_stage",
    reserve_px=230,
    key="stack_map",
    config=mapview.plotly_config(version, f"dpi-stack-{selection.release}"),
)
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
