"""Statuses, pillars, labels, palettes and word maps: every category the app shows, once.

The canonical values (pillar ids, status ids) come from the ETL's vocabulary
(etl/vocabulary.py), which writes them into the warehouse; this module adds what the pages
need to show them: words, colours, legends.
"""

import pandas as pd

from etl.vocabulary import (  # noqa: F401  (re-exported: pages import vocabulary from here)
    PILLAR_LABELS,
    PILLARS,
    STATUS_DEFINITIONS,
    STATUS_LABELS,
    STATUSES,
)

# The map explorer's pillar choices: the three pillars, or the stack of all three.
PILLAR_NAMES = {**PILLAR_LABELS, "stack": "All three (stack)"}
PILLAR_CHOICES = (*PILLARS, "stack")
MEASURE_NAMES = {"status": "Implementation status", "dpi_like": "DPI-like system"}
MEASURE_NAMES["changes"] = "Changes since the previous release"
MEASURE_NAMES["block"] = "Building block (technology or supplier)"
PILLAR_NOUNS = {
    "identity": "a digital ID",
    "data_exchange": "data exchange",
    "payments": "a payment system",
}
NOT_CLASSIFIED = "Not classified"
OUTSIDE_FILTER = "Outside the selection"
OUTSIDE_UNIVERSE = "Not counted (no World Bank group)"


def outside_label(filtered: bool) -> str:
    """A map's name for the places it does not colour: outside the filter, or not counted."""
    return OUTSIDE_FILTER if filtered else OUTSIDE_UNIVERSE


# The geometry columns a map frame carries from `countries` (shapes, markers, zoom).
GEO_COLUMNS = ["iso3", "area_km2", "lat", "lon", "has_geometry"]

# ---- yes / no in words: one map for the tables, hovers and panels
YES_NO = {True: "Yes", False: "No"}


def yes_no_word(value, missing: str = "Not assessed") -> str:
    """True/False/None (or pandas NA) -> 'Yes' / 'No' / `missing`."""
    return missing if value is None or pd.isna(value) else YES_NO[bool(value)]


def yes_no_words(values: pd.Series, missing: str = "Not assessed", lower: bool = False):
    words = values.map(YES_NO).fillna(missing)
    return words.str.lower() if lower else words


def dpi_suffix(values: pd.Series, text: str = " · DPI-like") -> pd.Series:
    """' · DPI-like' where the flag is true, '' otherwise (for status words)."""
    return values.map({True: text}).fillna("")


# Ordered from "nothing known" to "most advanced". Lightness falls monotonically along the
# progress categories (pale yellow -> teal -> blue -> navy), so they stay apart for colour-blind
# viewers and in greyscale; "not assessed" is a neutral grey, never a shade of "no".
STATUS_COLOURS = {
    "not_assessed": "#d4d4d4",
    "none": "#fbe7a1",
    "planned_or_piloted": "#6cc3b4",
    "implemented": "#2b7bba",
    "dpi_like": "#1b2a6b",
}
# Presenter mode: the same order with stronger contrast for projectors.
PRESENT_COLOURS = {
    "not_assessed": "#bdbdbd",
    "none": "#ffd84d",
    "planned_or_piloted": "#1fa187",
    "implemented": "#1f5fbf",
    "dpi_like": "#0b0f3f",
}
YES_NO_COLOURS = {
    "not_assessed": "#d4d4d4",
    "unknown": "#c2b0dc",
    "no": "#f4a582",
    "yes_not_implemented": "#9ecae1",
    "yes": "#2b7bba",
}
# "Yes" counts where the pillar is implemented; a Yes on a planned, piloted or no-system record
# (an upstream flag the status contradicts, or a plan) is shown apart, never as a plain Yes.
YES_NO_LABELS = {
    "not_assessed": "Not assessed (no record)",
    "unknown": "Unknown / not applicable",
    "no": "No",
    "yes_not_implemented": "Yes, but not implemented (planned or no system)",
    "yes": "Yes",
}
STACK_COLOURS = {
    "not_assessed": "#d4d4d4",
    "0": "#fbe7a1",
    "1": "#9fd5c1",
    "2": "#3f93c2",
    "3": "#1b2a6b",
}
STACK_LABELS = {
    "not_assessed": "Not assessed",
    "0": "No pillar implemented",
    "1": "1 of 3 pillars",
    "2": "2 of 3 pillars",
    "3": "All 3 pillars",
}
# Places outside the selection (or not counted): faint land with a visible outline, on light
# and dark pages alike; never the grey of "not assessed" or the lavender of "unknown".
OUTSIDE_COLOUR = "rgba(140, 140, 140, 0.12)"
OUTSIDE_LINE = "rgba(140, 140, 140, 0.75)"
BORDER = "#ffffff"
SMALL_STATE_KM2 = 3000


def status_category(status: pd.Series, dpi_like: pd.Series) -> pd.Series:
    """Map statuses to legend categories: implemented + DPI-like becomes 'dpi_like'."""
    dpi = dpi_like.astype("boolean").fillna(False)
    return status.where(~((status == "implemented") & dpi), "dpi_like")


def status_legend(colours: dict | None = None, dark: bool = False) -> dict[str, tuple[str, str]]:
    colours = colours or (DARK_STATUS_COLOURS if dark else STATUS_COLOURS)
    return {key: (STATUS_LABELS[key], colours[key]) for key in colours}


def yes_no_category(
    value: pd.Series, assessed: pd.Series, status: pd.Series | None = None
) -> pd.Series:
    """yes / no / unknown / not assessed; with `status`, a Yes where the pillar is not
    implemented is 'yes_not_implemented'."""
    category = value.map({True: "yes", False: "no"}).fillna("unknown")
    if status is not None:
        live = status.isin(["implemented"])
        category = category.where(~((category == "yes") & ~live), "yes_not_implemented")
    return category.where(assessed, "not_assessed")


# ---- trends, profiles, compare, sources
# Lines need stronger colours than map areas: same hues as STATUS_COLOURS, darker where the
# area colour is too pale to read as a line on white.
TREND_CATEGORIES = ("implemented", "dpi_like", "planned_or_piloted", "none", "not_assessed")
TREND_COLOURS = {
    "implemented": STATUS_COLOURS["implemented"],
    "dpi_like": STATUS_COLOURS["dpi_like"],
    "planned_or_piloted": "#3a9e8d",
    "none": "#d4a20b",
    "not_assessed": "#9a9a9a",
}
TREND_LABELS = {
    "implemented": "Implemented (all)",
    "dpi_like": "of which DPI-like",
    "planned_or_piloted": "Planned or piloted",
    "none": "No system",
    "not_assessed": "Not assessed",
}
NOT_ASSESSED_SHADE = "rgba(150,150,150,0.16)"
CHART_MARGIN = {"l": 0, "r": 0, "t": 40, "b": 0}


# ---- presenter
# Projector palettes: the same order as the screen palettes, with stronger steps between them.
PRESENT_STACK_COLOURS = {
    "not_assessed": "#bdbdbd",
    "0": "#ffd84d",
    "1": "#1fa187",
    "2": "#1f5fbf",
    "3": "#0b0f3f",
}
PRESENT_YES_NO_COLOURS = {
    "not_assessed": "#bdbdbd",
    "unknown": "#a58fcc",
    "no": "#e8743b",
    "yes_not_implemented": "#8fc1ea",
    "yes": "#1f5fbf",
}


# ---- changes between two releases (the "What changed" map): one category per country
CHANGE_LABELS = {  # a country's most telling change in the pillar(s) shown
    "not_compared": "Not compared",  # no record in either release, or the first release
    "unchanged": "No change",
    "other_change": "Other change",  # a status back or sideways, a DPI-like flag lost
    "newly_dpi_like": "Newly DPI-like",
    "newly_implemented": "Newly implemented",
}
CHANGE_COLOURS = {  # Okabe-Ito hues for the changes, greys for the rest
    "not_compared": "#d4d4d4",
    "unchanged": "#f1ecdf",
    "other_change": "#d55e00",
    "newly_dpi_like": "#0072b2",
    "newly_implemented": "#009e73",
}

# ---- the dark theme (Streamlit's dark background, pinned in .streamlit/config.toml)
# Every colour a dark map, line or label uses has at least WCAG's 3:1 non-text contrast with
# the dark background (tests/unit/test_palettes.py measures it). Lightness rises along the
# progress categories (dark mustard -> teal -> blue -> ice), so they stay apart in greyscale.
LIGHT_BACKGROUND, DARK_BACKGROUND = "#ffffff", "#171614"
DARK_STATUS_COLOURS = {
    "not_assessed": "#737373",
    "none": "#876807",
    "planned_or_piloted": "#1e9b82",
    "implemented": "#74b0df",
    "dpi_like": "#cfe8ff",
}
DARK_PRESENT_COLOURS = {
    "not_assessed": "#808080",
    "none": "#8d6f00",
    "planned_or_piloted": "#1d987f",
    "implemented": "#78acf4",
    "dpi_like": "#d9eeff",
}
DARK_STACK_COLOURS = dict(zip(STACK_COLOURS, DARK_STATUS_COLOURS.values(), strict=True))
DARK_PRESENT_STACK_COLOURS = dict(zip(STACK_COLOURS, DARK_PRESENT_COLOURS.values(), strict=True))
DARK_YES_NO_COLOURS = {
    "not_assessed": "#737373",
    "unknown": "#aeaeae",
    "no": "#e76d30",
    "yes_not_implemented": "#3679a8",
    "yes": "#5cb7ea",
}
DARK_PRESENT_YES_NO_COLOURS = DARK_YES_NO_COLOURS | {"not_assessed": "#808080", "yes": "#7cc6f2"}
DARK_CHANGE_COLOURS = {  # the quiet majority ("no change") stays the dimmest that reads
    "not_compared": "#8c96a8",
    "unchanged": "#706b62",
    "other_change": "#e76d30",
    "newly_dpi_like": "#8ccfff",
    "newly_implemented": "#2fbf8f",
}
DARK_TREND_COLOURS = {
    "implemented": "#5cb7ea",
    "dpi_like": "#cfe8ff",
    "planned_or_piloted": "#3fc1a5",
    "none": "#e0b040",
    "not_assessed": "#a0a0a0",
}
POPULATION_COLOURS = {"identity": "#2b7bba", "data_exchange": "#3a9e8d", "payments": "#c0622b"}
DARK_POPULATION_COLOURS = {"identity": "#5cb7ea", "data_exchange": "#3fc1a5", "payments": "#e69f00"}
# Text and lines drawn on the page's background: (light, dark).
TEXT_COLOURS = {"text": ("#1a1a1a", "#edebe8"), "note": ("#555555", "#b0aca6")}
TEXT_COLOURS |= {"border": (BORDER, DARK_BACKGROUND), "marker_line": ("#333333", "#d9d6d0")}
LEGEND_BACKGROUNDS = ("rgba(255,255,255,0.75)", "rgba(23,22,20,0.75)")

PALETTES = {  # kind -> (screen, presenting) x (light, dark)
    "status": ((STATUS_COLOURS, DARK_STATUS_COLOURS), (PRESENT_COLOURS, DARK_PRESENT_COLOURS)),
    "stack": (
        (STACK_COLOURS, DARK_STACK_COLOURS),
        (PRESENT_STACK_COLOURS, DARK_PRESENT_STACK_COLOURS),
    ),
    "yes_no": (
        (YES_NO_COLOURS, DARK_YES_NO_COLOURS),
        (PRESENT_YES_NO_COLOURS, DARK_PRESENT_YES_NO_COLOURS),
    ),
    "changes": ((CHANGE_COLOURS, DARK_CHANGE_COLOURS), (CHANGE_COLOURS, DARK_CHANGE_COLOURS)),
}
LEGEND_LABELS = {
    "status": STATUS_LABELS,
    "stack": STACK_LABELS,
    "yes_no": YES_NO_LABELS,
    "changes": CHANGE_LABELS,
}


def palette(kind: str, present: bool = False, dark: bool = False) -> dict[str, str]:
    """The colours of a legend kind: screen or projector, light or dark theme."""
    return PALETTES[kind][int(present)][int(dark)]


def text_colour(name: str, dark: bool = False) -> str:
    return TEXT_COLOURS[name][int(dark)]


def map_legend(kind: str, present: bool = False, dark: bool = False) -> dict[str, tuple[str, str]]:
    """'status' | 'stack' | 'yes_no' | 'changes' | 'block' | 'evidence' -> legend (key -> label, colour), in the
    projector palette when presenting, in the dark palette for the dark theme."""
    labels = LEGEND_LABELS[kind]
    return {key: (labels[key], colour) for key, colour in palette(kind, present, dark).items()}


# ---- building blocks (pages/blocks.py; etl/building_blocks.py builds the tables)
# The DPI Map field that names each pillar's technology or supplier. Payments has none: its
# records name the operator and the type of system, never the technology.
TECHNOLOGY_FIELDS = {
    "identity": "technical_support_organisations",
    "data_exchange": "base_architecture",
}
TECHNOLOGY_FIELD_LABELS = {
    "identity": "Technical support organizations identified",
    "data_exchange": "Base technical architecture",
}
OPEN_KINDS = ("open_dpg", "open_source")  # an open building block
KIND_LABELS = {
    "open_dpg": "Open, digital public good",
    "open_source": "Open source",
    "proprietary": "Proprietary (vendor or product)",
    "funder": "Funder",
    "public_body": "Public body",
    "operator_type": "Operator type",
}
ROLE_LABELS = {
    "technology": "Technology",
    "technical_support": "Technical support",
    "funder": "Funder",
    "operator": "Operator",
}
# What an implemented system runs on, by the blocks its technology field names (first match).
TECH_CLASSES = ("open_dpg", "open_source", "proprietary", "other", "not_recorded")
TECH_CLASS_LABELS = {
    "open_dpg": "Open building block: a digital public good",
    "open_source": "Open building block: other open source",
    "proprietary": "Named proprietary product or vendor",
    "other": "Recorded, but no product named",
    "not_recorded": "Not recorded",
    "not_published": "Field not in this release",
}
TECH_CLASS_COLOURS = {
    "open_dpg": "#1b2a6b",
    "open_source": "#5b8fd1",
    "proprietary": "#d9822b",
    "other": "#cbb3dc",
    "not_recorded": "#dde5ec",
}
# One block on the map: which source names it in each country, and what the rest record.
EVIDENCE = ("both", "dpi_map", "dpga", "no_system", "other", "not_recorded", "not_assessed")
EVIDENCE_LABELS = {
    "both": "DPI Map and DPGA registry agree",
    "dpi_map": "DPI Map only",
    "dpga": "DPGA registry only",
    "no_system": "No system",
    "other": "Other technology or supplier named",
    "not_recorded": "Not recorded",
    "not_assessed": "Not assessed (no record)",
}
EVIDENCE_COLOURS = {
    "both": "#1b2a6b",
    "dpi_map": "#2b7bba",
    "dpga": "#9b59b6",
    "no_system": "#fbe7a1",
    "other": "#f6c3a5",
    "not_recorded": "#dde5ec",
    "not_assessed": "#d4d4d4",
}
PRESENT_EVIDENCE_COLOURS = {
    "both": "#0b0f3f",
    "dpi_map": "#1f5fbf",
    "dpga": "#8e24aa",
    "no_system": "#ffd84d",
    "other": "#f2aa80",
    "not_recorded": "#d0dae3",
    "not_assessed": "#bdbdbd",
}


DARK_EVIDENCE_COLOURS = {  # the strongest evidence the brightest on the dark page
    "both": "#cfe8ff",
    "dpi_map": "#5cb7ea",
    "dpga": "#c39be0",
    "no_system": "#876807",
    "other": "#c8835a",
    "not_recorded": "#8c96a8",
    "not_assessed": "#737373",
}
PALETTES["evidence"] = (
    (EVIDENCE_COLOURS, DARK_EVIDENCE_COLOURS),
    (PRESENT_EVIDENCE_COLOURS, DARK_EVIDENCE_COLOURS),
)
LEGEND_LABELS["evidence"] = EVIDENCE_LABELS


# The map explorer's "Building block" measure: the class of the system that gives each country
# its status, and the two states with no system to classify.
TECH_MEASURE_LABELS = {
    **TECH_CLASS_LABELS,
    "no_system": EVIDENCE_LABELS["no_system"],
    "not_assessed": EVIDENCE_LABELS["not_assessed"],
}
BLOCK_COLOURS = TECH_CLASS_COLOURS | {
    "not_published": "#f4f4f4",
    "no_system": EVIDENCE_COLOURS["no_system"],
    "not_assessed": EVIDENCE_COLOURS["not_assessed"],
}
PRESENT_BLOCK_COLOURS = BLOCK_COLOURS | {
    "open_dpg": "#0b0f3f",
    "proprietary": "#e8743b",
    "no_system": "#ffd84d",
}
DARK_BLOCK_COLOURS = {  # open blocks bright blue, vendors orange, the silent states grey
    "open_dpg": "#8ccfff",
    "open_source": "#3fa3d9",
    "proprietary": "#e69f00",
    "other": "#b59ad0",
    "not_recorded": "#8c96a8",
    "not_published": "#6f6f6f",
    "no_system": "#876807",
    "not_assessed": "#737373",
}
PALETTES["block"] = (
    (BLOCK_COLOURS, DARK_BLOCK_COLOURS),
    (PRESENT_BLOCK_COLOURS, DARK_BLOCK_COLOURS),
)
LEGEND_LABELS["block"] = TECH_MEASURE_LABELS
