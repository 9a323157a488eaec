"""Deck slides as views: which deck files there are, a slide's view with its defaults and
'latest' resolved, its caption filled from the data, its heading and its deep link."""

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from atlas import paths, queries
from atlas.categories import PILLAR_NAMES, PILLARS
from atlas.figures import selection_of
from atlas.present import decks, facts
from atlas.selection import (
    ALL,
    income_options,
    measure_label,
    region_options,
)

NEW_DECK = "new"  # the deck picker's entry for the slides saved in this session


def deck_names() -> dict[str, Path]:
    return decks.deck_files(paths.deck_dir())


def load_deck(name: str) -> decks.Deck:
    """The named deck file plus the slides saved in this session (DeckError if malformed)."""
    path = deck_names().get(name)
    deck = decks.load_deck(path, paths.ROOT) if path else decks.Deck("My deck", (), "(new deck)")
    for slide in st.session_state.get("added_slides", []):
        deck = decks.with_slide(deck, slide)
    return deck


@st.cache_data(show_spinner=False)
def catalogue(version: str) -> decks.Catalogue:
    releases = queries.releases(version)
    return decks.Catalogue(
        releases=releases,
        facts=set(facts.presenter_facts(version, releases[-1])),
        regions=set(region_options(version)) - {ALL},
        incomes=set(income_options(version)) - {ALL},
        countries=set(queries.countries(version)["iso3"]),
        attributes={p: set(queries.yes_no_attributes(version, p)) for p in PILLARS},
    )


def resolve(version: str, slide: decks.Slide) -> dict[str, str]:
    """The slide's view with defaults filled in and 'latest'/'previous'/'first' resolved."""
    params = slide.params
    overview = params.get("page") == "overview"
    return {
        "page": params.get("page", "map"),
        "release": decks.resolve_release(params.get("release"), queries.releases(version)),
        "pillar": "stack" if overview else params.get("pillar", "identity"),
        "measure": "status" if overview else params.get("measure", "status"),
        "region": params.get("region", ALL),
        "income": params.get("income", ALL),
        "country": params.get("country", ""),
    }


def caption(version: str, slide: decks.Slide, view: dict[str, str]) -> str:
    values = facts.presenter_facts(version, view["release"], view["region"], view["income"])
    return decks.fill_caption(slide.caption, values)


def deep_link(version: str, slide: decks.Slide, present: bool = False) -> str:
    """Relative URL that opens the slide's view on its page, in the app's own address form
    (option labels, as the bound widgets write them); 'latest' follows the newest release."""
    params, view = slide.params, resolve(version, slide)
    link = {}
    if view["page"] == "map":
        link["pillar"] = PILLAR_NAMES[view["pillar"]]
        if view["pillar"] != "stack":
            link["measure"] = measure_label(version, view["pillar"], view["measure"])
        if view["country"]:
            names = queries.countries(version).set_index("iso3")["name"]
            link["country"] = names.get(view["country"], view["country"])
    if params.get("release", "latest") != "latest":
        link["release"] = view["release"]
    link |= {k: view[k] for k in ("region", "income") if view[k] != ALL}
    if present:
        link["present"] = "true"
    path = "./" if view["page"] == "overview" else f"./{view['page']}"  # the default page: /
    return path + (f"?{urlencode(link)}" if link else "")


def heading(version: str, view: dict[str, str]) -> str:
    what = measure_label(version, view["pillar"], view["measure"])
    scope = selection_of(view).describe()
    return f"{PILLAR_NAMES[view['pillar']]} · {what} · release {view['release']} · {scope}"
