"""The offline 1920x1080 slide export: a button drawn by plotly.js in the browser from the
app's own files (no server renderer, no CDN), with title, legend, release and citation."""

import json

import streamlit as st

from atlas import figures, maps, paths, queries

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


def export_button(version: str, view: dict, present: bool, texts: tuple[str, str, str], name: str):
    """One click: a 1920x1080 PNG of the view with title, legend, release and citation in it
    (texts: title, subtitle, footer).

    Drawn by plotly.js in the browser from the app's own files: no server renderer, no CDN.
    """
    st.iframe(export_html(version, tuple(sorted(view.items())), present, texts, name), height=42)


@st.cache_data(show_spinner=False, max_entries=64)
def export_html(version: str, items: tuple, present: bool, texts: tuple, name: str) -> str:
    """The export button's page, cached: the slide figure costs ~0.1 s to build."""
    figure, _ = figures.view_map(version, dict(items), present)
    slide = maps.slide_figure(figure, *texts)
    width, height = maps.SLIDE_SIZE
    return (  # "</" escaped: text from the data can never close the script element
        EXPORT_HTML.replace("__FIGURE__", slide.to_json().replace("</", "<\\/"))
        .replace("__NAME__", json.dumps(name).replace("</", "<\\/"))
        .replace("__STATIC__", paths.asset_url(version))
        .replace("__WIDTH__", str(width))
        .replace("__HEIGHT__", str(height))
    )


def slide_footer(version: str, release: str) -> str:
    cite = queries.citation(version, release)
    return f"<b>DPI Map release {release}</b> · Source: {cite} · Made with DPI Atlas"
