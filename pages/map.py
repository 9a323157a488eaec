"""Map explorer: one pillar (or the stack of all three), one measure, any release."""

import streamlit as st

from atlas import block_classes, block_queries, db, figures, frame, maps, mapview, queries, tables
from atlas.categories import PILLAR_NAMES, TECHNOLOGY_FIELD_LABELS
from atlas.outcome_figures import outcome_map_caption, outcome_map_table, outcome_source
from atlas.outcome_words import DEFAULT_SINCE, value_words
from atlas.present import deckui
from atlas.selection import is_outcome, measure_options, names, selected_iso3, universe

SPEEDS = {"0.5×": 3.2, "1×": 1.6, "2×": 0.8}  # seconds per release on the timeline
MEASURE_HELP = {
    "identity": "Status, DPI-like, what changed, the building block the system runs on, an "
    "outcome indicator (World Bank WDI) with implemented countries outlined, or a yes/no "
    "attribute of the DPI Map.",
    "payments": "Status, DPI-like, what changed, an outcome indicator (World Bank WDI) with "
    "implemented countries outlined, or a yes/no attribute. No building-block measure: the "
    "DPI Map's payments records name the operator and the type of system, never the "
    "technology.",
    "stack": "Pillars implemented, what changed since the previous release, or an outcome "
    "indicator (World Bank WDI; internet use is the enabling condition of the whole stack) "
    "with the countries that implemented all three pillars outlined.",
}

selection = frame.page_setup("Map explorer")
version = db.version()
country_names = names(version)
releases = queries.releases(version)

st.title("Map explorer")
# Row one: the pillar and the timeline; row two: the measure, wide enough for the longest
# attribute's name at 1280 px, and the country search.
top, play = st.columns([3, 1.3], vertical_alignment="bottom")
with top:
    pillar = frame.choose(
        st.segmented_control,
        "Pillar",
        frame.pillar_param("identity"),
        required=True,
        width="content",
    )
measures = measure_options(version, pillar)  # the stack: pillars implemented, or changes
left, right = st.columns([3, 2], vertical_alignment="bottom")
with left:
    measure = frame.choose(
        st.selectbox,
        "Measure",
        frame.measure_param(version, pillar),
        help=MEASURE_HELP.get(pillar, MEASURE_HELP["identity"]),
    )
with right:
    country = frame.choose(
        st.selectbox,
        "Zoom to country",
        frame.country_param(version),
        index=None,
        placeholder="Search: name, ISO3 code or another spelling…",
    )


def play_timeline() -> None:  # each click: a new number, so the browser presses play again
    st.session_state["timeline"] = st.session_state.get("timeline", 0) + 1


with play.container(horizontal=True, vertical_alignment="bottom", gap="small", wrap=False):
    speed = st.selectbox("Speed", list(SPEEDS), index=1, key="speed", width=84)
    st.button("Play", key="play", icon=":material/play_arrow:", on_click=play_timeline)
present, dark = frame.presenting(), frame.dark_theme()
view = {"page": "map", "pillar": pillar, "measure": measure, "country": country or ""}
view |= {"release": selection.release, "region": selection.region, "income": selection.income}
in_view = frame.require_countries(version, selection)
if country and country not in in_view:
    why = (
        f"is outside the filter ({selection.describe()})"
        if country in universe(version)
        else "is not counted (the World Bank does not classify it)"
    )
    frame.notice(
        f"{country_names[country]} {why}: its systems are listed, its shape is an outline."
    )


def select_from_map() -> None:
    points = st.session_state["map_chart"].selection.points
    if points:
        st.session_state["country"] = points[0].get("location") or points[0]["customdata"][0]


def map_section():
    figure, shown = figures.view_map(version, view, present, dark, frame.compact())
    timeline = st.session_state.get("timeline")
    what = f"{PILLAR_NAMES[pillar]} · {measures[measure]}"
    when = f"release **{mapview.following(selection.release)}**"  # follows the timeline
    if timeline:  # Play: every release in the browser, the slider under the map says which
        frames = figures.timeline_frames(version, view, present, dark)
        figure = maps.add_timeline(figure, frames, releases.index(selection.release), SPEEDS[speed])
        when += f" (Play steps through all {len(releases)} releases in your browser)"
    counted = len(selected_iso3(version, selection))
    st.markdown(
        f"**{what}** · {when} · {selection.describe()} ({counted} countries)",
        unsafe_allow_html=True,
    )
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
    if measure == "block":
        st.caption(block_caption(selection.release))
    elif is_outcome(measure):
        st.caption(outcome_map_caption(version, view))
    if timeline:
        mapview.autoplay(timeline, "map_stage")
        mapview.follow_timeline("map_stage", selection.release, "timeline_sync", follow_release)
    return shown


def block_caption(release: str) -> str:
    """What the Building block measure colours by, and the releases that lack the field."""
    field = TECHNOLOGY_FIELD_LABELS[pillar]
    gaps = block_classes.field_gaps(block_queries.published_fields(version), [release])
    return (
        f"Colour: what the system that gives each country its status runs on, from the DPI "
        f"Map's “{field}” field, matched to the reviewed catalogue of building blocks "
        f"(open digital public goods, other open source, named vendors). The hover names the "
        f"blocks and the cell as written; the Building blocks page adds the DPGA registry."
        + (f" This release's files lack the field ({gaps})." if gaps else "")
    )


def measure_note(iso3: str) -> str | None:
    """Under the country's systems: what the building-block or outcome map says of it."""
    row = map_frame[map_frame["iso3"] == iso3]
    if row.empty:
        return None
    if measure == "block":
        return f"**Building block:** {block_classes.tech_class_words(row).iloc[0]}"
    if is_outcome(measure):
        value, year = row["value"].iloc[0], row["year"].iloc[0]
        return f"**{measures[measure].removeprefix('Outcome: ')}:** " + value_words(
            value, year, since=DEFAULT_SINCE
        )
    return None


def follow_release(release: str) -> None:  # the animation stopped: the page follows the slider
    st.session_state["release"] = release


map_column, panel = st.columns([3, 1]) if country else (st.container(), None)
with map_column:
    map_frame = map_section()
if panel is not None:
    with panel:
        frame.country_panel(version, selection.release, country, pillar)
        note = measure_note(country)
        if note:
            st.markdown(note)
deckui.slide_tools(version, view, releases)

st.subheader("Table")
cite = queries.citation(version, selection.release)
file_measure = measure  # the columns the file adds (tables.map_download): an attribute by its id
if is_outcome(measure):  # the value, its year and the pillar's status; both sources cited
    table, cite = outcome_map_table(version, view, map_frame)
elif pillar == "stack":
    table, file_measure = tables.stack_table(map_frame), None
elif measure == "block":
    words = block_classes.tech_class_words(map_frame)
    table = tables.status_table(map_frame, "Building block", words)
    cite += " Building blocks: DPI Atlas's reviewed catalogue (data/reference/), from the DPI Map's own field."
else:
    table = tables.status_table(map_frame, measures[measure] if measure != "status" else None)
    file_measure = measure.removeprefix("attr:") if measure.startswith("attr:") else None
st.dataframe(table, hide_index=True, width="stretch", height=320)
what = pillar if pillar == "stack" else f"{pillar}-{measure.replace(':', '-')}"
st.download_button(
    "Download this table (CSV)",
    lambda: tables.csv_download(  # made when clicked, not on every rerun
        tables.map_download(map_frame, selection.release, pillar, file_measure),
        cite,
        selection.describe(),
    ),
    file_name=tables.download_name(what, selection, "csv"),
    mime="text/csv",
    on_click="ignore",  # no rerun: a rerun would revoke the file being made
    icon=":material/download:",
    help="One row per country, plain values (ISO3, status ids, true/false), with the "
    "selection and the citation in their own columns: opens as is in pandas, R or Excel.",
)
frame.footer(selection, outcome_source(version, measure))
