"""Map explorer: one pillar (or the stack of all three), one measure, any release."""

import time

import streamlit as st

import charts
import presenter
import queries
import ui
import views
from etl.vocabulary import PILLAR_LABELS, PILLARS

SPEEDS = {"0.5×": 3.2, "1×": 1.6, "2×": 0.8}  # seconds per release while playing
PILLAR_OPTIONS = [*PILLARS, "stack"]
PILLAR_NAMES = {**PILLAR_LABELS, "stack": "All three (stack)"}

if last := st.session_state.pop("play_finished", None):  # playing ended: stay on the last
    st.session_state["release"] = last  # release (set before the bound widget reads the URL)
selection = ui.page_setup("Map explorer")
version = queries.database_version()
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
measures = {"status": "Implementation status", "dpi_like": "DPI-like system"}
if pillar != "stack":
    measures |= {f"attr:{k}": v for k, v in queries.yes_no_attributes(version, pillar).items()}
with middle:
    measure = st.selectbox(
        "Measure",
        list(measures),
        format_func=measures.get,
        key="measure",
        bind="query-params",
        disabled=pillar == "stack",
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


def toggle_playing() -> None:
    if st.session_state.pop("play_index", None) is None:
        st.session_state["play_index"] = 0


with play.container(horizontal=True, vertical_alignment="bottom", gap="small", wrap=False):
    speed = st.selectbox("Speed", list(SPEEDS), index=1, key="speed", width=84)
    playing = "play_index" in st.session_state
    st.button(
        "Stop" if playing else "Play",
        key="play",
        icon=":material/stop:" if playing else ":material/play_arrow:",
        on_click=toggle_playing,
        help="Step through every release, then stop at the latest",
    )
present = ui.presenting()


def select_from_map() -> None:
    points = st.session_state["map_chart"].selection.points
    if points:
        st.session_state["country"] = points[0].get("location") or points[0]["customdata"][0]


def map_figure(release: str):
    long = queries.status_long(version, release)
    in_view = queries.selected_iso3(version, selection)
    long = long[long["iso3"].isin(in_view)]
    if pillar == "stack":
        frame, legend = views.stack_frame(long, countries), charts.map_legend("stack", present)
    elif measure == "status":
        frame = views.pillar_map_frame(long, countries, pillar)
        legend = charts.map_legend("status", present)
    else:
        frame, legend = measure_frame(long, release), charts.map_legend("yes_no", present)
    bounds = queries.country_bounds(version)
    focus_codes = [country] if country else (in_view if selection.filtered else [])
    focus = charts.union_bounds([bounds[c] for c in focus_codes if c in bounds])
    outside = sorted(set(countries["iso3"]) - in_view) if selection.filtered else None
    figure = charts.category_map(
        frame, ui.GEOJSON_URL, legend, focus=focus, selected=country, outside=outside
    )
    return charts.stage_map(figure) if present else figure, frame


def measure_frame(long, release):
    if measure == "dpi_like":
        assessed = queries.assessed_dpi_like(version, release).get(pillar, False)
        return views.dpi_like_map_frame(long, countries, pillar, assessed)
    attribute = measure.removeprefix("attr:")
    values = queries.attribute_by_country(version, release, pillar, attribute)
    return views.attribute_map_frame(long, countries, pillar, values, measures[measure])


def map_section():
    index = st.session_state.get("play_index")
    release = releases[index] if index is not None else selection.release
    figure, frame = map_figure(release)
    caption = (
        f"**{PILLAR_NAMES[pillar]} · {measures.get(measure, '') if pillar != 'stack' else ''}**"
    )
    st.markdown(f"{caption} · release **{release}** · {selection.describe()}")
    if index is not None:
        st.progress(
            (index + 1) / len(releases), text=f"Playing release {index + 1} of {len(releases)}"
        )
    with ui.stage_box("map_stage", 300):
        st.plotly_chart(
            figure,
            key="map_chart",
            on_select=select_from_map,
            selection_mode="points",
            height="stretch" if present else "content",
            config=ui.plotly_config(f"dpi-map-{pillar}"),  # same during play: no remount
        )
    if index is not None:
        finish_playing(index)
    return frame


def finish_playing(index: int) -> None:
    if index + 1 < len(releases):
        st.session_state["play_index"] = index + 1
        return
    time.sleep(SPEEDS[speed])
    del st.session_state["play_index"]
    st.session_state["play_finished"] = releases[-1]
    st.rerun()


if "play_index" in st.session_state:
    # While playing, only the map reruns (no page flicker); otherwise a click on the map
    # reruns the whole page, so the country picker and side panel follow it.
    map_section = st.fragment(run_every=SPEEDS[speed])(map_section)

map_column, panel = st.columns([3, 1]) if country else (st.container(), None)
with map_column:
    frame = map_section()
if panel is not None:
    with panel:
        ui.country_panel(version, selection.release, country, pillar)
view = {"page": "map", "pillar": pillar, "measure": measure, "country": country or ""}
view |= {"release": selection.release, "region": selection.region, "income": selection.income}
presenter.slide_tools(version, view, releases)

st.subheader("Table")
extra = measures[measure] if pillar != "stack" and measure != "status" else None
if pillar == "stack":
    table = frame[["name", "iso3", "implemented", "dpi_like_pillars", *PILLARS]].rename(
        columns={
            "name": "Country",
            "iso3": "ISO3",
            "implemented": "Pillars implemented",
            "dpi_like_pillars": "DPI-like pillars",
        }
    )
else:
    table = views.status_table(frame, extra)
st.dataframe(table, hide_index=True, width="stretch", height=320)
cite = queries.citation(version, selection.release)
st.download_button(
    "Download this table (CSV)",
    views.csv_with_citation(table, cite),
    file_name=f"dpi-atlas-{pillar}-{selection.release}.csv",
    mime="text/csv",
)
ui.footer(selection)
