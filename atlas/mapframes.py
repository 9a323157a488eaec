"""Warehouse frames -> the per-country frames a map draws: category, hover text, geometry
helpers. Pure pandas."""

import pandas as pd

from atlas.categories import (
    GEO_COLUMNS,
    PILLAR_LABELS,
    PILLARS,
    STATUS_LABELS,
    YES_NO_LABELS,
    dpi_suffix,
    status_category,
    yes_no_category,
    yes_no_words,
)

CHANGED_MARKER_KM2 = 50_000  # a country that changed gets a marker below this size (Djibouti)
CHANGE_COLUMNS = ["iso3", "pillar", "status", "status_before", "dpi_like", "dpi_like_before"]


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
    frame["category"] = yes_no_category(frame["value_bool"], assessed, frame["status"])
    frame["hover"] = (
        frame["hover"] + "<br><b>" + label + ": " + frame["category"].map(YES_NO_LABELS) + "</b>"
    )
    return frame


def dpi_like_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str, assessed: bool):
    """Per country: whether the pillar has a DPI-like system (NULL flags are 'unknown')."""
    frame = pillar_map_frame(long, countries, pillar)
    has_record = frame["status"] != "not_assessed"
    value = frame["dpi_like"] if assessed else pd.Series(None, index=frame.index, dtype="boolean")
    frame["category"] = yes_no_category(value, has_record, frame["status"])
    return frame


def stack_frame(long: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Per country: how many of the three pillars are implemented, with the combination."""
    pillars = list(PILLARS)  # every pillar a column, even when the selection is empty
    wide = long.pivot(index=["iso3", "name"], columns="pillar", values="status")
    wide = wide.reindex(columns=pillars).reset_index()
    dpi = long.pivot(index="iso3", columns="pillar", values="dpi_like").reindex(columns=pillars)
    wide = wide.merge(dpi.add_suffix("_dpi").reset_index(), on="iso3")
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
    recorded = frame["status"] != "not_assessed"
    systems = (
        frame["systems"]
        .fillna("no record in this release")
        .where(frame["systems"].notna() | ~recorded, "none named")
    )
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


def changes_frame(
    base: pd.DataFrame,
    long: pd.DataFrame,
    changes: pd.DataFrame | None,
    pillars: tuple[str, ...],
    before: str | None,
) -> pd.DataFrame:
    """`base` (the stack's or a pillar's map frame) coloured by what changed in `pillars` since
    the release `before` (the "What changed" map). `long` is the later release (status_long);
    `changes` holds present.facts status_changes rows (with newly_implemented and
    newly_dpi_like). A country with several changes takes the first of: newly implemented,
    newly DPI-like, other change; else no change when assessed, not compared when not (or when
    there is no release before)."""
    if changes is None:  # the first release: nothing to compare with
        changes = pd.DataFrame(columns=[*CHANGE_COLUMNS, "newly_implemented", "newly_dpi_like"])
    frame = long[long["pillar"].isin(pillars)]
    per_country = (
        frame.assign(assessed=frame["status"] != "not_assessed")
        .groupby(["iso3", "name"], as_index=False)["assessed"]
        .any()
    )
    mine = changes[changes["pillar"].isin(pillars) & changes["iso3"].isin(per_country["iso3"])]
    flags = mine.groupby("iso3")[["newly_implemented", "newly_dpi_like"]].any()
    kind = per_country["iso3"].map(
        lambda iso3: _change_kind(flags.loc[iso3]) if iso3 in flags.index else None
    )
    unchanged = "unchanged" if before else "not_compared"
    quiet = per_country["assessed"].map({True: unchanged, False: "not_compared"})
    per_country["category"] = kind.fillna(quiet)
    details = mine.assign(line=_change_lines(mine)).groupby("iso3")["line"].agg("<br>".join)
    since = f"No change since {before}" if before else "First release: nothing to compare"
    per_country["hover"] = (
        "<b>" + per_country["name"] + "</b><br>" + per_country["iso3"].map(details).fillna(since)
    )
    shown = per_country[["iso3", "category", "hover"]]
    frame = base.drop(columns=["category", "hover"]).merge(shown, on="iso3", how="left")
    changed = frame["category"].isin(["newly_implemented", "newly_dpi_like", "other_change"])
    frame["marker"] = changed & (frame["area_km2"].fillna(0) < CHANGED_MARKER_KM2)
    return frame


def _change_kind(flags: pd.Series) -> str:
    if flags["newly_implemented"]:
        return "newly_implemented"
    return "newly_dpi_like" if flags["newly_dpi_like"] else "other_change"


def _change_lines(changes: pd.DataFrame) -> pd.Series:
    """'Payments: Planned or piloted -> Implemented · DPI-like' for each changed row."""

    def word(status: pd.Series, dpi: pd.Series) -> pd.Series:
        return status.map(STATUS_LABELS) + dpi_suffix(dpi.astype("boolean"), ", DPI-like")

    return (
        changes["pillar"].map(PILLAR_LABELS)
        + ": "
        + word(changes["status_before"], changes["dpi_like_before"])
        + " → "
        + word(changes["status"], changes["dpi_like"])
    )
