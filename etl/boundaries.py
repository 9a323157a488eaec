"""Natural Earth admin-0 countries -> a small GeoJSON for the browser, and a per-ISO3 table.

GeoPandas and shapely are imported here and nowhere else.

Codes: a feature's ISO_A3_EH when it has one, else ADM0_A3_IS (the ISO view of the feature:
France and Norway get FRA and NOR; N. Cyprus, Somaliland, Ashmore and Cartier Is. and Indian
Ocean Ter. join CYP, SOM and AUS), then NE_CODES. A feature with no code (Siachen Glacier) is
left out. French Guiana, Guadeloupe, Martinique, Mayotte and Reunion are drawn as part of
France and Bonaire as part of the Netherlands, as in Natural Earth admin-0; Tuvalu is not in
the 1:50m file. Such ISO3s get has_geometry=False and a marker position from
data/reference/point_locations.csv.

Winding: exterior rings are clockwise (d3-geo, hence plotly.js, fills the outside of a
counter-clockwise ring), the opposite of RFC 7946.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas import paths
from etl import geometry
from etl.countries import read_groups
from etl.fetch import Cache
from etl.problems import ETLError, Problems

POINTS_CSV = paths.REFERENCE / "point_locations.csv"
POINT_COLUMNS = ["name", "iso3", "lat", "lon", "reason"]
NE_COLUMNS = ["ISO_A3_EH", "ADM0_A3_IS", "NAME_LONG", "POP_EST", "POP_YEAR"]
NE_CODES = {"KOS": "XKX"}  # NE's own code for Kosovo; World Bank and country_converter use XKX
NO_CODE = "-99"
GEO_COLUMNS = ["iso3", "has_geometry", "population", "population_year", "lat", "lon", "area_km2"]
TOLERANCE = 0.12  # degrees, for shapely.coverage_simplify (shared borders stay shared)
MIN_PART_DEG2 = 0.1  # islands smaller than this are dropped, unless a country's largest part
DECIMALS = 2
EQUAL_AREA_CRS = "ESRI:54009"  # Mollweide
BASE_LAYERS = ["land", "countries", "coastlines", "ocean", "lakes", "rivers", "subunits"]


@dataclass(frozen=True)
class Shapes:
    geojson: str  # every coded NE country, simplified, for the browser
    table: pd.DataFrame  # GEO_COLUMNS, one row per NE country


def normalise(manifest: dict, cache: Cache, problems: Problems) -> Shapes | None:
    """The Natural Earth file of the manifest (None, with the problem noted, if unreadable)."""
    with problems.collect():
        return read_shapes(cache.path(manifest["natural_earth"]["url"]))
    return None


def read_shapes(ne_geojson: Path) -> Shapes:
    countries = read_countries(ne_geojson)
    shapes = simplify_shapes(countries.geometry.to_numpy())
    geojson = feature_collection(countries["iso3"], countries["name"], shapes)
    return Shapes(geojson, locate_countries(countries))


def build_boundaries(ne_geojson: Path, iso3s: set[str]) -> tuple[str, pd.DataFrame]:
    """(GeoJSON of every coded NE country, GEO_COLUMNS table: NE countries plus iso3s)."""
    shapes = read_shapes(ne_geojson)
    return shapes.geojson, add_markers(shapes.table, iso3s)


def bounds_table(geojson: str) -> pd.DataFrame:
    """country_bounds: iso3, min_lon, min_lat, max_lon, max_lat of each drawn country's main
    part and the parts near it (etl.geometry.main_bounds); max_lon > 180 across the
    antimeridian."""
    bounds = geometry.country_bounds(json.loads(geojson))
    columns = ["min_lon", "min_lat", "max_lon", "max_lat"]
    frame = pd.DataFrame.from_dict(bounds, orient="index", columns=columns)
    return frame.rename_axis("iso3").reset_index().astype(dict.fromkeys(columns, float))


def map_assets(geojson: str) -> pd.DataFrame:
    """map_assets: the files the app serves to plotly.js (name, content)."""
    assets = {"countries.geojson": geojson, "world_110m.json": base_topojson()}
    return pd.DataFrame(list(assets.items()), columns=["name", "content"])


def read_countries(path: Path) -> gpd.GeoDataFrame:
    """One row per ISO3: iso3, name, population, population_year, geometry (EPSG:4326)."""
    try:
        frame = gpd.read_file(path, columns=NE_COLUMNS, engine="pyogrio")
    except Exception as exc:  # pyogrio raises its own error types for unreadable files
        raise ETLError(f"cannot read Natural Earth countries from {path}: {exc}") from exc
    missing = sorted(set(NE_COLUMNS) - set(frame.columns))
    if missing:
        raise ETLError(f"{path}: missing Natural Earth column(s) {missing}")
    frame["iso3"] = assign_codes(frame)
    return name_countries(dissolve_codes(frame[frame["iso3"].notna()]))


def assign_codes(frame: pd.DataFrame) -> pd.Series:
    own = frame["ISO_A3_EH"].where(frame["ISO_A3_EH"] != NO_CODE)
    code = own.fillna(frame["ADM0_A3_IS"].where(frame["ADM0_A3_IS"] != NO_CODE))
    return code.replace(NE_CODES)


def dissolve_codes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge features that share a code; the feature that owns the code names the country.

    The merged shape is the multipolygon of all the features' parts (no union: the map only
    fills them, and a union of every country costs a tenth of the build)."""
    owners_first = frame.assign(joined=frame["ISO_A3_EH"] != frame["iso3"]).sort_values(
        "joined", kind="stable"
    )
    aggregate = {"NAME_LONG": "first", "POP_EST": "sum", "POP_YEAR": "max"}
    merged = owners_first.groupby("iso3", sort=True).agg(aggregate).reset_index()
    parts, index = shapely.get_parts(owners_first.geometry.to_numpy(), return_index=True)
    owner = pd.Index(merged["iso3"]).get_indexer(owners_first["iso3"].to_numpy()[index])
    order = np.argsort(owner, kind="stable")
    shapes = shapely.multipolygons(parts[order], indices=owner[order])
    names = {"NAME_LONG": "name", "POP_EST": "population", "POP_YEAR": "population_year"}
    return gpd.GeoDataFrame(merged.rename(columns=names), geometry=shapes, crs=frame.crs)


def name_countries(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same short names as the countries table (NE's are dated: Swaziland, Macedonia)."""
    short = frame["iso3"].map(read_groups().set_index("iso3")["name"])
    return frame.assign(name=short.fillna(frame["name"]))


def simplify_shapes(geoms: np.ndarray) -> np.ndarray:
    """Coverage-simplified, small islands dropped, rounded, exterior rings clockwise."""
    simple = shapely.coverage_simplify(geoms, TOLERANCE)
    parts, owner = shapely.get_parts(simple, return_index=True)
    area = shapely.area(parts)
    keep = (area >= MIN_PART_DEG2) | is_largest(owner, area)
    shapes = shapely.multipolygons(round_parts(parts[keep]), indices=owner[keep])
    return shapely.orient_polygons(shapes, exterior_cw=True)


def is_largest(owner: np.ndarray, area: np.ndarray) -> np.ndarray:
    return pd.Series(area).groupby(owner).transform("max").to_numpy() == area


def round_parts(parts: np.ndarray) -> np.ndarray:
    """DECIMALS places; a part that would collapse keeps one more decimal (tiny islands)."""
    coarse = shapely.transform(parts, lambda xy: np.round(xy, DECIMALS))
    fine = shapely.transform(parts, lambda xy: np.round(xy, DECIMALS + 1))
    return np.where(shapely.area(coarse) > 0, coarse, fine)


def feature_collection(iso3s: pd.Series, names: pd.Series, shapes: np.ndarray) -> str:
    """Compact GeoJSON: id and properties.iso3 are the ISO3; properties.name a short name."""
    geometries = shapely.to_geojson(shapes)
    features = [
        f'{{"type":"Feature","id":"{iso3}","properties":'
        f"{json.dumps({'iso3': iso3, 'name': name}, ensure_ascii=False)},"
        f'"geometry":{geometry}}}'
        for iso3, name, geometry in zip(iso3s, names, geometries, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def locate_countries(countries: gpd.GeoDataFrame) -> pd.DataFrame:
    """GEO_COLUMNS for every NE country: population, marker position, area."""
    point = largest_parts(countries.geometry.to_numpy()).representative_point()
    table = pd.DataFrame(
        {
            "iso3": countries["iso3"],
            "has_geometry": True,
            "population": countries["population"].round().astype("Int64"),
            "population_year": countries["population_year"].astype("Int64"),
            "lat": point.y.round(3).to_numpy(),
            "lon": point.x.round(3).to_numpy(),
            "area_km2": (countries.to_crs(EQUAL_AREA_CRS).area / 1e6).round(1).to_numpy(),
        }
    )
    return table[GEO_COLUMNS]


def add_markers(table: pd.DataFrame, iso3s: set[str]) -> pd.DataFrame:
    """`table` plus a marker row for each of `iso3s` that Natural Earth does not draw."""
    missing = sorted(set(iso3s) - set(table["iso3"]))
    if not missing:
        return table
    return pd.concat([table, marker_rows(missing)], ignore_index=True)[GEO_COLUMNS]


def largest_parts(geoms: np.ndarray) -> gpd.GeoSeries:
    """Each country's largest polygon, so France's marker is in Europe, not in Guiana."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    largest = pd.Series(shapely.area(parts)).groupby(owner).idxmax().to_numpy()
    return gpd.GeoSeries(parts[largest], crs="EPSG:4326")


def marker_rows(iso3s: list[str], path: Path = POINTS_CSV) -> pd.DataFrame:
    """Rows for ISO3s without a shape, placed at the hand-written points."""
    points = read_points(path).set_index("iso3")
    unknown = [iso3 for iso3 in iso3s if iso3 not in points.index]
    if unknown:
        raise ETLError(
            f"no Natural Earth shape and no marker position for {', '.join(unknown)}; "
            "add it to data/reference/point_locations.csv (name,iso3,lat,lon,reason)"
        )
    rows = points.loc[iso3s, ["lat", "lon"]].reset_index()
    missing = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    return rows.assign(
        has_geometry=False, population=missing, population_year=missing, area_km2=np.nan
    )


def read_points(path: Path) -> pd.DataFrame:
    try:
        points = pd.read_csv(path, keep_default_na=False, dtype={"lat": float, "lon": float})
    except (OSError, ValueError) as exc:
        raise ETLError(f"cannot read {path}: {exc}") from exc
    if list(points.columns) != POINT_COLUMNS:
        raise ETLError(f"{path}: expected columns {','.join(POINT_COLUMNS)}")
    return points


def base_topojson() -> str:
    """The base map plotly.js fetches as <topojsonURL>/world_110m.json before drawing any geo
    trace. The dashboard draws every country from its own GeoJSON (outside-the-selection
    countries included) and shows no base layer, so every layer plotly.js may look up is
    present and empty: a few hundred bytes instead of a CDN request or a second world map.
    """
    objects = {name: {"type": "GeometryCollection", "geometries": []} for name in BASE_LAYERS}
    return json.dumps({"type": "Topology", "objects": objects, "arcs": []}, separators=(",", ":"))
