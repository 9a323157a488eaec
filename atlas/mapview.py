"""Maps on the page: the local map assets plotly needs, and a map figure shown with a
server-drawn preview until plotly.js has loaded (preview.py).
"""

import time

import streamlit as st

from atlas import db, paths, preview, queries


def plotly_config(version: str, filename: str) -> dict:
    """The base map from the app itself (atlas/server.py; never a CDN), no plotly logo, and a
    1920x1080 PNG export button."""
    return {
        "topojsonURL": paths.asset_url(version),
        "displaylogo": False,
        "scrollZoom": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": 1920,
            "height": 1080,
            "scale": 1,
        },
    }


def map_chart(
    figure, *, stage: str, reserve_px: int, present: bool, below_px: int = 0, **plotly_args
):
    """A map figure in a stage box (see `stage_box`); `present`: filling a big screen down to
    the pinned footer, less `below_px` for what must stay visible under the map.

    The first map a browser session shows is also drawn on the server as plain SVG
    (preview.py) and laid over the chart's place: a fresh page has a map to look at while the
    browser loads plotly.js, and CSS hides the SVG once plotly has drawn its own map. Later
    reruns send only the CSS, so the chart keeps its place in the page.

    The preview of a figure is drawn once and kept (preview.Shapes.markup): figures are
    shared between visitors, so a crowd opening the same view costs one drawing."""
    height = stage_height(stage, reserve_px) if present else f"{figure.layout.height}px"
    first = not st.session_state.get("_map_preview_sent")
    st.session_state["_map_preview_sent"] = True
    with stage_box(stage, reserve_px, present, below_px):
        with st.container(key=f"{stage}_preview"):
            markup = PREVIEW_CSS.format(stage=stage, height=height) + "\n"
            if first:
                markup += map_shapes(db.version()).markup(figure, height)
            st.markdown(markup, unsafe_allow_html=True)
        if first:
            time.sleep(PREVIEW_LEAD_S)
        return st.plotly_chart(figure, height="stretch" if present else "content", **plotly_args)


# Streamlit's page shows elements that reach the browser together as one batch, and a batch
# holding a plotly chart waits until plotly.js has loaded (about 2 s on a fresh page here).
# A short pause keeps the preview out of the chart's batch: of 20 fresh loads measured, 3
# painted the preview only after plotly.js without it, none with it.
PREVIEW_LEAD_S = 0.05
# (The content below the map used to be held back 0.4 s more on a first run, so that the
# browser fetched the map's code first: 0.12-0.22 s sooner preview on an idle server, but
# 0.4 s longer to a finished page for every visitor; dropped for crowds, issue 10.)
# The preview lies over the chart's place (out of the page's flow) until plotly has drawn.
PREVIEW_CSS = """<style>
.st-key-{stage} {{position: relative; min-height: {height};}}
.st-key-{stage} > :has(> .st-key-{stage}_preview) {{position: absolute; inset: 0 0 auto 0; z-index: 2;}}
.st-key-{stage}:has(.js-plotly-plot .choroplethlayer path) > :has(> .st-key-{stage}_preview) {{
  display: none;}}
.st-key-{stage}:has(.map-preview) [data-testid="stSkeleton"],
.st-key-{stage}:has(.map-preview):not(:has(.choroplethlayer path)) .js-plotly-plot {{
  visibility: hidden;}}
</style>"""


@st.cache_resource(show_spinner=False)
def map_shapes(version: str) -> preview.Shapes:
    return preview.Shapes(queries.geojson(version))


FIT_MIN_PX = 280  # a map never shrinks below this, however much stands above it


def stage_height(key: str, reserve_px: int) -> str:
    """The CSS height of a presenting map: from its top to the pinned footer, as measured in
    the browser (frame.FIT_SCRIPT writes --fit-<key>); the screen less `reserve_px` until then."""
    return f"var(--fit-{key}, max({FIT_MIN_PX}px, calc(100vh - {reserve_px}px)))"


def stage_box(key: str, reserve_px: int, present: bool, below_px: int = 0):
    """A container whose plotly chart fills the screen down to the pinned footer when
    `present` (pair with st.plotly_chart(..., height="stretch") and maps.stage_map), leaving
    `below_px` under it."""
    if present:
        st.html(
            f"<style>.st-key-{key} [data-testid='stPlotlyChart'] "
            f"{{height: {stage_height(key, reserve_px)} !important;}}</style>"
        )
        register = f"['{key}', {int(below_px)}, {FIT_MIN_PX}]"
        st.html(
            f"<script>(window.__dpiFitQueue = window.__dpiFitQueue || []).push({register});"
            f"window.__dpiFit && window.__dpiFit.add(...{register});</script>",
            unsafe_allow_javascript=True,
        )
    return st.container(key=key)


def autoplay(nonce: int, key: str) -> None:
    """Press the play button of the timeline in container `key` once it is drawn (runs again
    only when `nonce` changes: the browser animates, the server is not involved). Plotly's own
    play and pause buttons stay hidden: the page's Play button is the one control."""
    st.html(f"<style>.st-key-{key} .updatemenu-container {{display: none;}}</style>")
    st.html(
        f"""<script>/* play {nonce} */
        (() => {{
          let tries = 0;
          const timer = setInterval(() => {{
            const root = document.querySelector(".st-key-{key}");
            const painted = root && root.querySelectorAll("path.choroplethlocation").length;
            const button = root && root.querySelector(".updatemenu-button");
            const plot = root && root.querySelector(".js-plotly-plot");  // its follower first
            const followed = !document.querySelector(".timeline-release") || (plot && plot.__dpiTimeline);
            if ((button && painted && followed) || ++tries > 150) {{
              clearInterval(timer);
              if (button) button.dispatchEvent(new MouseEvent("click", {{bubbles: true}}));
            }}
          }}, 100);
        }})();</script>""",
        unsafe_allow_javascript=True,
    )


# The timeline's frames follow each other in the browser; this component (Streamlit's
# components v2: plain JavaScript in the page, no iframe, nothing fetched) makes the page
# follow them: every element with class "timeline-release" (the caption above the map, the
# pinned citation) shows the release of the frame on screen, and when the animation stops on
# another release than the page's, it tells the server, whose callback sets the page's
# release (sidebar, table, citation) to it.
TIMELINE_JS = """
export default function (component) {
  const {data, setTriggerValue} = component;
  const follow = (release) => {
    for (const element of document.querySelectorAll(".timeline-release")) {
      if (element.textContent !== release) element.textContent = release;
    }
  };
  let tries = 0, graph = null;
  const stopped = () => {
    const slider = graph._fullLayout.sliders && graph._fullLayout.sliders[0];
    const release = slider && slider.steps[slider.active] ? slider.steps[slider.active].label : null;
    if (!release) return;
    follow(release);
    if (release !== data.release) setTriggerValue("release", release);
  };
  const frame = (event) => event && event.name && follow(event.name);
  const attach = () => {
    graph = document.querySelector(`.st-key-${data.stage} .js-plotly-plot`);
    if (!graph || !graph.on || !graph._fullLayout) return false;
    if (graph.__dpiTimeline) graph.__dpiTimeline();
    graph.on("plotly_animatingframe", frame);
    graph.on("plotly_animated", stopped);
    graph.__dpiTimeline = () => {
      graph.removeListener("plotly_animatingframe", frame);
      graph.removeListener("plotly_animated", stopped);
    };
    return true;
  };
  const timer = setInterval(() => { if (attach() || ++tries > 300) clearInterval(timer); }, 100);
  return () => {
    clearInterval(timer);
    if (graph && graph.__dpiTimeline) graph.__dpiTimeline();
  };
}
"""
_timeline_sync = st.components.v2.component("dpi_timeline_sync", js=TIMELINE_JS)


def follow_timeline(stage: str, release: str, key: str, on_stop) -> None:
    """Make the page follow the timeline animated in container `stage`: captions marked
    class="timeline-release" show the frame on screen; `on_stop(release)` runs when the
    animation stops on another release than `release` (the page's)."""

    def stopped() -> None:
        chosen = st.session_state[key]["release"]
        if chosen:
            on_stop(chosen)

    _timeline_sync(
        key=key,
        data={"stage": stage, "release": release},
        on_release_change=stopped,
        height=0,
    )


def following(release: str) -> str:
    """`release` marked up to follow the timeline (see follow_timeline)."""
    return f'<span class="timeline-release">{release}</span>'
