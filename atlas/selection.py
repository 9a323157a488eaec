"""The sidebar selection (release, region, income group) and the options the widgets offer.

Region options carry their classification as a prefix ("WB: Sub-Saharan Africa",
"UN: Eastern Africa") so both can share one widget; `region_filter` splits it.
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from atlas import queries
from atlas.categories import MEASURE_NAMES

ALL = "All"
REGION_PREFIXES = {"WB: ": "region", "UN: ": "un_subregion"}  # option prefix -> column
INCOME_ORDER = ["Low income", "Lower middle income", "Upper middle income", "High income"]


@dataclass(frozen=True)
class Selection:
    """The shared sidebar filters."""

    release: str
    region: str = ALL
    income: str = ALL

    @property
    def filtered(self) -> bool:
        return self.region != ALL or self.income != ALL

    def describe(self) -> str:
        parts = [region_filter(self.region)[1] if self.region != ALL else None]
        parts.append(self.income if self.income != ALL else None)
        return ", ".join(p for p in parts if p) or "World"


def region_filter(option: str) -> tuple[str | None, str | None]:
    """'WB: Europe & Central Asia' -> ('region', 'Europe & Central Asia'); ALL -> (None, None)."""
    for prefix, column in REGION_PREFIXES.items():
        if option.startswith(prefix):
            return column, option.removeprefix(prefix)
    return None, None


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def region_options(version: str) -> list[str]:
    """'All', World Bank regions, then UN subregions (prefixed so both can share one widget)."""
    frame = queries.countries(version)
    options = [ALL]
    for prefix, column in REGION_PREFIXES.items():
        options += [f"{prefix}{r}" for r in sorted(frame[column].dropna().unique())]
    return options


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def income_options(version: str) -> list[str]:
    found = set(queries.countries(version)["income_group"].dropna())
    return [ALL] + [g for g in INCOME_ORDER if g in found] + sorted(found - set(INCOME_ORDER))


def selected_iso3(version: str, selection: Selection) -> set[str]:
    return _selected_iso3(version, selection.region, selection.income)


@st.cache_data(show_spinner=False, max_entries=queries.PER_COUNTRY)
def _selected_iso3(version: str, region: str, income: str) -> set[str]:
    frame = queries.countries(version)
    mask = pd.Series(True, index=frame.index)
    column, value = region_filter(region)
    if column:
        mask &= frame[column] == value
    if income != ALL:
        mask &= frame["income_group"] == income
    return set(frame.loc[mask, "iso3"])


def previous_release(version: str, release: str) -> str | None:
    ordered = queries.releases(version)
    index = ordered.index(release) if release in ordered else 0
    return ordered[index - 1] if index > 0 else None


def measure_options(version: str, pillar: str) -> dict[str, str]:
    """The map measures of a pillar: status, DPI-like, then every yes/no attribute."""
    if pillar == "stack":
        return {"status": "pillars implemented", "changes": MEASURE_NAMES["changes"]}
    attributes = queries.yes_no_attributes(version, pillar)
    return dict(MEASURE_NAMES) | {f"attr:{k}": v for k, v in attributes.items()}


def measure_label(version: str, pillar: str, measure: str) -> str:
    return measure_options(version, pillar).get(measure, measure.removeprefix("attr:"))
