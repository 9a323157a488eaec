"""Map explorer: one pillar (or the stack of all three), one measure, any release."""

import streamlit as st

from atlas import db, figures, frame, maps, mapview, queries, tables
from atlas.categories import MEASURE_NAMES, PILLAR_NAMES, PILLARS, STACK_MEASURES
from atlas.present import deckui

SPEEDS = {"0.5×": 3.2, "1×": 1.6, "2×": 0.8}  # seconds per release on the timeline
PILLAR_OPTIONS = [*PILLARS, "stack"]
PILLAR_NAMES = PILLAR_NAMES  # shared with deck slides' deep links

selection = frame.page_setup("Map explorer")
version = db.version()
countries = queries.countries(version)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
releases = queries.releases(version)

st.title("Map explorer")
left, middle, right, play = st.columns([5, 3, 2.6, 2.4], vertical_alignment="bottom")
with left:
    pillar = st.segmented_control(
        "Pillar",
        PILLAR_OPTIONS,
        format_func=PILLAR_NAMES.get,
        default="identity",
        required=True,
        key="pillar",
        bind="query-params",
    )
measures = dict(MEASURE_NAMES)
if pillar == "stack":  # the stack: pillars implemented, or what changed since the last release
    measures = {k: MEASURE_NAMES[k] for k in STACK_MEASURES}
else:
    measures |= {f"attr:{k}": v for k, v in queries.yes_no_attributes(version, pillar).items()}
with middle:
    measure = st.selectbox(
        "Measure",
        list(measures),
        format_func=measures.get,
        key="measure",
        bind="query-params",
    )
with right:
    country = st.selectbox(
        "Zoom to country",
        sorted(names, key=names.get),
        format_func=names.get,
        index=None,
        placeholder="Search a country…",
        key="country",
        bind="query-params",
    )


def play_timeline() -> None:  # each click: a new number, so the browser presses play again
    st.session_state["timeline"] = st.session_state.get("timeline", 0) + 1


with play.container(horizontal=True, vertical_alignment="bottom", gap="small", wrap=False):
    speed = st.selectbox("Speed", list(SPEEDS), index=1, key="speed", width=84)
    st.button("Play", key="play", icon=":material/play_arrow:", on_click=play_timeline)
present, dark = frame.presenting(), frame.dark_theme()
view = {"page": "map", "pillar": pillar, "measure": measure, "country": country or ""}
view |= {"release": selection.release, "region": selection.region, "income": selection.income}


def select_from_map() -> None:
    points = st.session_state["map_chart"].selection.points
    if points:
        st.session_state["country"] = points[0].get("location") or points[0]["customdata"][0]


def map_section():
    figure, shown = figures.view_map(version, view, present, dark)
    timeline = st.session_state.get("timeline")
    caption = f"**{PILLAR_NAMES[pillar]} · {measures.get(measure, '')}**"
    when = f"release **{mapview.following(selection.release)}**"  # follows the timeline
    if timeline:  # Play: every release in the browser, the slider under the map says which
        frames = figures.timeline_frames(version, view, present, dark)
        figure = maps.add_timeline(figure, frames, releases.index(selection.release), SPEEDS[speed])
        when += f" (Play steps through all {len(releases)} releases in your browser)"
    st.markdown(f"{caption} · {when} · {selection.describe()}", unsafe_allow_html=True)
    mapview.map_chart(
        figure,
        present=present,
        stage="map_stage",
        reserve_px=300,
        key="map_chart",
        on_select=select_from_map,
        selection_mode="points",
        config=mapview.plotly_config(version, f"dpi-map-{pillar}"),
    )
    if timeline:
        mapview.autoplay(timeline, "map_stage")
        mapview.follow_timeline("map_stage", selection.release, "timeline_sync", follow_release)
    return shown


def follow_release(release: str) -> None:  # the animation stopped: the page follows the slider
    st.session_state["release"] = release


map_column, panel = st.columns([3, 1]) if country else (st.container(), None)
with map_column:
    map_frame = map_section()
if panel is not None:
    with panel:
        frame.country_panel(version, selection.release, country, pillar)
deckui.slide_tools(version, view, releases)

st.subheader("Table")
extra = measures[measure] if pillar != "stack" and measure != "status" else None
if pillar == "stack":
    table = map_frame[["name", "iso3", "implemented", "dpi_like_pillars", *PILLARS]].rename(
        columns={
            "name": "Country",
            "iso3": "ISO3",
            "implemented": "Pillars implemented",
            "dpi_like_pillars": "DPI-like pillars",
        }
    )
else:
    table = tables.status_table(map_frame, extra)
st.dataframe(table, hide_index=True, width="stretch", height=320)
cite = queries.citation(version, selection.release)
st.download_button(
    "Download this table (CSV)",
    tables.csv_with_citation(table, cite),
    file_name=f"dpi-atlas-{pillar}-{selection.release}.csv",
    mime="text/csv",
)
frame.footer(selection)
