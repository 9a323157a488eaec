"""Warehouse frames -> the frames the pages draw (categories, hover text, tables). Pure pandas."""

import pandas as pd

import charts
from etl.vocabulary import PILLAR_LABELS, PILLARS, STATUS_LABELS

GEO_COLUMNS = ["iso3", "area_km2", "lat", "lon", "has_geometry"]


def pillar_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str) -> pd.DataFrame:
    """Per country: the pillar's status category and hover text, with geometry helpers."""
    frame = long[long["pillar"] == pillar].copy()
    frame["category"] = charts.status_category(frame["status"], frame["dpi_like"])
    frame["hover"] = charts.status_hover(frame, pillar)
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def attribute_map_frame(
    long: pd.DataFrame, countries: pd.DataFrame, pillar: str, values: pd.DataFrame, label: str
) -> pd.DataFrame:
    """Per country: yes / no / unknown / not assessed for one attribute of the pillar."""
    frame = pillar_map_frame(long, countries, pillar).merge(values, on="iso3", how="left")
    assessed = frame["status"] != "not_assessed"
    frame["category"] = charts.yes_no_category(frame["value_bool"], assessed)
    frame["hover"] = (
        frame["hover"]
        + "<br><b>"
        + label
        + ": "
        + frame["category"].map(charts.YES_NO_LABELS)
        + "</b>"
    )
    return frame


def dpi_like_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str, assessed: bool):
    """Per country: whether the pillar has a DPI-like system (NULL flags are 'unknown')."""
    frame = pillar_map_frame(long, countries, pillar)
    has_record = frame["status"] != "not_assessed"
    value = frame["dpi_like"] if assessed else pd.Series(None, index=frame.index, dtype="boolean")
    frame["category"] = charts.yes_no_category(value, has_record)
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
        + wide[f"{p}_dpi"].map({True: " (DPI-like)"}).fillna("")
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


def status_table(frame: pd.DataFrame, extra: str | None = None) -> pd.DataFrame:
    """The table under the map: what the map shows, in words."""
    table = pd.DataFrame(
        {
            "Country": frame["name"],
            "ISO3": frame["iso3"],
            "Status": frame["status"].map(STATUS_LABELS),
            "DPI-like": frame["dpi_like"].map({True: "Yes", False: "No"}).fillna("Not assessed"),
            "Systems": frame["systems"].fillna(""),
            "Last updated": frame["last_updated"],
        }
    )
    if extra:
        table[extra] = frame["category"].map(charts.YES_NO_LABELS)
    return table.sort_values("Country").reset_index(drop=True)


def headline_counts(long: pd.DataFrame, iso3s: set[str]) -> pd.DataFrame:
    """Countries per pillar and category (pillar, category, n) within a selection."""
    frame = long[long["iso3"].isin(iso3s)].copy()
    frame["category"] = charts.status_category(frame["status"], frame["dpi_like"])
    counts = frame.groupby(["pillar", "category"]).size().rename("n").reset_index()
    return counts


def csv_with_citation(table: pd.DataFrame, citation: str) -> bytes:
    """CSV exactly as displayed, with a citation line first."""
    return (f"# Source: {citation}\n" + table.to_csv(index=False)).encode("utf-8")


def change_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Before -> after per country, in words."""
    dpi = {True: "DPI-like", False: "not DPI-like"}
    return pd.DataFrame(
        {
            "Country": changes["name"],
            "Before": changes["status_before"].map(STATUS_LABELS),
            "After": changes["status"].map(STATUS_LABELS),
            "DPI-like before": changes["dpi_like_before"].map(dpi).fillna("not assessed"),
            "DPI-like after": changes["dpi_like"].map(dpi).fillna("not assessed"),
            "Systems now": changes["systems"].fillna(""),
        }
    )
