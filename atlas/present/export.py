"""The offline 1920x1080 slide export: a button drawn by plotly.js in the browser from the
app's own files (no server renderer, no CDN), with title, legend, release and citation."""

import json

import streamlit as st

from atlas import figures, outcome_figures, paths, queries, slide_image

EXPORT_HTML = """
<style>
:root {color-scheme: normal;}  /* a transparent canvas over the page */
body {margin: 0; background: transparent;
  font-family: "Source Sans Pro", "Source Sans 3", sans-serif;}
button {font: inherit; font-size: 14px; height: 40px; padding: 0 12px; white-space: nowrap;
  border-radius: 8px; cursor: pointer; border: 1px solid __BORDER__;
  background: __BACKGROUND__; color: __TEXT__;}
button:hover {border-color: __ACCENT__; color: __ACCENT__;} #msg {margin-left: 8px; color: __NOTE__;}
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


# The button follows the page's theme (Streamlit's secondary button, .streamlit/config.toml);
# the slide it draws is always the light, white-background slide.
BUTTON_THEMES = {
    False: {"BORDER": "rgba(49, 51, 63, 0.2)", "BACKGROUND": "#ffffff",
            "TEXT": "#31333f", "ACCENT": "#0072B2", "NOTE": "#555555"},
    True: {"BORDER": "rgba(250, 250, 250, 0.2)", "BACKGROUND": "#171614",
           "TEXT": "#edebe8", "ACCENT": "#56B4E9", "NOTE": "#b0aca6"},
}  # fmt: skip


def export_button(
    version: str,
    view: dict,
    present: bool,
    texts: tuple[str, str, str],
    name: str,
    dark: bool = False,
):
    """One click: a 1920x1080 PNG of the view with title, legend, release and citation in it
    (texts: title, subtitle, footer). `dark`: the button in the dark theme's colours.

    Drawn by plotly.js in the browser from the app's own files: no server renderer, no CDN.
    """
    html = export_html(version, tuple(sorted(view.items())), present, texts, name, dark)
    st.iframe(html, height=42)


@st.cache_data(show_spinner=False, max_entries=64)
def export_html(
    version: str, items: tuple, present: bool, texts: tuple, name: str, dark: bool = False
) -> str:
    """The export button's page, cached: the slide figure costs ~0.1 s to build."""
    figure, _ = figures.view_map(version, dict(items), present)
    slide = slide_image.slide_figure(figure, *texts)
    width, height = slide_image.SLIDE_SIZE
    html = EXPORT_HTML
    for name_, value in BUTTON_THEMES[bool(dark)].items():
        html = html.replace(f"__{name_}__", value)
    return (  # "</" escaped: text from the data can never close the script element
        html.replace("__FIGURE__", slide.to_json().replace("</", "<\\/"))
        .replace("__NAME__", json.dumps(name).replace("</", "<\\/"))
        .replace("__STATIC__", paths.asset_url(version))
        .replace("__WIDTH__", str(width))
        .replace("__HEIGHT__", str(height))
    )


def slide_footer(version: str, release: str, measure: str | None = None) -> str:
    """The slide image's citation: the DPI Map release, and an outcome measure's source."""
    cite = queries.citation(version, release)
    outcome = outcome_figures.outcome_source(version, measure)
    also = f" · {outcome}" if outcome else ""
    return f"<b>DPI Map release {release}</b> · Source: {cite}{also} · Made with DPI Atlas"
