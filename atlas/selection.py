"""The sidebar selection (release, region, income group), the country universe, the ids every
choice has in a link, and the one country search.

Inside the app a region is its option label ("WB: Sub-Saharan Africa", "UN: Eastern Africa";
`region_filter` splits it) and an income group its World Bank name ("Low income"). In the
address bar every choice is a stable id (README, "Links"):

| choice       | id                                   | example                   |
| ------------ | ------------------------------------ | ------------------------- |
| release      | its date, or `latest`                | `2025-06-30`, `latest`    |
| region       | `wb:<slug>` / `un:<slug>`, `all`     | `wb:sub-saharan-africa`   |
| income group | `income:<slug>` (slug less "income") | `income:lower-middle`     |
| country      | ISO3                                 | `KEN`                     |

A slug is the name in lower-case ASCII, every run of other characters one hyphen. The
labels are read too (old links), case and accents aside.

The universe: every count, share and table counts the countries and territories the World
Bank classifies (a World Bank region in `countries`); places it does not classify (Antarctica,
the French overseas departments, the Vatican, uninhabited islands) are drawn on the map but
not counted. `universe` lists them; README "Which countries count" says why.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass

import streamlit as st

from atlas import outcome_queries, paths, queries
from atlas.categories import MEASURE_NAMES, TECHNOLOGY_FIELDS

ALL = "All"
ALL_ID = "all"
REGION_PREFIXES = {"WB: ": "region", "UN: ": "un_subregion"}  # option prefix -> column
REGION_ID_PREFIXES = {"WB: ": "wb:", "UN: ": "un:"}
INCOME_ORDER = ["Low income", "Lower middle income", "Upper middle income", "High income"]
LATEST = "latest"
OUTCOME_PREFIX = "outcome:"  # a map measure of an outcome indicator
SEARCH_ALIASES = paths.REFERENCE / "search_aliases.csv"
UNIVERSE_RULE = (
    "countries and territories the World Bank classifies (FY2026): each has a World Bank "
    "region; Antarctica and places the World Bank does not classify are drawn but not counted"
)


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

    def slug(self) -> str:
        """The selection in a file name: 'world', 'wb-south-asia_income-low', ..."""
        parts = [region_id(self.region) if self.region != ALL else None]
        parts.append(income_id(self.income) if self.income != ALL else None)
        return "_".join(p.replace(":", "-") for p in parts if p) or "world"


# ------------------------------------------------------------------ ids
def slug(text: str) -> str:
    """'Middle East, North Africa & Pakistan' -> 'middle-east-north-africa-pakistan'."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


def fold(text: str) -> str:
    """What two spellings must share to be the same choice: case, accents and spacing aside."""
    return " ".join(slug(text).split("-"))


def region_id(option: str) -> str:
    """'WB: Sub-Saharan Africa' -> 'wb:sub-saharan-africa'; 'All' -> 'all'."""
    for prefix, short in REGION_ID_PREFIXES.items():
        if option.startswith(prefix):
            return short + slug(option.removeprefix(prefix))
    return ALL_ID


def income_id(group: str) -> str:
    """'Lower middle income' -> 'income:lower-middle'; 'All' -> 'all'."""
    return ALL_ID if group == ALL else "income:" + slug(group.removesuffix(" income"))


def region_filter(option: str) -> tuple[str | None, str | None]:
    """'WB: Europe & Central Asia' -> ('region', 'Europe & Central Asia'); ALL -> (None, None)."""
    for prefix, column in REGION_PREFIXES.items():
        if option.startswith(prefix):
            return column, option.removeprefix(prefix)
    return None, None


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def region_options(version: str) -> list[str]:
    """'All', World Bank regions, then UN subregions (prefixed so both can share one widget),
    of the countries in the universe."""
    frame = queries.countries(version)
    frame = frame[frame["iso3"].isin(universe(version))]
    options = [ALL]
    for prefix, column in REGION_PREFIXES.items():
        options += [f"{prefix}{r}" for r in sorted(frame[column].dropna().unique())]
    return options


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def income_options(version: str) -> list[str]:
    found = set(queries.countries(version)["income_group"].dropna())
    return [ALL] + [g for g in INCOME_ORDER if g in found] + sorted(found - set(INCOME_ORDER))


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def region_spellings(version: str) -> dict[str, str]:
    """Every accepted spelling of a region (folded) -> its option: the id, the option label and
    the bare name ('Sub-Saharan Africa': the World Bank region before a UN subregion)."""
    spellings = {}
    for option in reversed(region_options(version)):  # World Bank names win over UN ones
        spellings[fold(region_filter(option)[1] or option)] = option
    for option in region_options(version):
        spellings[fold(option)] = option
        spellings[region_id(option)] = option
    return spellings | {"all": ALL, "world": ALL}


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def income_spellings(version: str) -> dict[str, str]:
    """'income:low', 'low', 'Low income' (folded) -> 'Low income'."""
    spellings = {"all": ALL, "world": ALL}
    for group in income_options(version)[1:]:
        spellings |= {income_id(group): group, fold(group): group}
        spellings[fold(group.removesuffix(" income"))] = group
    return spellings


def release_options(version: str) -> list[str]:
    """'latest' (follows the newest release), then every release, newest first."""
    return [LATEST, *reversed(queries.releases(version))]


def resolve_release(version: str, value: str) -> str:
    releases = queries.releases(version)
    return releases[-1] if value == LATEST else value


def previous_release(version: str, release: str) -> str | None:
    ordered = queries.releases(version)
    index = ordered.index(release) if release in ordered else 0
    return ordered[index - 1] if index > 0 else None


# ------------------------------------------------------------------ the universe
@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def universe(version: str) -> frozenset[str]:
    """ISO3 codes of the countries every count and share is out of (module docstring)."""
    frame = queries.countries(version)
    return frozenset(frame.loc[frame["region"].notna(), "iso3"])


def selected_iso3(version: str, selection: Selection) -> set[str]:
    """The universe's countries within the sidebar's region and income group."""
    return _selected_iso3(version, selection.region, selection.income)


@st.cache_data(show_spinner=False, max_entries=queries.PER_COUNTRY)
def _selected_iso3(version: str, region: str, income: str) -> set[str]:
    frame = queries.countries(version)
    mask = frame["iso3"].isin(universe(version))
    column, value = region_filter(region)
    if column:
        mask &= frame[column] == value
    if income != ALL:
        mask &= frame["income_group"] == income
    return set(frame.loc[mask, "iso3"])


# ------------------------------------------------------------------ measures
def measure_options(version: str, pillar: str) -> dict[str, str]:
    """The map measures of a pillar: status, DPI-like, changes, the building block (pillars
    whose records name a technology), each outcome indicator, then every yes/no attribute."""
    if pillar == "stack":  # pillars implemented, changes, the outcomes beside all three
        options = {"status": "pillars implemented", "changes": MEASURE_NAMES["changes"]}
        return options | outcome_measures(version)
    options = {k: v for k, v in MEASURE_NAMES.items() if k != "block"}
    if pillar in TECHNOLOGY_FIELDS:
        options["block"] = MEASURE_NAMES["block"]
    options |= outcome_measures(version)
    attributes = queries.yes_no_attributes(version, pillar)
    return options | {f"attr:{k}": v for k, v in attributes.items()}


def outcome_measures(version: str) -> dict[str, str]:
    """'outcome:<indicator>' -> label, for each outcome indicator the warehouse holds."""
    if not outcome_queries.available(version):
        return {}
    catalogue = outcome_queries.indicators(version)
    return {f"{OUTCOME_PREFIX}{r.indicator}": f"Outcome: {r.name}" for r in catalogue.itertuples()}


def is_outcome(measure: str | None) -> bool:
    """An outcome measure ('outcome:<indicator>', e.g. 'outcome:FX.OWN.TOTL.ZS')."""
    return bool(measure) and measure.startswith(OUTCOME_PREFIX)


def measure_label(version: str, pillar: str, measure: str) -> str:
    return measure_options(version, pillar).get(measure, measure.removeprefix("attr:"))


# ------------------------------------------------------------------ one country search
@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def search_aliases(version: str) -> dict[str, list[str]]:
    """iso3 -> other names: the spellings the DPI Map releases use, then the reviewed common
    names of data/reference/search_aliases.csv (Turkey, Ivory Coast, Swaziland, ...)."""
    found = {k: list(v) for k, v in queries.search_names(version).items()}
    for iso3, alias in read_search_aliases():
        found.setdefault(iso3, []).append(alias)
    return found


def read_search_aliases() -> list[tuple[str, str]]:
    with SEARCH_ALIASES.open(encoding="utf-8", newline="") as handle:
        return [(row["iso3"], row["alias"]) for row in csv.DictReader(handle)]


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def country_labels(version: str) -> dict[str, str]:
    """iso3 -> the label every country picker shows and searches, sorted by name: the code,
    the name, then other spellings ('TUR · Türkiye · Turkey · Turkiye', 'USA · United States
    (of America) · US'). The browser ranks matches at the start of a label, then at the start
    of a word, shorter labels first: the code leads so that typing it finds the country
    first, and an alias that only lengthens the name is folded into it."""
    countries = queries.countries(version)
    aliases = search_aliases(version)
    labels = {}
    for iso3, name in zip(countries["iso3"], countries["name"], strict=True):
        labels[iso3] = " · ".join([iso3, *_spellings(name, aliases.get(iso3, []))])
    return dict(sorted(labels.items(), key=lambda item: fold(item[1].split(" · ")[1])))


def _spellings(name: str, aliases: list[str]) -> list[str]:
    """The name (with an alias that extends it in brackets), the other aliases, and the name
    without accents ('Cote' finds Côte d'Ivoire)."""
    first, others, seen = name, [], {fold(name)}
    for alias in aliases:
        if fold(alias) in seen:
            continue
        seen.add(fold(alias))
        if fold(alias).startswith(fold(name) + " ") and first == name:
            first = f"{name} ({alias[len(name) :].strip(' ,')})"
        else:
            others.append(alias)
    plain = [_ascii(name)] if _ascii(name) != name else []
    return [first, *others, *plain]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@st.cache_data(show_spinner=False, max_entries=queries.ONE)
def country_spellings(version: str) -> dict[str, str]:
    """Every accepted spelling of a country in a link (folded name, alias, iso3) -> iso3."""
    countries = queries.countries(version)
    spellings = {}
    for iso3, aliases in search_aliases(version).items():
        spellings |= {fold(alias): iso3 for alias in aliases}
    spellings |= {
        fold(name): iso3 for iso3, name in zip(countries["iso3"], countries["name"], strict=False)
    }
    return spellings | {fold(iso3): iso3 for iso3 in countries["iso3"]}


def names(version: str) -> dict[str, str]:
    countries = queries.countries(version)
    return dict(zip(countries["iso3"], countries["name"], strict=True))


def group_members(version: str, item: str) -> list[str]:
    """The universe's countries of a region or income id ('wb:south-asia', 'income:low')."""
    if item.startswith("income:"):
        group = income_spellings(version).get(item)
        return sorted(_selected_iso3(version, ALL, group)) if group else []
    option = region_spellings(version).get(item)
    return sorted(_selected_iso3(version, option, ALL)) if option else []


def group_items(version: str) -> dict[str, str]:
    """Region and income-group ids -> 'Region: Sub-Saharan Africa', 'Income: Low income'."""
    items = {}
    for option in region_options(version)[1:]:
        kind = "Region" if option.startswith("WB: ") else "UN region"
        items[region_id(option)] = f"{kind}: {region_filter(option)[1]}"
    for group in income_options(version)[1:]:
        items[income_id(group)] = f"Income: {group}"
    return items
