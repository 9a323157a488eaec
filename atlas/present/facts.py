"""Caption facts: the values deck captions' {placeholders} are filled with, computed from the
warehouse for a release and a selection (see decks.py for the templates)."""

import pandas as pd
import streamlit as st

from atlas import queries
from atlas.categories import PILLAR_LABELS, PILLARS
from atlas.selection import ALL, Selection, previous_release, selected_iso3

# Facts that deck captions ({placeholder} templates, see decks.py) are filled with. One
# dictionary per release and selection; every value is computed from the warehouse.
PRESENTER_ATTRIBUTE_FACTS = {
    "instant_payments": ("payments", "real_time_payments"),
    "cross_domain_payments": ("payments", "cross_domain"),
    "x_road": ("data_exchange", "x_road_based"),
}
PRESENTER_NA = "not assessed"


@st.cache_data(show_spinner=False, max_entries=queries.PER_COUNTRY)
def presenter_facts(version: str, release: str, region: str = ALL, income: str = ALL) -> dict:
    """Placeholder name -> value for deck captions, within a release and a selection."""
    selection = Selection(release, region, income)
    in_view = selected_iso3(version, selection)
    long = queries.status_long(version, release)
    long = long[long["iso3"].isin(in_view)]
    facts = {"release": release, "scope": selection.describe(), "countries": len(in_view)}
    facts |= {
        "releases": len(queries.releases(version)),
        "first_release": queries.releases(version)[0],
    }
    facts |= _status_facts(long, queries.dpi_like_assessed_pillars(version, release))
    for name, (pillar, attribute) in PRESENTER_ATTRIBUTE_FACTS.items():
        values = queries.attribute_by_country(version, release, pillar, attribute)
        facts[name] = int(values.loc[values["iso3"].isin(in_view), "value_bool"].eq(True).sum())
    return facts | _change_facts(version, release, in_view)


def _status_facts(long: pd.DataFrame, dpi_assessed: dict[str, bool]) -> dict:
    """Counts per pillar; DPI-like counts say 'not assessed' for releases without the flag."""
    implemented = long["status"] == "implemented"
    dpi = implemented & long["dpi_like"].astype("boolean").fillna(False).astype(bool)
    facts = {}
    for pillar in PILLARS:
        mine = long["pillar"] == pillar
        assessed = int((mine & (long["status"] != "not_assessed")).sum())
        done = int((mine & implemented).sum())
        dpi_like = int((mine & dpi).sum()) if dpi_assessed.get(pillar) else PRESENTER_NA
        facts |= {
            f"implemented_{pillar}": done,
            f"dpi_like_{pillar}": dpi_like,
            f"planned_{pillar}": int((mine & (long["status"] == "planned_or_piloted")).sum()),
            f"no_system_{pillar}": int((mine & (long["status"] == "none")).sum()),
            f"not_assessed_{pillar}": int((mine & (long["status"] == "not_assessed")).sum()),
            f"assessed_{pillar}": assessed,
            f"implemented_share_{pillar}": f"{done / assessed:.0%}" if assessed else "n/a",
        }
    per_country = long.assign(done=implemented, dpi=dpi).groupby("iso3")[["done", "dpi"]].sum()
    facts["all_three_pillars"] = int((per_country["done"] == len(PILLARS)).sum())
    all_dpi = int((per_country["dpi"] == len(PILLARS)).sum())
    facts["dpi_like_all_three"] = all_dpi if all(map(dpi_assessed.get, PILLARS)) else PRESENTER_NA
    return facts


def _change_facts(version: str, release: str, in_view: set[str]) -> dict:
    before = previous_release(version, release)
    facts = {"previous_release": before or "none (first release)", "changed_countries": 0}
    facts |= {"changes": 0, "newly_implemented": 0, "newly_dpi_like": 0}
    if before is None:
        return facts | {"newly_implemented_names": "no country"}
    changes = status_changes(version, release, before)
    changes = changes[changes["iso3"].isin(in_view)]
    up = changes[(changes["status"] == "implemented") & (changes["status_before"] != "implemented")]
    dpi_up = changes[changes["dpi_like"].eq(True) & changes["dpi_like_before"].eq(False)]
    names = [f"{row.name} ({PILLAR_LABELS[row.pillar].lower()})" for row in up.itertuples()]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return facts | {
        "changed_countries": int(changes["iso3"].nunique()),
        "changes": len(changes),
        "newly_implemented": len(up),
        "newly_dpi_like": len(dpi_up),
        "newly_implemented_names": shown or "no country",
    }


@st.cache_data(show_spinner=False, max_entries=queries.PER_COUNTRY)
def status_changes(version: str, release: str, before: str) -> pd.DataFrame:
    """Countries whose per-pillar status, or DPI-like flag where both releases assessed it,
    differs between two releases."""
    old, new = queries.status_long(version, before), queries.status_long(version, release)
    merged = new.merge(old, on=["iso3", "name", "pillar"], suffixes=("", "_before"))
    both_assessed = merged["dpi_like"].notna() & merged["dpi_like_before"].notna()
    flag_changed = both_assessed & (merged["dpi_like"] != merged["dpi_like_before"])
    changed = (merged["status"] != merged["status_before"]) | flag_changed
    return merged.loc[changed].reset_index(drop=True)
