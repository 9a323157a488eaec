"""Caption facts: the values deck captions' {placeholders} are filled with, each with a precise
definition (what is counted, among which countries, which statuses), computed from the
warehouse for a release and a selection (see decks.py for the templates).

The Presenter page shows every value next to its definition, and a deck's wording must match
the definition: a count "among countries with X implemented" counts implemented systems only;
an upstream "Yes" on a record whose status says there is no system (or only a plan) is never
counted silently: the definition names those countries, and `python -m etl check` (the
data-quality report, etl/quality.py) lists them.
"""

import pandas as pd
import streamlit as st

from atlas import block_queries, queries
from atlas.categories import (
    OPEN_KINDS,
    PILLAR_LABELS,
    PILLARS,
    TECHNOLOGY_FIELD_LABELS,
    TECHNOLOGY_FIELDS,
)
from atlas.selection import ALL, Selection, previous_release, selected_iso3

PRESENTER_NA = "not assessed"
COUNTING = ("whose ", "with ", "counted ")  # a count's definition: Countries in ... whose ...
NAMES_SHOWN = 4  # names listed in a caption before "and N more"


# Counts of a yes/no attribute among the countries whose status in the pillar is implemented,
# read on the system that gives the country its status (country_status.system_id).
# name -> (pillar, attribute, what a "Yes" says, whether a Yes on a record with no system or
# only a plan contradicts the record's status: "active ... present" does, an architecture does
# not: a planned system can be planned on X-Road).
PRESENTER_ATTRIBUTE_FACTS = {
    "instant_payments": (
        "payments",
        "real_time_payments",
        "an active real-time payment system ('Active real-time payment system present' = Yes)",
        True,
    ),
    "cross_domain_payments": (
        "payments",
        "cross_domain",
        "a cross-domain payment system (payment system type 'Cross-domain')",
        False,
    ),
    "x_road": (
        "data_exchange",
        "x_road_based",
        "a data exchange built on X-Road (base technical architecture names X-Road)",
        False,
    ),
    "uxp": (
        "data_exchange",
        "uxp_based",
        "a data exchange built on UXP, Cybernetica's own product, not X-Road (base technical "
        "architecture names UXP)",
        False,
    ),
}
# Both of two attribute facts (countries counted once): "X-Road or UXP" when you mean both.
PRESENTER_EITHER_FACTS = {"x_road_or_uxp": ("x_road", "uxp")}
# The warehouse attributes a fact needs beyond its own: x_road_based means "X-Road only" in a
# warehouse that also has uxp_based (an older build's x_road_based counted UXP too).
NEEDS = {"x_road": ("uxp_based",)}

# Which fact is a subset of which (part, whole): a caption saying "N of M" must have N <= M.
# The tests check every pair on every release; `rehearse` checks the rendered captions' words.
SUBSET_OF = [
    *[(f"dpi_like_{p}", f"implemented_{p}") for p in PILLARS],
    *[(f"implemented_{p}", f"assessed_{p}") for p in PILLARS],
    *[(f"assessed_{p}", "countries") for p in PILLARS],
    *[("all_three_pillars", f"implemented_{p}") for p in PILLARS],
    ("dpi_like_all_three", "all_three_pillars"),
    *[(name, f"implemented_{spec[0]}") for name, spec in PRESENTER_ATTRIBUTE_FACTS.items()],
    *[
        (f"{name}_planned", f"planned_{spec[0]}")
        for name, spec in PRESENTER_ATTRIBUTE_FACTS.items()
    ],
    *[
        (f"{name}_no_system", f"no_system_{spec[0]}")
        for name, spec in PRESENTER_ATTRIBUTE_FACTS.items()
    ],
    ("x_road", "x_road_or_uxp"),
    ("uxp", "x_road_or_uxp"),
    ("x_road_or_uxp", "implemented_data_exchange"),
    *[
        (f"{kind}_{p}", f"implemented_{p}")
        for kind in ("open_block", "vendor")
        for p in TECHNOLOGY_FIELDS
    ],
    ("newly_implemented", "changed_countries"),
    ("newly_dpi_like", "changed_countries"),
    ("status_changed_countries", "changed_countries"),
    ("changed_countries", "countries"),
]


def unavailable_facts(version: str) -> dict[str, str]:
    """Facts this warehouse cannot compute truly -> why (an attribute it lacks): a deck using
    one is refused with the reason (slides.catalogue, decks.check_deck)."""
    have = {(p, a) for p in PILLARS for a in queries.yes_no_attributes(version, p)}
    needs = {  # fact -> (pillar, the attributes it reads), and the facts it stands for
        name: (
            spec[0],
            (spec[1], *NEEDS.get(name, ())),
            (name, f"{name}_planned", f"{name}_no_system"),
        )
        for name, spec in PRESENTER_ATTRIBUTE_FACTS.items()
    }
    for name, parts in PRESENTER_EITHER_FACTS.items():  # what its parts need, together
        attributes = tuple(dict.fromkeys(a for p in parts for a in needs[p][1]))
        needs[name] = (needs[parts[0]][0], attributes, (name,))
    missing = {}
    for pillar, attributes, names in needs.values():
        lacking = [a for a in attributes if (pillar, a) not in have]
        if lacking:
            for fact in names:
                missing[fact] = (
                    f"the warehouse has no {pillar} attribute {', '.join(lacking)} (built by an "
                    "older ETL): rebuild it with python -m etl build"
                )
    return missing


def presenter_facts(version: str, release: str, region: str = ALL, income: str = ALL) -> dict:
    """Placeholder name -> value for deck captions, within a release and a selection."""
    return fact_table(version, release, region, income)[0]


def fact_definitions(version: str, release: str, region: str = ALL, income: str = ALL) -> dict:
    """Placeholder name -> its definition, in words, for this release and selection."""
    return fact_table(version, release, region, income)[1]


@st.cache_data(show_spinner=False, max_entries=queries.PER_COUNTRY)
def fact_table(version: str, release: str, region: str, income: str) -> tuple[dict, dict]:
    """(values, definitions): every caption fact of a release and selection."""
    selection = Selection(release, region, income)
    in_view = selected_iso3(version, selection)
    long = queries.status_long(version, release)
    long = long[long["iso3"].isin(in_view)]
    releases = queries.releases(version)
    values = {"release": release, "scope": selection.describe(), "countries": len(in_view)}
    values |= {"releases": len(releases), "first_release": releases[0]}
    words = {
        "release": "The DPI Map release the slide shows.",
        "scope": "The selection the slide shows: World, or a region and/or income group.",
        "countries": "Countries and territories in the selection (World Bank regions and "
        "income groups, UN subregions), whether or not the DPI Map assessed them.",
        "releases": "DPI Map releases in the warehouse.",
        "first_release": "The first DPI Map release in the warehouse.",
    }
    for part in (
        _status_facts(long, queries.dpi_like_assessed_pillars(version, release)),
        _attribute_facts(version, release, long),
        _block_facts(version, release, long),
        _change_facts(version, release, in_view),
    ):
        values |= part[0]
        words |= part[1]
    counted = f"Countries in {values['scope']} (release {release}) "
    return values, {
        name: counted + text if text.startswith(COUNTING) else text
        for name, text in ((name, words[name]) for name in values)
    }


# ------------------------------------------------------------------ statuses
def _status_facts(long: pd.DataFrame, dpi_assessed: dict[str, bool]) -> tuple[dict, dict]:
    """Counts per pillar; DPI-like counts say 'not assessed' for releases without the flag."""
    implemented = long["status"] == "implemented"
    dpi = implemented & long["dpi_like"].astype("boolean").fillna(False).astype(bool)
    values, words = {}, {}
    for pillar in PILLARS:
        mine = long["pillar"] == pillar
        assessed = int((mine & (long["status"] != "not_assessed")).sum())
        done = int((mine & implemented).sum())
        dpi_like = int((mine & dpi).sum()) if dpi_assessed.get(pillar) else PRESENTER_NA
        values |= {
            f"implemented_{pillar}": done,
            f"dpi_like_{pillar}": dpi_like,
            f"planned_{pillar}": int((mine & (long["status"] == "planned_or_piloted")).sum()),
            f"no_system_{pillar}": int((mine & (long["status"] == "none")).sum()),
            f"not_assessed_{pillar}": int((mine & (long["status"] == "not_assessed")).sum()),
            f"assessed_{pillar}": assessed,
            f"implemented_share_{pillar}": share_words(done, assessed),
        }
        words |= _status_words(pillar)
    per_country = long.assign(done=implemented, dpi=dpi).groupby("iso3")[["done", "dpi"]].sum()
    values["all_three_pillars"] = int((per_country["done"] == len(PILLARS)).sum())
    all_dpi = int((per_country["dpi"] == len(PILLARS)).sum())
    values["dpi_like_all_three"] = all_dpi if all(map(dpi_assessed.get, PILLARS)) else PRESENTER_NA
    words["all_three_pillars"] = (
        "whose status is implemented in all three pillars (digital ID, data exchange and payments)."
    )
    words["dpi_like_all_three"] = (
        "whose status is implemented and DPI-like in all three pillars (a subset of "
        "all_three_pillars); 'not assessed' when the release has no DPI-like flag for a pillar."
    )
    return values, words


def share_words(part: int, whole: int) -> str:
    """'55%' for 109 of 200: a whole percent, halves rounded up ('n/a' of nothing)."""
    return f"{(200 * part + whole) // (2 * whole)}%" if whole else "n/a"


def _status_words(pillar: str) -> dict[str, str]:
    label = PILLAR_LABELS[pillar].lower()
    status = f"whose {label} status (their most advanced {label} system) is"
    return {
        f"implemented_{pillar}": f"{status} implemented: at least one {label} record with "
        "status implemented (upstream Implemented, Rollout, Active or Operating at scale).",
        f"dpi_like_{pillar}": f"{status} implemented and flagged DPI-like upstream ('Count for "
        f"DPI' = 1), a subset of implemented_{pillar}; 'not assessed' for releases before the "
        "flag existed.",
        f"planned_{pillar}": f"{status} planned or piloted (upstream Planned, Piloted, Proposed "
        "or In progress): none implemented.",
        f"no_system_{pillar}": f"{status} 'no system': assessed, no system found (upstream NA, "
        "Unknown or Inactive).",
        f"not_assessed_{pillar}": f"with no {label} record in this release.",
        f"assessed_{pillar}": f"with a {label} record in this release "
        f"(implemented + planned or piloted + no system).",
        f"implemented_share_{pillar}": f"implemented_{pillar} / assessed_{pillar}: the share of the "
        f"assessed countries with {label} implemented "
        "(countries not assessed left out), rounded to a whole percent, halves up.",
    }


# ------------------------------------------------------------------ attributes
def _attribute_facts(version: str, release: str, long: pd.DataFrame) -> tuple[dict, dict]:
    """Counts of a yes/no attribute among countries with the pillar implemented, and the
    countries whose record says Yes while their status is planned or no system."""
    values, words, yes_sets = {}, {}, {}
    for name, (pillar, attribute, says, contradicts) in PRESENTER_ATTRIBUTE_FACTS.items():
        frame = long[long["pillar"] == pillar][["iso3", "name", "status"]]
        flags = queries.attribute_by_country(version, release, pillar, attribute)
        frame = frame.merge(flags[["iso3", "value_bool"]], on="iso3", how="left")
        yes = frame[frame["value_bool"].eq(True)]
        counted = yes[yes["status"] == "implemented"]
        planned = yes[yes["status"] == "planned_or_piloted"]
        no_system = yes[yes["status"] == "none"]
        yes_sets[name] = set(counted["iso3"])
        values |= {
            name: len(counted),
            f"{name}_planned": len(planned),
            f"{name}_no_system": len(no_system),
        }
        label = PILLAR_LABELS[pillar].lower()
        among = (
            f"whose {label} status is implemented and whose status-giving system "
            f"(the most advanced one) has {says}. A subset of implemented_{pillar}."
        )
        others = (
            f" Not counted: {len(planned)} countries with only a planned or piloted system "
            f"({name}_planned) and {len(no_system)} with no system ({name}_no_system) whose "
            "record also says Yes"
        )
        if contradicts and len(planned) + len(no_system):
            others += (
                ", which contradicts their status (upstream data to check, listed in the "
                f"data-quality report): no system: {_names(no_system, None)}; planned or "
                f"piloted: {_names(planned, None)}."
            )
        else:
            others += "."
        words |= {
            name: among + others,
            f"{name}_planned": f"whose {label} status is planned or piloted and "
            f"whose status-giving record has {says}.",
            f"{name}_no_system": f"whose {label} status is 'no system' but whose "
            f"record has {says}"
            + (": an upstream contradiction." if contradicts else " (no system runs it)."),
        }
    for name, parts in PRESENTER_EITHER_FACTS.items():
        values[name] = len(set().union(*(yes_sets[p] for p in parts)))
        words[name] = (
            "counted in "
            + " or ".join(parts)
            + " (either, each country once): implemented data exchange built on X-Road or on UXP."
        )
    return values, words


# ------------------------------------------------------------------ building blocks
NOT_IN_RELEASE = "not in this release"  # the release's files lack the technology field


def _block_facts(version: str, release: str, long: pd.DataFrame) -> tuple[dict, dict]:
    """Per pillar with a technology field: implemented countries whose status-giving system's
    field names an open building block, or named vendors and no open block."""
    values, words = {}, {}
    for pillar in TECHNOLOGY_FIELDS:
        frame = long[(long["pillar"] == pillar) & (long["status"] == "implemented")][["iso3"]]
        classes = block_queries.tech_class_by_country(version, release, pillar)
        tech = frame.merge(classes, on="iso3", how="left")["tech_class"]
        there = block_queries.field_published(version, release, pillar)
        values[f"open_block_{pillar}"] = (
            int(tech.isin(OPEN_KINDS).sum()) if there else NOT_IN_RELEASE
        )
        values[f"vendor_{pillar}"] = int((tech == "proprietary").sum()) if there else NOT_IN_RELEASE
        label, field = PILLAR_LABELS[pillar].lower(), TECHNOLOGY_FIELD_LABELS[pillar]
        whose = (
            f"whose {label} status is implemented and whose status-giving system's DPI Map "
            f"field “{field}” names"
        )
        gap = f" '{NOT_IN_RELEASE}' when the release's files lack the field."
        words[f"open_block_{pillar}"] = (
            f"{whose} at least one open building block (a digital public good such as MOSIP or "
            f"X-Road, or other open source; catalogue: data/reference/). A subset of "
            f"implemented_{pillar}." + gap
        )
        words[f"vendor_{pillar}"] = (
            f"{whose} a proprietary product or vendor and no open building block. A subset of "
            f"implemented_{pillar}, apart from open_block_{pillar}." + gap
        )
    return values, words


# ------------------------------------------------------------------ changes
def _change_facts(version: str, release: str, in_view: set[str]) -> tuple[dict, dict]:
    before = previous_release(version, release)
    values = {"previous_release": before or "none (first release)"}
    values |= {"changed_countries": 0, "status_changed_countries": 0, "changes": 0}
    values |= {"newly_implemented": 0, "newly_dpi_like": 0}
    values |= {"newly_implemented_names": "no country", "newly_dpi_like_names": "no country"}
    since = f"between release {before} and this one" if before else "(first release: none)"
    words = {
        "previous_release": "The release before the slide's release.",
        "changed_countries": f"whose status changed {since} in at least one "
        "pillar (implemented, planned or piloted, no system, not assessed), or whose DPI-like "
        "flag flipped where both releases assessed it.",
        "status_changed_countries": f"whose status changed {since} in at least one "
        "pillar (DPI-like flag left out): a subset of changed_countries.",
        "changes": f"Country-pillar pairs counted in changed_countries ({since}).",
        "newly_implemented": f"with at least one pillar whose status became implemented {since} "
        "(from planned or piloted, no system or not assessed): a subset of changed_countries.",
        "newly_implemented_names": f"The newly_implemented countries with their pillar(s), "
        f"{NAMES_SHOWN} named, then 'and N more'.",
        "newly_dpi_like": f"with at least one pillar whose DPI-like flag went from "
        f"No to Yes {since} (both releases assessed it): a subset of changed_countries.",
        "newly_dpi_like_names": f"The newly_dpi_like countries with their pillar(s), "
        f"{NAMES_SHOWN} named, then 'and N more'.",
    }
    if before is None:
        return values, words
    changes = status_changes(version, release, before)
    changes = changes[changes["iso3"].isin(in_view)]
    up, dpi_up = changes[changes["newly_implemented"]], changes[changes["newly_dpi_like"]]
    status_changed = changes[changes["status"] != changes["status_before"]]
    return values | {
        "changed_countries": int(changes["iso3"].nunique()),
        "status_changed_countries": int(status_changed["iso3"].nunique()),
        "changes": len(changes),
        "newly_implemented": int(up["iso3"].nunique()),
        "newly_dpi_like": int(dpi_up["iso3"].nunique()),
        "newly_implemented_names": _names(up, "pillar"),
        "newly_dpi_like_names": _names(dpi_up, "pillar"),
    }, words


def _names(rows: pd.DataFrame, pillar: str | None) -> str:
    """'Kenya (digital identity, payments), Brazil (payments) and 3 more', by country name."""
    if rows.empty:
        return "no country"
    grouped = rows.sort_values("name").groupby("name", sort=False)
    in_order = lambda pillars: sorted(pillars, key=PILLARS.index)  # noqa: E731
    names = [
        f"{name} ({', '.join(PILLAR_LABELS[p].lower() for p in in_order(part[pillar]))})"
        if pillar
        else str(name)
        for name, part in grouped
    ]
    shown = names if pillar is None else names[:NAMES_SHOWN]
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


@st.cache_data(show_spinner=False, max_entries=queries.PER_COUNTRY)
def status_changes(version: str, release: str, before: str) -> pd.DataFrame:
    """Country-pillar rows whose status, or DPI-like flag where both releases assessed it,
    differs between two releases; `newly_implemented` (implemented now, not before) and
    `newly_dpi_like` (flag No before, Yes now) say what kind of change it is."""
    old, new = queries.status_long(version, before), queries.status_long(version, release)
    merged = new.merge(old, on=["iso3", "name", "pillar"], suffixes=("", "_before"))
    both_assessed = merged["dpi_like"].notna() & merged["dpi_like_before"].notna()
    flag_changed = both_assessed & (merged["dpi_like"] != merged["dpi_like_before"])
    changed = merged.loc[(merged["status"] != merged["status_before"]) | flag_changed].copy()
    changed["newly_implemented"] = (changed["status"] == "implemented") & (
        changed["status_before"] != "implemented"
    )
    now, then = (changed[c].astype("boolean") for c in ("dpi_like", "dpi_like_before"))
    changed["newly_dpi_like"] = (now.eq(True) & then.eq(False)).fillna(False).astype(bool)
    return changed.reset_index(drop=True)
