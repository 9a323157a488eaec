"""Longitudes on a circle, GeoJSON polygons and country zoom bounds (no GeoPandas: the app
imports this too).

The ETL writes every country's zoom bounds into the warehouse (`country_bounds`), so the app
does not compute them on a cold start. Logic as first written in the app's preview.py
(wrap, polygons), queries.py (main_bounds) and charts.py (union_bounds).
"""

import numpy as np

# A country's parts farther than this from its main part are left out of its bounds, so that
# zooming to France or Western Europe does not take in French Guiana and Reunion (nor the
# USA Hawaii, nor Russia or Fiji their few degrees across the antimeridian).
NEAR_DEGREES = 15

Bounds = tuple[float, float, float, float]  # (min lon, min lat, max lon, max lat)


def wrap(lon):
    """Longitudes (a number or an array) brought into -180..180."""
    return lon - 360 * np.round(np.asarray(lon) / 360)


def polygons(geometry: dict) -> list:
    """A GeoJSON Polygon or MultiPolygon's polygons (each a list of rings)."""
    coordinates = geometry["coordinates"]
    return [coordinates] if geometry["type"] == "Polygon" else coordinates


def main_bounds(geometry: dict) -> Bounds:
    """The bounds of a country's main part (the polygon with the largest bounding box) and
    the parts within NEAR_DEGREES of it, step by step."""
    rest = [box(polygon[0]) for polygon in polygons(geometry)]
    main = max(rest, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    near = [main]  # and every part within reach of a part already in (Indonesia's chain)
    while reached := [b for b in rest if any(gap(b, n) <= NEAR_DEGREES for n in near)]:
        near += reached
        rest = [b for b in rest if b not in reached]
    return union_bounds(near)


def box(ring) -> Bounds:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def gap(a: Bounds, b: Bounds) -> float:
    """Degrees between two boxes (0 when they touch or overlap)."""
    return max(0, a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3])


def union_bounds(bounds: list[Bounds]) -> Bounds | None:
    """The smallest (min lon, min lat, max lon, max lat) holding all `bounds`. Longitudes are
    on a circle: when the box is narrower across the antimeridian (Pacific regions), it is
    given that way, with max lon above 180."""
    if not bounds:
        return None
    merged: list[list[float]] = []
    for low, high in sorted((b[0], b[2]) for b in bounds):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    gaps = [(merged[i + 1][0] - merged[i][1], i) for i in range(len(merged) - 1)]
    widest, i = max(gaps, default=(0.0, -1))
    west, east = merged[0][0], merged[-1][1]
    if widest > west + 360 - east:  # the emptiest stretch is not across the antimeridian
        west, east = merged[i + 1][0], merged[i][1] + 360
    return (west, min(b[1] for b in bounds), east, max(b[3] for b in bounds))


def country_bounds(collection: dict) -> dict[str, Bounds]:
    """iso3 -> main_bounds of each feature of a GeoJSON FeatureCollection (id = iso3)."""
    return {f["id"]: main_bounds(f["geometry"]) for f in collection["features"]}
