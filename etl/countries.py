"""Country names -> ISO3, and ISO3 -> name, region, income group, population and map position.

Names resolve in this order: data/reference/regional_names.csv (regional records such as
"Africa": no ISO3), data/reference/country_aliases.csv (reviewed corrections, each with a
reason), then country_converter. A name none of them knows stops the ETL.
"""

import logging
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from atlas import paths
from etl.fetch import Cache
from etl.problems import ETLError, Problem, Problems
from etl.reference import read_table
from etl.xlsx import read_sheet

ALIASES_CSV = paths.REFERENCE / "country_aliases.csv"
REGIONAL_CSV = paths.REFERENCE / "regional_names.csv"
ALIAS_COLUMNS = ["name", "iso3", "reason"]
REGIONAL_COLUMNS = ["name", "reason"]
MATCH_COLUMNS = ["name_raw", "iso3", "method"]
FIX = (
    "add it to data/reference/country_aliases.csv (name,iso3,reason) "
    "or data/reference/regional_names.csv (name,reason)"
)
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
ISO3 = "[A-Z]{3}"

CLASS_SHEET = "List of economies"
CLASS_COLUMNS = {
    "Code": "iso3",
    "Region": "region",
    "Income group": "income_group",
    "Lending category": "lending_category",
}
COCO_COLUMNS = {
    "ISO3": "iso3",
    "name_short": "name",
    "UNregion": "un_subregion",
    "Continent_7": "continent",
}
# UN M49: each geographic subregion (as country_converter names it) in its region.
UN_REGIONS = {
    "Africa": [
        "Eastern Africa",
        "Middle Africa",
        "Northern Africa",
        "Southern Africa",
        "Western Africa",
    ],
    "Americas": ["Caribbean", "Central America", "Northern America", "South America"],
    "Asia": ["Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia"],
    "Europe": ["Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"],
    "Oceania": ["Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"],
}
UN_REGION_OF_SUBREGION = {sub: region for region, subs in UN_REGIONS.items() for sub in subs}
GEO_COLUMNS = ["has_geometry", "population", "population_year", "lat", "lon", "area_km2"]
TABLE_COLUMNS = [
    "iso3",
    "name",
    "region",
    "income_group",
    "lending_category",
    "un_region",
    "un_subregion",
    "continent",
    *GEO_COLUMNS,
]


@cache
def converter():
    """country_converter is imported and built once, on first use."""
    import country_converter as coco

    logging.getLogger(coco.__name__).setLevel(logging.ERROR)  # misses are reported below
    return coco.CountryConverter()


def clean_name(name: str) -> str:
    """NFC, no zero-width characters, single spaces, no padding."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", str(name)))
    return " ".join(text.split())


def read_reference(path: Path, columns: list[str]) -> pd.DataFrame:
    """A committed reference table, with its columns checked and names cleaned."""
    table = read_table(path, columns)
    table["key"] = table["name"].map(clean_name).str.casefold()
    repeated = table.loc[table["key"].duplicated(), "name"].tolist()
    if repeated:
        raise ETLError(f"{path}: names listed more than once: {repeated}")
    return table


def read_aliases(path: Path) -> dict[str, str]:
    table = read_reference(path, ALIAS_COLUMNS)
    bad = ~table["iso3"].str.fullmatch(ISO3) | (table["reason"].str.strip() == "")
    if bad.any():
        names = table.loc[bad, "name"].tolist()
        raise ETLError(f"{path}: rows need an upper-case ISO3 code and a reason: {names}")
    return dict(zip(table["key"], table["iso3"], strict=True))


def read_regional(path: Path) -> set[str]:
    return set(read_reference(path, REGIONAL_COLUMNS)["key"])


def convert_names(names: list[str]) -> dict[str, str | None]:
    """One country_converter call for all names; a miss or an ambiguous match is None."""
    if not names:
        return {}
    valid = set(converter().data["ISO3"])
    found = converter().convert(names, src="regex", to="ISO3", enforce_list=True, not_found=None)
    return {
        n: (f[0] if len(f) == 1 and f[0] in valid else None)
        for n, f in zip(names, found, strict=True)
    }


def harmonise_countries(
    names: list[str],
    where: str,
    *,
    aliases_csv: Path = ALIASES_CSV,
    regional_csv: Path = REGIONAL_CSV,
    found_in: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per distinct raw name: name_raw, iso3 (None if regional), method.

    method is 'regional', 'alias' or 'library'. Every unknown name is reported in one ETLError,
    each with the file it was found in when `found_in` (name -> release, file) says.
    """
    raw = list(dict.fromkeys(names))
    cleaned = {name: clean_name(name) for name in raw}
    keys = {name: text.casefold() for name, text in cleaned.items()}
    regional, aliases = read_regional(regional_csv), read_aliases(aliases_csv)
    rest = sorted({cleaned[n] for n in raw if keys[n] not in regional and keys[n] not in aliases})
    library = convert_names(rest)
    rows = [match_name(n, keys[n], library.get(cleaned[n]), regional, aliases) for n in raw]
    unmatched = [n for n, row in zip(raw, rows, strict=True) if row is None]
    raise_unmatched(unmatched, where, found_in or {})
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def match_name(raw: str, key: str, found: str | None, regional: set, aliases: dict):
    if key in regional:
        return (raw, None, "regional")
    if key in aliases:
        return (raw, aliases[key], "alias")
    return (raw, found, "library") if found else None


def raise_unmatched(unmatched: list[str], where: str, found_in: dict[str, str]) -> None:
    if unmatched:
        listed = ", ".join(
            repr(name) + (f" (first in {found_in[name]})" if name in found_in else "")
            for name in unmatched
        )
        raise ETLError(Problem(where, f"{len(unmatched)} unknown country name(s): {listed}", FIX))


def normalise(manifest: dict, cache: Cache, problems: Problems) -> pd.DataFrame | None:
    """The World Bank CLASS economies (None, with the problem noted, if unreadable)."""
    with problems.collect():
        return read_class(cache.path(manifest["world_bank_class"]["url"]))
    return None


def country_table(iso3s: list[str], economies: pd.DataFrame, geo: pd.DataFrame) -> pd.DataFrame:
    """One row per ISO3 with TABLE_COLUMNS: country_converter's names and UN groups, the World
    Bank `economies` (read_class) and `geo` (etl.boundaries). NULL where a source has none."""
    table = pd.DataFrame({"iso3": sorted(set(iso3s))})
    table = table.merge(read_groups(), on="iso3", how="left")
    table = table.merge(economies, on="iso3", how="left")
    table = table.merge(geo[["iso3", *GEO_COLUMNS]], on="iso3", how="left")
    table["has_geometry"] = table["has_geometry"].astype("boolean").fillna(False).astype(bool)
    return table[TABLE_COLUMNS]


def read_groups() -> pd.DataFrame:
    """Short name, UN M49 subregion and region, and continent from country_converter."""
    groups = converter().data[list(COCO_COLUMNS)].rename(columns=COCO_COLUMNS)
    groups["un_region"] = groups["un_subregion"].map(UN_REGION_OF_SUBREGION)
    return groups


def read_class(path: Path) -> pd.DataFrame:
    """World Bank CLASS economies (aggregates, which have no Region, are skipped)."""
    try:
        header, *rows = read_sheet(path, CLASS_SHEET)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise ETLError(f"cannot read sheet {CLASS_SHEET!r} of {path}: {exc}") from exc
    sheet = pd.DataFrame([r + [None] * (len(header) - len(r)) for r in rows], columns=header)
    missing = sorted(set(CLASS_COLUMNS) - set(sheet.columns))
    if missing:
        raise ETLError(f"{path} sheet {CLASS_SHEET!r}: missing column(s) {missing}")
    economies = sheet.dropna(subset=["Region"])[list(CLASS_COLUMNS)].rename(columns=CLASS_COLUMNS)
    return economies.drop_duplicates("iso3")
