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
    fold,
    income_id,
    income_options,
    income_spellings,
    measure_label,
    measure_options,
    region_id,
    region_options,
    region_spellings,
)

NEW_DECK = "new"  # the deck picker's entry for a deck made of slides saved in this session
NEW_DECK_LABEL = "A new deck (your saved slides)"
ADDED = "added_slides"  # session state: deck name -> slides added to it in this session


def deck_names() -> dict[str, Path]:
    return decks.deck_files(paths.deck_dir())


def deck_label(name: str) -> str:
    return NEW_DECK_LABEL if name == NEW_DECK else name


def added_slides(name: str) -> list[decks.Slide]:
    """The slides this session added to a deck (NEW_DECK: the new deck's)."""
    return st.session_state.get(ADDED, {}).get(name, [])


def add_slide(name: str, slide: decks.Slide) -> int:
    """Append a slide to a deck for this session; its number in that deck. The Presenter
    page opens on it next (slide_deck / slide_number are the page's own state)."""
    st.session_state.setdefault(ADDED, {}).setdefault(name, []).append(slide)
    number = len(load_deck(name).slides)
    st.session_state.update(slide_deck=name, slide_number=number)
    return number


def forget_slides(name: str) -> None:
    st.session_state.get(ADDED, {}).pop(name, None)


def load_deck(name: str) -> decks.Deck:
    """The named deck file plus the slides this session added to it (DeckError if malformed)."""
    path = deck_names().get(name)
    deck = decks.load_deck(path, paths.ROOT) if path else decks.Deck("My deck", (), "(new deck)")
    for slide in added_slides(name):
        deck = decks.with_slide(deck, slide)
    return deck


@st.cache_data(show_spinner=False)
def catalogue(version: str) -> decks.Catalogue:
    releases = queries.releases(version)
    unavailable = facts.unavailable_facts(version)
    return decks.Catalogue(
        releases=releases,
        facts=set(facts.presenter_facts(version, releases[-1])) - set(unavailable),
        unavailable=unavailable,
        regions={f(o) for o in region_options(version)[1:] for f in (str, region_id)},
        incomes={f(o) for o in income_options(version)[1:] for f in (str, income_id)},
        countries=set(queries.countries(version)["iso3"]),
        attributes={p: set(queries.yes_no_attributes(version, p)) for p in PILLARS},
        measures={
            p: {m for m in measure_options(version, p) if not m.startswith("attr:")}
            for p in (*PILLARS, "stack")
        },
    )  # regions and incomes by label ('WB: South Asia') or id ('wb:south-asia')


def spelled(spellings: dict[str, str], value: str) -> str:
    """A deck's region or income, by id or label, as the option the app uses."""
    return spellings.get(value) or spellings.get(fold(value)) or value


def resolve(version: str, slide: decks.Slide) -> dict[str, str]:
    """The slide's view with defaults filled in and 'latest'/'previous'/'first' resolved."""
    params = slide.params
    overview = params.get("page") == "overview"
    pillar = "stack" if overview else params.get("pillar", "identity")
    measure = "status" if overview else params.get("measure", "status")
    return {
        "page": params.get("page", "map"),
        "release": decks.resolve_release(params.get("release"), queries.releases(version)),
        "pillar": pillar,
        "measure": measure,
        "region": spelled(region_spellings(version), params.get("region", ALL)),
        "income": spelled(income_spellings(version), params.get("income", ALL)),
        "country": params.get("country", ""),
    }


def caption(version: str, slide: decks.Slide, view: dict[str, str]) -> str:
    values = facts.presenter_facts(version, view["release"], view["region"], view["income"])
    return decks.fill_caption(slide.caption, values)


def deep_link(version: str, slide: decks.Slide, present: bool = False) -> str:
    """Relative URL that opens the slide's view on its page, in the app's own address form
    (stable ids, as the page writes them: README, "Links"); 'latest' follows the newest
    release."""
    params, view = slide.params, resolve(version, slide)
    link = {}
    if view["page"] == "map":
        link["pillar"] = view["pillar"]
        if view["measure"] != "status":
            link["measure"] = view["measure"]
        if view["country"]:
            link["country"] = view["country"]
    if params.get("release", "latest") != "latest":
        link["release"] = view["release"]
    if view["region"] != ALL:
        link["region"] = region_id(view["region"])
    if view["income"] != ALL:
        link["income"] = income_id(view["income"])
    if present:
        link["present"] = "true"
    path = "./" if view["page"] == "overview" else f"./{view['page']}"  # the default page: /
    return path + (f"?{urlencode(link)}" if link else "")


def heading(version: str, view: dict[str, str]) -> str:
    what = measure_label(version, view["pillar"], view["measure"])
    scope = selection_of(view).describe()
    return f"{PILLAR_NAMES[view['pillar']]} · {what} · release {view['release']} · {scope}"
