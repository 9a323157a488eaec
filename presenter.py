"""Presenter helpers: decks from data/decks/, slide views drawn from the warehouse, the offline
1920x1080 slide export, and "save this view as a slide".

Pages call these; decks.py (pure) parses and checks the deck files.
"""

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly
import plotly.graph_objects as go
import streamlit as st

import charts
import decks
import mapview
import queries
import ui
import views
from etl.vocabulary import PILLAR_LABELS, PILLARS
from queries import ALL, Selection

ROOT = Path(__file__).resolve().parent
# The map explorer's option labels: bound widgets put labels, not codes, in the address.
PILLAR_NAMES = {**PILLAR_LABELS, "stack": "All three (stack)"}
MEASURE_NAMES = {"status": "Implementation status", "dpi_like": "DPI-like system"}
NEW_DECK = "new"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


# ------------------------------------------------------------------ decks
def deck_dir() -> Path:
    return Path(os.environ.get("DPI_DECKS") or ROOT / "data" / "decks")


def deck_names() -> dict[str, Path]:
    return decks.deck_files(deck_dir())


def load_deck(name: str) -> decks.Deck:
    """The named deck file plus the slides saved in this session (DeckError if malformed)."""
    path = deck_names().get(name)
    deck = decks.load_deck(path, ROOT) if path else decks.Deck("My deck", (), "(new deck)")
    for slide in st.session_state.get("added_slides", []):
        deck = decks.with_slide(deck, slide)
    return deck


@st.cache_data(show_spinner=False)
def catalogue(version: float) -> decks.Catalogue:
    releases = queries.releases(version)
    return decks.Catalogue(
        releases=releases,
        facts=set(queries.presenter_facts(version, releases[-1])),
        regions=set(queries.region_options(version)) - {ALL},
        incomes=set(queries.income_options(version)) - {ALL},
        countries=set(queries.countries(version)["iso3"]),
        attributes={p: set(queries.yes_no_attributes(version, p)) for p in PILLARS},
    )


def resolve(version: float, slide: decks.Slide) -> dict[str, str]:
    """The slide's view with defaults filled in and 'latest'/'previous'/'first' resolved."""
    params = slide.params
    overview = params.get("page") == "overview"
    return {
        "page": params.get("page", "map"),
        "release": decks.resolve_release(params.get("release"), queries.releases(version)),
        "pillar": "stack" if overview else params.get("pillar", "identity"),
        "measure": "status" if overview else params.get("measure", "status"),
        "region": params.get("region", ALL),
        "income": params.get("income", ALL),
        "country": params.get("country", ""),
    }


def selection_of(view: dict[str, str]) -> Selection:
    return Selection(release=view["release"], region=view["region"], income=view["income"])


def caption(version: float, slide: decks.Slide, view: dict[str, str]) -> str:
    facts = queries.presenter_facts(version, view["release"], view["region"], view["income"])
    return decks.fill_caption(slide.caption, facts)


def deep_link(version: float, slide: decks.Slide) -> str:
    """Relative URL that opens the slide's view on its page, in the app's own address form
    (option labels, as the bound widgets write them); 'latest' follows the newest release."""
    params, view = slide.params, resolve(version, slide)
    link = {}
    if view["page"] == "map":
        link["pillar"] = PILLAR_NAMES[view["pillar"]]
        if view["pillar"] != "stack":
            link["measure"] = measure_label(version, view["pillar"], view["measure"])
        if view["country"]:
            names = queries.countries(version).set_index("iso3")["name"]
            link["country"] = names.get(view["country"], view["country"])
    if params.get("release", "latest") != "latest":
        link["release"] = view["release"]
    link |= {k: view[k] for k in ("region", "income") if view[k] != ALL}
    if ui.presenting():
        link["present"] = "true"
    path = "./" if view["page"] == "overview" else f"./{view['page']}"  # the default page: /
    return path + (f"?{urlencode(link)}" if link else "")


# ------------------------------------------------------------------ the map of a view
def measure_label(version: float, pillar: str, measure: str) -> str:
    if pillar == "stack":
        return "pillars implemented"
    if measure.startswith("attr:"):
        return queries.yes_no_attributes(version, pillar).get(measure[5:], measure[5:])
    return MEASURE_NAMES.get(measure, measure)


def view_frame(version: float, view: dict[str, str]) -> tuple[pd.DataFrame, str]:
    """Per country: the category a view colours it by, with the legend kind to use."""
    selection, pillar, measure = selection_of(view), view["pillar"], view["measure"]
    countries = queries.countries(version)
    long = queries.status_long(version, view["release"])
    long = long[long["iso3"].isin(queries.selected_iso3(version, selection))]
    if pillar == "stack":
        return views.stack_frame(long, countries), "stack"
    if measure == "status":
        return views.pillar_map_frame(long, countries, pillar), "status"
    if measure == "dpi_like":
        assessed = queries.assessed_dpi_like(version, view["release"]).get(pillar, False)
        return views.dpi_like_map_frame(long, countries, pillar, assessed), "yes_no"
    values = queries.attribute_by_country(version, view["release"], pillar, measure[5:])
    label = measure_label(version, pillar, measure)
    return views.attribute_map_frame(long, countries, pillar, values, label), "yes_no"


def view_map(version: float, view: dict[str, str], present: bool) -> tuple[go.Figure, pd.DataFrame]:
    """The choropleth a view shows (map explorer, deck slides, exports) and its frame.

    Shared, not copied, between reruns and sessions: do not change the figure in place."""
    return _view_map(version, tuple(sorted(view.items())), present)


# A resource cache hands back the same object: st.cache_data would copy the figure, and plotly
# validates every property of a copy again, which costs more than the query and the frame.
@st.cache_resource(show_spinner=False, max_entries=64)
def _view_map(version: float, items: tuple, present: bool) -> tuple[go.Figure, pd.DataFrame]:
    view = dict(items)
    frame, kind = view_frame(version, view)
    selection, country = selection_of(view), view["country"] or None
    in_view = queries.selected_iso3(version, selection)
    bounds = queries.country_bounds(version)
    codes = [country] if country else (in_view if selection.filtered else [])
    focus = charts.union_bounds([bounds[c] for c in codes if c in bounds])
    countries = set(queries.countries(version)["iso3"])
    outside = sorted(countries - in_view) if selection.filtered else None
    legend = charts.map_legend(kind, present)
    figure = charts.category_map(
        frame, mapview.GEOJSON_URL, legend, focus=focus, selected=country, outside=outside
    )
    return (charts.stage_map(figure) if present else figure), frame


def timeline_frames(version: float, view: dict[str, str], present: bool) -> list[tuple]:
    """(release, traces) for every release: the frames of the map's timeline animation."""
    return _timeline_frames(version, {k: v for k, v in view.items() if k != "release"}, present)


@st.cache_data(show_spinner=False, max_entries=16)
def _timeline_frames(version: float, view: dict[str, str], present: bool) -> list[tuple]:
    return [
        (release, [trace.to_plotly_json() for trace in figure.data])
        for release in queries.releases(version)
        for figure in [view_map(version, view | {"release": release}, present)[0]]
    ]


def autoplay(nonce: int, key: str) -> None:
    """Press the play button of the timeline in container `key` once it is drawn (runs again
    only when `nonce` changes: the browser animates, the server is not involved)."""
    st.html(
        f"""<script>/* play {nonce} */
        (() => {{
          let tries = 0;
          const timer = setInterval(() => {{
            const root = document.querySelector(".st-key-{key}");
            const painted = root && root.querySelectorAll("path.choroplethlocation").length;
            const button = root && root.querySelector(".updatemenu-button");
            if ((button && painted) || ++tries > 150) {{
              clearInterval(timer);
              if (button) button.dispatchEvent(new MouseEvent("click", {{bubbles: true}}));
            }}
          }}, 100);
        }})();</script>""",
        unsafe_allow_javascript=True,
    )


def heading(version: float, view: dict[str, str]) -> str:
    what = measure_label(version, view["pillar"], view["measure"])
    scope = selection_of(view).describe()
    return f"{PILLAR_NAMES[view['pillar']]} · {what} · release {view['release']} · {scope}"


# ------------------------------------------------------------------ slide export (offline)
@st.cache_resource(show_spinner=False)
def ensure_plotly_js() -> Path:
    """Serve plotly.js locally (static/generated/) for the in-browser PNG export."""
    target = queries.STATIC_DIR / "plotly.min.js"
    if not target.exists() or target.stat().st_size != PLOTLY_JS.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(PLOTLY_JS, tmp)
        tmp.replace(target)
    return target


EXPORT_HTML = """
<style>
body {margin: 0; font-family: "Source Sans Pro", "Source Sans 3", sans-serif;}
button {font: inherit; font-size: 14px; height: 40px; padding: 0 12px; white-space: nowrap;
  border-radius: 8px; cursor: pointer; border: 1px solid rgba(49, 51, 63, 0.2);
  background: #fff; color: #31333f;}
button:hover {border-color: #0072B2; color: #0072B2;} #msg {margin-left: 8px; color: #555;}
</style>
<button id="export" title="Title, legend, release and citation in the image. Made in your
browser: works offline."><svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true"
style="vertical-align:-2px;margin-right:6px"><path fill="currentColor"
d="M12 16l-5-5h3V4h4v7h3l-5 5zm-7 2h14v2H5z"/></svg>Download slide (PNG 1920&times;1080)</button>
<span id="msg"></span>
<script>
const figure = __FIGURE__, fileName = __NAME__;
const base = new URL("__STATIC__", window.parent.location.href).href;
function loadPlotly() {
  return new Promise((resolve, reject) => {
    if (window.Plotly) return resolve(window.Plotly);
    const script = document.createElement("script");
    script.src = base + "plotly.min.js";
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => reject(new Error("cannot load " + script.src));
    document.head.appendChild(script);
  });
}
document.getElementById("export").onclick = async () => {
  const msg = document.getElementById("msg");
  msg.textContent = "Drawing the slide…";
  try {
    const Plotly = await loadPlotly();
    for (const trace of figure.data) {
      if (typeof trace.geojson === "string") trace.geojson = new URL(trace.geojson, window.parent.location.href).href;
    }
    const url = await Plotly.toImage(
      {data: figure.data, layout: figure.layout, config: {topojsonURL: base}},
      {format: "png", width: __WIDTH__, height: __HEIGHT__});
    const link = document.createElement("a");
    link.href = url; link.download = fileName + ".png";
    document.body.appendChild(link); link.click(); link.remove();
    msg.textContent = "";
  } catch (error) {
    msg.textContent = "Export failed: " + error.message;
  }
};
</script>
"""


def export_button(
    version: float, view: dict, present: bool, texts: tuple[str, str, str], name: str
):
    """One click: a 1920x1080 PNG of the view with title, legend, release and citation in it
    (texts: title, subtitle, footer).

    Drawn by plotly.js in the browser from the app's own files: no server renderer, no CDN.
    """
    ensure_plotly_js()
    st.iframe(export_html(version, tuple(sorted(view.items())), present, texts, name), height=42)


@st.cache_data(show_spinner=False, max_entries=64)
def export_html(version: float, items: tuple, present: bool, texts: tuple, name: str) -> str:
    """The export button's page, cached: the slide figure costs ~0.1 s to build."""
    figure, _ = view_map(version, dict(items), present)
    slide = charts.slide_figure(figure, *texts)
    width, height = charts.SLIDE_SIZE
    return (  # "</" escaped: text from the data can never close the script element
        EXPORT_HTML.replace("__FIGURE__", slide.to_json().replace("</", "<\\/"))
        .replace("__NAME__", json.dumps(name).replace("</", "<\\/"))
        .replace("__STATIC__", mapview.STATIC_URL)
        .replace("__WIDTH__", str(width))
        .replace("__HEIGHT__", str(height))
    )


def slide_footer(version: float, release: str) -> str:
    cite = queries.citation(version, release)
    return f"<b>DPI Map release {release}</b> · Source: {cite} · Made with DPI Atlas"


# ------------------------------------------------------------------ tools under a map
def slide_tools(version: float, view: dict[str, str], releases: list[str]) -> None:
    """Under a map: download it as a slide (PNG), save it as a deck slide."""
    view = {
        "pillar": "stack",
        "measure": "status",
        "country": "",
        "region": ALL,
        "income": ALL,
    } | view
    if view["pillar"] == "stack" or view["page"] == "overview":
        view |= {"pillar": "stack", "measure": "status"}
    present = ui.presenting()
    what = measure_label(version, view["pillar"], view["measure"])
    title = f"{PILLAR_NAMES[view['pillar']]}: {what}"
    subtitle = f"{selection_of(view).describe()} · DPI Map release {view['release']}"
    name = f"dpi-atlas-{view['pillar']}-{view['release']}"
    with st.container(horizontal=True, vertical_alignment="center", key="slide_tools"):
        with st.container(width=260):
            footer = slide_footer(version, view["release"])
            export_button(version, view, present, (title, subtitle, footer), name)
        save_view_popover(version, view, title, releases)


# ------------------------------------------------------------------ save a view as a slide
PILLAR_NOUNS = {"identity": "a digital ID", "data_exchange": "data exchange"}
PILLAR_NOUNS["payments"] = "a payment system"


def default_caption(version: float, view: dict[str, str]) -> str:
    """A caption template for a saved view, with the facts that match what it shows."""
    pillar, measure = view.get("pillar", "stack"), view.get("measure", "status")
    if view.get("page") == "overview" or pillar == "stack":
        return "{all_three_pillars} of {countries} countries ({scope}) have implemented all three pillars."
    for fact, (fact_pillar, attribute) in queries.PRESENTER_ATTRIBUTE_FACTS.items():
        if (fact_pillar, f"attr:{attribute}") == (pillar, measure):
            label = measure_label(version, pillar, measure)
            return f"{label}: {{{fact}}} countries ({{scope}}, release {{release}})."
    return (
        f"{{implemented_{pillar}}} countries have implemented {PILLAR_NOUNS[pillar]}; "
        f"{{dpi_like_{pillar}}} of them are DPI-like."
    )


def save_view_popover(
    version: float, view: dict[str, str], title: str, releases: list[str]
) -> None:
    """'Save view as slide': appends the current view to the session's deck (Presenter page)."""
    allowed = decks.PAGES[view["page"]] - ({"measure"} if view.get("pillar") == "stack" else set())
    params = {k: v for k, v in view.items() if k in allowed and v not in (None, "", ALL)}
    params["page"] = view["page"]
    if params.get("release") == releases[-1]:
        params["release"] = "latest"
    with st.popover("Save view as slide", icon=":material/add_to_queue:"):
        slide_title = st.text_input("Slide title", title, key="save_slide_title")
        text = st.text_input(
            "Caption ({fact} placeholders are filled from the data)",
            default_caption(version, view),
            key="save_slide_caption",
            help="Facts: " + ", ".join("{" + f + "}" for f in sorted(catalogue(version).facts)),
        )
        if st.button("Add to deck", icon=":material/add:", key="save_slide"):
            problems = decks.caption_problems(text)
            unknown = (
                [] if problems else sorted(decks.caption_fields(text) - catalogue(version).facts)
            )
            if problems or unknown:
                st.error(problems[0] if problems else f"Unknown fact(s): {', '.join(unknown)}")
                return
            slide = decks.Slide(slide_title.strip() or title, text, decks.view_query(params))
            st.session_state.setdefault("added_slides", []).append(slide)
            count = len(st.session_state["added_slides"])
            st.success(f"Added. {count} saved slide(s): see the Presenter page.")
            ui.link_page("pages/present.py", "present", "Open Presenter", ":material/slideshow:")


# ------------------------------------------------------------------ the deck, under the slide
def deck_manager(version: float, deck: decks.Deck, name: str, view: dict[str, str]) -> None:
    """Outside presentation mode: the deck's slides, its download, and the caption facts."""
    added = st.session_state.get("added_slides", [])
    st.divider()
    st.subheader(f"Deck: {deck.title}")
    st.caption(f"{deck.source} · {len(deck.slides)} slides · {deck.description}")
    st.button(
        "Start presenting",
        icon=":material/slideshow:",
        type="primary",
        on_click=lambda: st.session_state.update(present=True),
        help="No sidebar, large type. Arrow keys (or a clicker's Page Down / Page Up) step "
        "through the slides.",
    )
    rows = [{"#": i, "Title": s.title, "View": s.view} for i, s in enumerate(deck.slides, 1)]
    st.dataframe(rows, hide_index=True, width="stretch")
    download, clear = st.columns([1, 1])
    download.download_button(
        "Download deck (.toml)",
        decks.dump_deck(deck),
        file_name=f"{name}.toml",
        mime="application/toml",
        icon=":material/download:",
        help="Put the file in data/decks/ to present it from there.",
    )
    if added:
        clear.button(
            f"Forget my {len(added)} saved slide(s)",
            on_click=lambda: st.session_state.pop("added_slides", None),
        )
    with st.expander("Caption facts: {placeholders} you can use, with their current values"):
        facts = queries.presenter_facts(version, view["release"], view["region"], view["income"])
        st.dataframe(
            [{"Placeholder": "{" + k + "}", "Value": str(v)} for k, v in sorted(facts.items())],
            hide_index=True,
            width="stretch",
        )
