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


def map_chart(figure, *, stage: str, reserve_px: int, present: bool, **plotly_args):
    """A map figure in a stage box (see `stage_box`); `present`: filling a big screen.

    The first map a browser session shows is also drawn on the server as plain SVG
    (preview.py) and laid over the chart's place: a fresh page has a map to look at while the
    browser loads plotly.js, and CSS hides the SVG once plotly has drawn its own map. Later
    reruns send only the CSS, so the chart keeps its place in the page.

    The preview of a figure is drawn once and kept (preview.Shapes.markup): figures are
    shared between visitors, so a crowd opening the same view costs one drawing."""
    height = f"max(420px, calc(100vh - {reserve_px}px))" if present else f"{figure.layout.height}px"
    first = not st.session_state.get("_map_preview_sent")
    st.session_state["_map_preview_sent"] = True
    with stage_box(stage, reserve_px, present):
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


def stage_box(key: str, reserve_px: int, present: bool):
    """A container whose plotly chart fills the screen's height minus `reserve_px` when
    `present` (pair with st.plotly_chart(..., height="stretch") and charts.stage_map)."""
    if present:
        st.html(
            f"<style>.st-key-{key} [data-testid='stPlotlyChart'] "
            f"{{height: max(420px, calc(100vh - {reserve_px}px)) !important;}}</style>"
        )
    return st.container(key=key)


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
