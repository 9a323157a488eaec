"""A plotly map figure drawn as plain SVG on the server: the picture a fresh page shows while
the browser is still loading plotly.js.

Streamlit's plotly bundle is 4.7 MB; on a modest laptop the browser needs well over a second
to load and run it before plotly can draw anything. This module draws the same figure, with
its shapes, fills, borders, markers, legend and framing (plotly's natural-earth and Mercator
projections, fitted to the geo axis ranges, centre and scale the way plotly fits them), so the
map is there at once; `mapview.map_chart` lays it over the chart's place and hides it as soon as
plotly has drawn.

Pure functions: a figure and a GeoJSON FeatureCollection in, markup out. No Streamlit.
"""

import html
import threading
from collections import OrderedDict
from dataclasses import dataclass
from math import radians
from urllib.parse import quote

import numpy as np
import plotly.graph_objects as go
import shapely

from etl.geometry import polygons, wrap

WIDTH = 2_500  # viewBox width: a unit is about half a pixel on a laptop-wide map
TOLERANCE = 1.0  # viewBox units a simplified outline may stray: well under a pixel
MARKUP_ENTRIES = 64  # previews kept per Shapes: figures in use at once x heights


@dataclass(frozen=True)
class Frame:
    """What part of the projected plane the chart shows: plotly fits the lon/lat range box
    into the chart, then centres `center` and zooms by `scale`."""

    projection: str
    rotation: float  # longitude at the middle of the map
    x: float  # left edge, in projected units (y grows upwards)
    top: float
    width: float
    height: float

    @property
    def aspect(self) -> float:
        return self.height / self.width


def project(projection: str, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Degrees -> the projection's plane (y up). Natural Earth I is Šavrič et al.'s polynomial."""
    lam, phi = np.radians(lon), np.radians(lat)
    if projection == "mercator":
        phi = np.clip(phi, radians(-85), radians(85))
        return lam, np.log(np.tan(np.pi / 4 + phi / 2))
    if projection != "natural earth":
        raise ValueError(f"no preview for the {projection!r} projection")
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def frame_of(geo: dict) -> Frame:
    """The visible window of a figure's `layout.geo` (as plain JSON)."""
    projection = geo.get("projection", {})
    kind = projection.get("type", "natural earth")
    rotation = projection.get("rotation", {}).get("lon", 0.0)
    lon_range = list(geo.get("lonaxis", {}).get("range") or [rotation - 180, rotation + 180])
    if lon_range[0] > lon_range[1]:  # across the antimeridian
        lon_range[1] += 360
    lat_range = geo.get("lataxis", {}).get("range") or [-90, 90]
    center = geo.get("center", {})
    centre_lon = float(wrap(center.get("lon", (lon_range[0] + lon_range[1]) / 2) - rotation))
    centre_lat = center.get("lat", (lat_range[0] + lat_range[1]) / 2)
    relative = np.array(lon_range, dtype=float) - rotation
    relative -= relative.mean() - wrap(relative.mean())
    box_lon, box_lat = _range_box(relative, np.array(lat_range, dtype=float))
    x, y = project(kind, box_lon, box_lat)
    scale = projection.get("scale", 1.0)
    width, height = np.ptp(x) / scale, np.ptp(y) / scale
    cx, cy = project(kind, np.array([centre_lon]), np.array([centre_lat]))
    return Frame(kind, rotation, float(cx[0] - width / 2), float(cy[0] + height / 2), width, height)


def _range_box(lon: np.ndarray, lat: np.ndarray, steps: int = 64):
    """The outline of the lon/lat range as plotly draws it: a ring whose edges are great
    circles (so an edge along a parallel bows towards the pole), densely sampled."""
    pad = 1e-3
    lon0, lon1, lat0, lat1 = lon[0] + pad, lon[1] - pad, lat[0] + pad, lat[1] - pad
    quarter = (lon1 - lon0) / 4
    corners = [(lon0, lat0), (lon0, lat1)]
    corners += [(lon0 + i * quarter, lat1) for i in (1, 2, 3)] + [(lon1, lat1), (lon1, lat0)]
    corners += [(lon1 - i * quarter, lat0) for i in (1, 2, 3)] + [(lon0, lat0)]
    points = [_great_circle(a, b, steps) for a, b in zip(corners, corners[1:], strict=False)]
    stacked = np.vstack(points)
    return stacked[:, 0], stacked[:, 1]


def _great_circle(a, b, steps: int) -> np.ndarray:
    va, vb = _vector(*a), _vector(*b)
    angle = np.arccos(np.clip(va @ vb, -1, 1))
    t = np.linspace(0, 1, steps)[:, None]
    if angle < 1e-9:
        return np.array([a] * steps)
    v = (np.sin((1 - t) * angle) * va + np.sin(t * angle) * vb) / np.sin(angle)
    lat = np.degrees(np.arcsin(np.clip(v[:, 2], -1, 1)))
    lon = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    lon = a[0] + np.degrees(np.unwrap(np.radians(lon - a[0])))  # stay on the side it started
    return np.column_stack([lon, lat])


def _vector(lon: float, lat: float) -> np.ndarray:
    lam, phi = radians(lon), radians(lat)
    return np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


class Shapes:
    """A GeoJSON FeatureCollection's rings, ready to project; path data cached per frame."""

    def __init__(self, geojson: dict):
        self.rings: dict[str, list[np.ndarray]] = {}
        for feature in geojson["features"]:
            key = str(feature.get("id") or feature["properties"].get("iso3"))
            rings = [ring for polygon in polygons(feature["geometry"]) for ring in polygon]
            self.rings[key] = [np.asarray(ring, dtype=float) for ring in rings]
        self._paths: dict[Frame, dict[str, str]] = {}
        self._markup: OrderedDict[tuple[int, str], tuple[go.Figure, str]] = OrderedDict()
        self._lock = threading.Lock()

    def markup(self, figure: go.Figure, height: str) -> str:
        """`map_html(figure, self, height)`, drawn once per figure object and kept: the app's
        figures are cached and shared between visitors and never changed in place
        (atlas/figures.py), so every visitor of a view gets the same preview without drawing
        it again. An entry holds its figure, so an id is never mistaken for a newer object's."""
        key = (id(figure), height)
        with self._lock:
            found = self._markup.get(key)
            if found is not None and found[0] is figure:
                self._markup.move_to_end(key)
                return found[1]
        markup = map_html(figure, self, height)
        with self._lock:
            self._markup[key] = (figure, markup)
            while len(self._markup) > MARKUP_ENTRIES:
                self._markup.popitem(last=False)
        return markup

    def paths(self, frame: Frame) -> dict[str, str]:
        """iso3 -> SVG path data in the frame's viewBox (0 0 WIDTH WIDTH*aspect), for the
        shapes that fall inside it."""
        if frame not in self._paths:
            if len(self._paths) > 64:
                self._paths.clear()
            self._paths[frame] = {
                key: d for key, rings in self.rings.items() if (d := _path(rings, frame))
            }
        return self._paths[frame]


def _to_view(frame: Frame, lon: np.ndarray, lat: np.ndarray):
    """Degrees (already turned by the frame's rotation) -> viewBox units."""
    x, y = project(frame.projection, lon, lat)
    unit = WIDTH / frame.width
    return (x - frame.x) * unit, (frame.top - y) * unit


def _path(rings: list[np.ndarray], frame: Frame) -> str:
    parts = []
    for ring in rings:
        lon = ring[:, 0] - frame.rotation
        lon = lon - (lon.mean() - wrap(lon.mean()))  # keep a ring whole, on its own side
        x, y = _to_view(frame, lon, ring[:, 1])
        if x.max() < 0 or x.min() > WIDTH or y.max() < 0 or y.min() > WIDTH * frame.aspect:
            continue
        line = shapely.simplify(shapely.linestrings(x, y), TOLERANCE, preserve_topology=False)
        points = np.round(shapely.get_coordinates(line)).astype(int)
        px, py = points[:, 0], points[:, 1]
        steps = np.column_stack([np.diff(px), np.diff(py)])
        steps = steps[(steps != 0).any(axis=1)]
        if len(steps) < 2:
            continue
        parts.append(f"M{px[0]} {py[0]}l" + " ".join(map(str, steps.ravel().tolist())) + "z")
    return "".join(parts)


# ------------------------------------------------------------------ figure -> markup
def map_html(figure: go.Figure, shapes: Shapes, height: str) -> str:
    """The figure as a block of `height` (a CSS length): the map as an image, legend below.

    Meant for st.markdown(..., unsafe_allow_html=True), which drops inline SVG and data-URI
    images but keeps style sheets: so the SVG travels as a CSS background image. (st.html
    would keep neither, and its renderer loads later on a fresh page.)"""
    legend = legend_entries(figure)
    source = "data:image/svg+xml," + quote(map_svg(figure, shapes), safe=" =;,.-'()")
    names = ", ".join(name for name, _ in legend)
    font = figure.layout.legend.font.size or figure.layout.font.size or 13
    legend_px = round(1.44 * font + 10.2)  # plotly's one-row legend: 29 px at 13 px, 42 at 22
    top = figure.layout.margin.t or 0
    return (  # one style block, then one HTML block: no blank line, and no bare URL to link
        STYLE.replace("</style>", f'.map-preview-map {{background-image: url("{source}");}}\n')
        + "</style>\n"
        + f'<div class="map-preview" style="height:{height};padding-top:{top}px">'
        + f'<div class="map-preview-map" role="img" aria-label="{html.escape(f"Map: {names}")}" '
        + f'style="height:calc(100% - {legend_px}px)"></div>'
        + _legend(legend, font, legend_px)
        + "</div>"
    )


def legend_entries(figure: go.Figure) -> list[tuple[str, str]]:
    """(name, swatch CSS) in plotly's legend order: each category with countries (plotly
    leaves empty traces out), and the keys drawn as markers (the places outside the selection,
    an outcome map's outline), by legend rank."""
    entries = []
    for trace in figure.data:
        if not (trace.showlegend and trace.name):
            continue
        if trace.type == "choropleth" and _values(trace, "locations"):
            entries.append((trace.legendrank or 1000, trace.name, f"background:{_fill(trace)}"))
        elif trace.type == "scattergeo":
            marker = trace.marker
            open_ = str(marker.symbol or "").endswith("-open")
            fill = "transparent" if open_ else marker.color
            border = marker.color if open_ else (marker.line.color or marker.color)
            swatch = f"background:{fill};box-shadow:inset 0 0 0 1.5px {border}"
            entries.append((trace.legendrank or 1000, trace.name, swatch))
    return [(name, swatch) for _, name, swatch in sorted(entries, key=lambda e: e[0])]


def map_svg(figure: go.Figure, shapes: Shapes) -> str:
    """The figure's geo traces as a standalone SVG document, framed as plotly frames them."""
    frame = frame_of(figure.layout.geo.to_plotly_json())
    paths = shapes.paths(frame)
    layers = []
    for trace in figure.data:
        if trace.type == "choropleth":
            layers.append(_areas(trace, paths))
        elif trace.type == "scattergeo":
            layers.append(_markers(trace, frame))
    view_height = round(WIDTH * frame.aspect)
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' "
        f"viewBox='0 0 {WIDTH} {view_height}' preserveAspectRatio='xMidYMid meet'>"
        "<style>path{vector-effect:non-scaling-stroke}</style>"
        f"<clipPath id='frame'><rect width='{WIDTH}' height='{view_height}'/></clipPath>"
        "<g clip-path='url(#frame)' stroke-linejoin='round' fill-rule='evenodd'>"
        + "".join(layers)
        + "</g></svg>"
    )


STYLE = """<style>
.map-preview {box-sizing: border-box;}
.map-preview-map {width: 100%; background: center / contain no-repeat;}
.map-preview-legend {display: flex; flex-wrap: wrap; justify-content: center; gap: 2px 16px;
  align-items: center; width: fit-content; margin: 0 auto; padding: 0 10px;
  background: rgba(255,255,255,0.75); color: #1a1a1a; font-family: "Open Sans", sans-serif;}
.map-preview-legend i {display: inline-block; width: 1em; height: 1em; margin-right: 5px;
  vertical-align: -0.15em; border-radius: 2px;}
</style>"""


def _fill(trace: go.Choropleth) -> str:
    return trace.colorscale[0][1]


def _areas(trace: go.Choropleth, paths: dict[str, str]) -> str:
    drawn = [paths[iso3] for iso3 in _values(trace, "locations") if iso3 in paths]
    if not drawn:
        return ""
    fill = _fill(trace)
    line = trace.marker.line
    transparent = fill.replace(" ", "").endswith(",0)")
    return (
        f"<path fill='{'none' if transparent else fill}' stroke='{line.color or '#fff'}' "
        f"stroke-width='{line.width or 0.5}' d='{''.join(drawn)}'/>"
    )


def _markers(trace: go.Scattergeo, frame: Frame) -> str:
    """Round dots of the marker's pixel size whatever the map's scale: zero-length strokes
    with round caps and non-scaling widths (an outline dot under a fill dot). Points without
    a place (a legend key's [None]) are skipped, and so are open rings (an outcome map's ring
    round small implemented states: drawn by plotly once it has loaded)."""
    if str(trace.marker.symbol or "").endswith("-open"):
        return ""
    lon = np.asarray(_values(trace, "lon"), dtype=float) - frame.rotation
    lat = np.asarray(_values(trace, "lat"), dtype=float)
    placed = ~(np.isnan(lon) | np.isnan(lat))
    lon, lat = lon[placed], lat[placed]
    if not len(lon):
        return ""
    x, y = _to_view(frame, wrap(lon), lat)
    px, py = np.round(x).astype(int), np.round(y).astype(int)
    dots = "".join(f"M{a} {b}h0" for a, b in zip(px.tolist(), py.tolist(), strict=True))
    marker = trace.marker
    size, line = marker.size or 6, marker.line
    outline = size + 2 * (line.width or 0)
    return (
        f"<path stroke-linecap='round' stroke='{line.color or '#333'}' "
        f"stroke-width='{outline}' d='{dots}'/>"
        f"<path stroke-linecap='round' stroke='{marker.color or '#333'}' "
        f"stroke-width='{size}' d='{dots}'/>"
    )


def _values(trace, key: str) -> list:
    values = getattr(trace, key)
    return [] if values is None else list(values)


def _legend(entries: list[tuple[str, str]], font: int, height: int) -> str:
    items = "".join(
        f'<span><i style="{swatch}"></i>{html.escape(name)}</span>' for name, swatch in entries
    )
    style = f"font-size:{font}px;min-height:{height}px"
    return f'<div class="map-preview-legend" style="{style}">{items}</div>'
