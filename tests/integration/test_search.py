"""One country search (real warehouse): every picker's labels, ranked as the browser ranks them
(tests/fzy.py), put the country a user means first, so Enter picks it and only it.

Also: the reviewed alias list names real countries, and links read those spellings.
"""

import csv

import pytest
import streamlit as st

from atlas import db, paths, selection
from tests.fzy import ranked

pytestmark = pytest.mark.integration

# Typed text -> the one option Enter must pick (the examples and their kind).
FIRST = {
    "India": "IND",
    "Turkey": "TUR",
    "Ivory Coast": "CIV",
    "Cote": "CIV",
    "CIV": "CIV",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Swaziland": "SWZ",
    "Eswatini": "SWZ",
    "United States": "USA",
    "Niger": "NER",
    "Guinea": "GIN",
    "Sudan": "SDN",
    "Dominica": "DMA",
    "AUS": "AUS",
    "Income: Low": "income:low",
    "Income: Lower": "income:lower-middle",
    "Region: South Asia": "wb:south-asia",
}
# Typed spellings of a country whose label another outranks, each for a stated reason: the
# browser ranks by where the match starts and by how long the label is, nothing else.
KNOWN_SECOND = {
    ("Republic of the Congo", "COG"),  # DR Congo's name contains it, and its label is shorter
    ("MAC", "MAC"),  # Macau's label is long (DPI Map's "China, Macao Special ...")
    ("Micronesia", "FSM"),  # the UN subregion "Micronesia" is a shorter label
    ("UK", "GBR"),  # Ukraine's code UKR starts with "UK"
    ("VIR", "VIR"),  # British Virgin Islands' label is shorter
}


@pytest.fixture(scope="module")
def options(real_warehouse, monkeypatch_module):
    monkeypatch_module.setenv("DPI_DB", str(real_warehouse))
    st.cache_data.clear()
    with db.pinned():
        version = db.version()
        labels = selection.country_labels(version) | selection.group_items(version)
        aliases = selection.search_aliases(version)
        spellings = selection.country_spellings(version)
    st.cache_data.clear()
    return labels, aliases, spellings


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def first_pick(labels: dict[str, str], typed: str) -> str | None:
    by_label = {label: key for key, label in labels.items()}
    order = ranked(typed, list(labels.values()))
    return by_label[order[0]] if order else None


@pytest.mark.parametrize(("typed", "expected"), FIRST.items())
def test_enter_picks_the_exact_or_alias_match(options, typed, expected):
    labels, _, _ = options
    assert first_pick(labels, typed) == expected


def test_every_name_code_and_alias_finds_its_country_first(options):
    labels, aliases, _ = options
    missed = set()
    countries = {k: v for k, v in labels.items() if len(k) == 3 and k.isupper()}
    for iso3, label in countries.items():
        name = label.split(" · ")[1]
        for typed in {iso3, name, *aliases.get(iso3, [])}:
            if not ranked(typed, list(labels.values())):  # e.g. a curly apostrophe
                continue
            if first_pick(labels, typed) != iso3:
                missed.add((typed, iso3))
    assert missed <= KNOWN_SECOND, sorted(missed - KNOWN_SECOND)


def test_the_reviewed_aliases_name_real_countries(options):
    labels, _, spellings = options
    with (paths.REFERENCE / "search_aliases.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["note"].strip() for row in rows)  # each says what it is
    for row in rows:
        assert row["iso3"] in labels, row
        assert row["alias"] in labels[row["iso3"]] or row["alias"] in labels[row["iso3"]].replace(
            " (", " "
        ).replace(")", "")
        assert spellings[selection.fold(row["alias"])] == row["iso3"]  # links read it too
