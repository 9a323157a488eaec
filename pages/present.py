"""Presenter: step through a deck of saved views (data/decks/*.toml) on a big screen."""

import streamlit as st

from atlas import db, figures, frame, mapview
from atlas.outcome_figures import outcome_source
from atlas.present import decks, deckui, export, slides

frame.page_setup("Presenter", filters=False)
version = db.version()
present = frame.presenting()
dark = frame.dark_theme()
names = slides.deck_names()
added = slides.added_slides(slides.NEW_DECK)
options = [*names, slides.NEW_DECK] if added or not names else list(names)
with st.sidebar:
    deck_name = st.selectbox(
        "Deck", options, format_func=slides.deck_label, key="deck", bind="query-params"
    )


def show_problems(source: str, problems: list[str]) -> None:
    listed = "\n".join(f"- {problem}" for problem in problems)
    st.error(
        f"**Deck `{source}` cannot be shown.**\n\n{listed}\n\nFix what each line says, then reload."
    )
    st.stop()


try:
    deck = slides.load_deck(deck_name)
except decks.DeckError as error:
    show_problems(error.source, error.messages)
if problems := decks.check_deck(deck, slides.catalogue(version)):
    show_problems(deck.source, problems)
if not deck.slides:
    st.title("Presenter")
    st.info("This deck has no slides yet: use **Save view as slide** on the Map explorer.")
    st.stop()


def clamp(number: int) -> int:
    return min(max(number, 1), len(deck.slides))


def step(delta: int) -> None:
    st.session_state["slide_number"] = clamp(st.session_state["slide_number"] + delta)


if st.session_state.get("slide_deck") != deck_name:  # first visit: ?slide=N; new deck: 1
    first_visit = "slide_deck" not in st.session_state
    wanted = st.query_params.get("slide", "1") if first_visit else "1"
    st.session_state["slide_number"] = int(wanted) if wanted.isdigit() else 1
    st.session_state["slide_deck"] = deck_name
number = clamp(st.session_state["slide_number"])
st.session_state["slide_number"] = number
st.query_params["slide"] = str(number)
slide = deck.slides[number - 1]
view = slides.resolve(version, slide)

title, controls = st.columns([2, 1], vertical_alignment="center")
title.title(slide.title)
with controls.container(
    horizontal=True,
    horizontal_alignment="right",
    vertical_alignment="center",
    wrap=False,
    key="deck_nav",
):
    # Plain names ("Previous", "Next"): no icon or key hint in them; the keys are below.
    st.button("Previous", key="deck_previous", on_click=step, args=(-1,), disabled=number == 1)
    st.markdown(f"**slide {number} of {len(deck.slides)}**")
    last = number == len(deck.slides)
    st.button("Next", key="deck_next", on_click=step, args=(1,), disabled=last)
with st.container(key="clicker_keys"):  # arrow keys, and a clicker's Page Down / Page Up
    for label, key, delta, shortcut in (
        ("Next slide", "arrow_next", 1, "Right"),
        ("Previous slide", "arrow_back", -1, "Left"),
        ("Next slide (clicker)", "clicker_next", 1, "PageDown"),
        ("Previous slide (clicker)", "clicker_back", -1, "PageUp"),
    ):
        st.button(label, key=key, on_click=step, args=(delta,), shortcut=shortcut)
st.html(
    "<style>.st-key-clicker_keys, [data-testid='stLayoutWrapper']:has(> .st-key-clicker_keys)"
    " {display: none;}</style>"
)
text = slides.caption(version, slide, view)
with st.container(key="slide_caption"):
    st.markdown(text)

figure, _ = figures.view_map(version, view, present, dark)
mapview.map_chart(
    figure,
    present=present,
    stage="slide_map",
    reserve_px=290,
    below_px=60,  # the download button and the link stay on the screen
    key="slide_chart",
    config=mapview.plotly_config(version, f"dpi-slide-{number}") | {"displayModeBar": not present},
)
left, right = st.columns([1, 1], vertical_alignment="center")
with left:
    footer = export.slide_footer(version, view["release"], view["measure"])
    texts = (slide.title, text, footer)
    export.export_button(version, view, present, texts, f"dpi-slide-{number}", dark)
right.markdown(
    f"<div style='text-align:right'><a href='{slides.deep_link(version, slide)}' target='_self'>"
    "Open this view in the dashboard</a></div>",
    unsafe_allow_html=True,
)

if not present:
    deckui.slide_facts(version, slide, view)
    deckui.deck_manager(version, deck, deck_name, view)
frame.footer(figures.selection_of(view), outcome_source(version, view["measure"]))
