"""Warehouse frames -> the per-country frames a map draws: category, hover text, geometry
helpers. Pure pandas."""

import pandas as pd

from atlas.categories import (
    PILLAR_LABELS,
    PILLARS,
    STATUS_LABELS,
    YES_NO_LABELS,
    dpi_suffix,
    status_category,
    yes_no_category,
    yes_no_words,
)

GEO_COLUMNS = ["iso3", "area_km2", "lat", "lon", "has_geometry"]


def pillar_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str) -> pd.DataFrame:
    """Per country: the pillar's status category and hover text, with geometry helpers."""
    frame = long[long["pillar"] == pillar].copy()
    frame["category"] = status_category(frame["status"], frame["dpi_like"])
    frame["hover"] = status_hover(frame, pillar)
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def attribute_map_frame(
    long: pd.DataFrame, countries: pd.DataFrame, pillar: str, values: pd.DataFrame, label: str
) -> pd.DataFrame:
    """Per country: yes / no / unknown / not assessed for one attribute of the pillar."""
    frame = pillar_map_frame(long, countries, pillar).merge(values, on="iso3", how="left")
    assessed = frame["status"] != "not_assessed"
    frame["category"] = yes_no_category(frame["value_bool"], assessed)
    frame["hover"] = (
        frame["hover"] + "<br><b>" + label + ": " + frame["category"].map(YES_NO_LABELS) + "</b>"
    )
    return frame


def dpi_like_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str, assessed: bool):
    """Per country: whether the pillar has a DPI-like system (NULL flags are 'unknown')."""
    frame = pillar_map_frame(long, countries, pillar)
    has_record = frame["status"] != "not_assessed"
    value = frame["dpi_like"] if assessed else pd.Series(None, index=frame.index, dtype="boolean")
    frame["category"] = yes_no_category(value, has_record)
    return frame


def stack_frame(long: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Per country: how many of the three pillars are implemented, with the combination."""
    wide = long.pivot(index=["iso3", "name"], columns="pillar", values="status").reset_index()
    dpi = long.pivot(index="iso3", columns="pillar", values="dpi_like").add_suffix("_dpi")
    wide = wide.merge(dpi.reset_index(), on="iso3")
    implemented = sum((wide[p] == "implemented").astype(int) for p in PILLARS)
    dpi_count = sum(wide[f"{p}_dpi"].astype("boolean").fillna(False).astype(int) for p in PILLARS)
    assessed = sum((wide[p] != "not_assessed").astype(int) for p in PILLARS)
    wide["implemented"] = implemented
    wide["dpi_like_pillars"] = dpi_count
    wide["category"] = implemented.astype(str).where(assessed > 0, "not_assessed")
    lines = [
        "<br>"
        + PILLAR_LABELS[p]
        + ": "
        + wide[p].map(STATUS_LABELS)
        + dpi_suffix(wide[f"{p}_dpi"], " (DPI-like)")
        for p in PILLARS
    ]
    wide["hover"] = (
        "<b>"
        + wide["name"]
        + "</b><br>"
        + implemented.astype(str)
        + " of 3 pillars implemented"
        + sum(lines[1:], lines[0])
    )
    return wide.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def headline_counts(long: pd.DataFrame, iso3s: set[str]) -> pd.DataFrame:
    """Countries per pillar and category (pillar, category, n) within a selection."""
    frame = long[long["iso3"].isin(iso3s)].copy()
    frame["category"] = status_category(frame["status"], frame["dpi_like"])
    counts = frame.groupby(["pillar", "category"]).size().rename("n").reset_index()
    return counts


def status_hover(frame: pd.DataFrame, pillar: str) -> pd.Series:
    """Country, system name(s), status and last update, as HTML for the map's hover label."""
    systems = frame["systems"].fillna("no record in this release")
    updated = frame["last_updated"].astype(str).where(frame["last_updated"].notna(), "n/a")
    dpi = yes_no_words(frame["dpi_like"], "not assessed", lower=True)
    return (
        "<b>"
        + frame["name"]
        + "</b><br>"
        + PILLAR_LABELS[pillar]
        + ": "
        + frame["category"].map(STATUS_LABELS)
        + "<br>Systems: "
        + systems.str.wrap(60).str.replace("\n", "<br>")
        + "<br>DPI-like: "
        + dpi
        + "<br>Last updated: "
        + updated
    )
