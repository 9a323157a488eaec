"""Under a map and on the Presenter page: download the view as a slide, save it to a deck,
and the deck's table, download and caption facts."""

import pandas as pd
import streamlit as st

from atlas import frame
from atlas.categories import PILLAR_NAMES, PILLAR_NOUNS
from atlas.figures import selection_of
from atlas.present import decks, export, facts, slides
from atlas.selection import ALL, measure_label


def slide_tools(version: str, view: dict[str, str], releases: list[str]) -> None:
    """Under a map: download it as a slide (PNG), save it as a deck slide."""
    keep = view.get("measure", "status") != "status"  # the stack's changes or an outcome
    view = {
        "pillar": "stack",
        "measure": "status",
        "country": "",
        "region": ALL,
        "income": ALL,
    } | view
    if view["page"] == "overview" or (view["pillar"] == "stack" and not keep):
        view |= {"pillar": "stack", "measure": "status"}
    present = frame.presenting()
    what = measure_label(version, view["pillar"], view["measure"])
    title = f"{PILLAR_NAMES[view['pillar']]}: {what}"
    subtitle = f"{selection_of(view).describe()} · DPI Map release {view['release']}"
    name = f"dpi-atlas-{view['pillar']}-{view['release']}"
    with st.container(horizontal=True, vertical_alignment="center", key="slide_tools"):
        with st.container(width=260):
            footer = export.slide_footer(version, view["release"], view["measure"])
            texts = (title, subtitle, footer)
            export.export_button(version, view, present, texts, name, frame.dark_theme())
        save_view_popover(version, view, title, releases)


# ------------------------------------------------------------------ save a view as a slide
def default_caption(version: str, view: dict[str, str]) -> str:
    """A caption template for a saved view, with the facts that match what it shows."""
    pillar, measure = view.get("pillar", "stack"), view.get("measure", "status")
    if measure == "changes":
        return (
            "Since {previous_release}, {changed_countries} countries changed status or DPI-like "
            "flag in at least one pillar: {newly_implemented} newly implemented one "
            "({newly_implemented_names}), {newly_dpi_like} had the DPI-like flag turned on in one."
        )
    if measure == "block":
        noun = PILLAR_NOUNS[pillar]
        return (
            f"Of the {{implemented_{pillar}}} countries with {noun} implemented, the DPI Map "
            f"names an open building block for {{open_block_{pillar}}}, and a proprietary vendor "
            f"but no open block for {{vendor_{pillar}}}; for the others it names neither "
            f"({{scope}}, release {{release}})."
        )
    if view.get("page") == "overview" or pillar == "stack":
        return "{all_three_pillars} of {countries} countries ({scope}) have implemented all three pillars."
    for fact, (fact_pillar, attribute, *_) in facts.PRESENTER_ATTRIBUTE_FACTS.items():
        if (fact_pillar, f"attr:{attribute}") == (pillar, measure):
            label = measure_label(version, pillar, measure)
            return (
                f"{label}: {{{fact}}} of the {{implemented_{pillar}}} countries with "
                f"{PILLAR_NOUNS[pillar]} implemented, on their main (most advanced) system "
                f"({{scope}}, release {{release}})."
            )
    return (
        f"{{implemented_{pillar}}} countries have implemented {PILLAR_NOUNS[pillar]}; "
        f"{{dpi_like_{pillar}}} of them are DPI-like."
    )


def save_view_popover(version: str, view: dict[str, str], title: str, releases: list[str]) -> None:
    """'Save view as slide': appends the current view to the session's deck (Presenter page)."""
    stack_status = view.get("pillar") == "stack" and view.get("measure", "status") == "status"
    allowed = decks.PAGES[view["page"]] - ({"measure"} if stack_status else set())
    params = {k: v for k, v in view.items() if k in allowed and v not in (None, "", ALL)}
    params["page"] = view["page"]
    if params.get("release") == releases[-1]:
        params["release"] = "latest"
    with st.popover("Save view as slide", icon=":material/add_to_queue:"):
        slide_title = st.text_input("Slide title", title, key="save_slide_title")
        text = st.text_input(
            "Caption ({fact} placeholders are filled from the data)",
            default_caption(version, view),
            key="save_slide_caption",
            help="Facts: "
            + ", ".join("{" + f + "}" for f in sorted(slides.catalogue(version).facts)),
        )
        names = [*slides.deck_names(), slides.NEW_DECK]
        last = st.session_state.get("slide_deck", slides.NEW_DECK)
        target = st.selectbox(
            "Add to",
            names,
            index=names.index(last) if last in names else len(names) - 1,
            format_func=slides.deck_label,
            key="save_slide_deck",
            help="Your slides stay in this browser session: download the deck from the "
            "Presenter page to keep it.",
        )
        if st.button("Add to deck", icon=":material/add:", key="save_slide"):
            problems = decks.caption_problems(text)
            unknown = (
                []
                if problems
                else sorted(decks.caption_fields(text) - slides.catalogue(version).facts)
            )
            if problems or unknown:
                st.error(problems[0] if problems else f"Unknown fact(s): {', '.join(unknown)}")
                return
            slide = decks.Slide(slide_title.strip() or title, text, decks.view_query(params))
            number = slides.add_slide(target, slide)
            st.success(f"Added as slide {number} of the deck “{slides.deck_label(target)}”.")
            frame.link_page(
                "pages/present.py",
                "present",
                f"Open slide {number} of that deck on the Presenter",
                ":material/slideshow:",
                {
                    "deck": slides.deck_label(target),
                    "slide": str(number),
                },  # as the picker writes it
            )


# ------------------------------------------------------------------ the deck, under the slide
def deck_manager(version: str, deck: decks.Deck, name: str, view: dict[str, str]) -> None:
    """Outside presentation mode: the deck's slides, its download, and the caption facts."""
    added = slides.added_slides(name)
    st.divider()
    st.subheader(f"Deck: {deck.title}")
    st.caption(f"{deck.source} · {len(deck.slides)} slides · {deck.description}")
    st.button(
        "Start presenting",
        icon=":material/slideshow:",
        type="primary",
        on_click=lambda: st.session_state.update(present=True),
        help="No sidebar, large type. Arrow keys (or a clicker's Page Down / Page Up) step "
        "through the slides.",
    )
    rows = [{"#": i, "Title": s.title, "View": s.view} for i, s in enumerate(deck.slides, 1)]
    st.dataframe(rows, hide_index=True, width="stretch")
    download, clear = st.columns([1, 1])
    download.download_button(
        "Download deck (.toml)",
        decks.dump_deck(deck),
        file_name=f"{name}.toml",
        mime="application/toml",
        icon=":material/download:",
        help="Put the file in data/decks/ to present it from there.",
    )
    if added:
        clear.button(
            f"Forget the {len(added)} slide(s) I added to this deck",
            on_click=slides.forget_slides,
            args=(name,),
        )
    with st.expander("Caption facts: every {placeholder} you can use, its value and definition"):
        st.table(pd.DataFrame(fact_rows(version, view)), hide_index=True)  # wrapped, readable


def fact_rows(version: str, view: dict[str, str], names: set[str] | None = None) -> list[dict]:
    """Placeholder, value and definition of every caption fact (or of `names`), for the view's
    release and selection."""
    args = (version, view["release"], view["region"], view["income"])
    values, words = facts.fact_table(*args)
    return [
        {"Placeholder": "{" + k + "}", "Value": str(v), "Definition": words[k]}
        for k, v in values.items()
        if names is None or k in names
    ]


def slide_facts(version: str, slide: decks.Slide, view: dict[str, str]) -> None:
    """Under the slide (not while presenting): what each number of its caption counts."""
    used = decks.caption_fields(slide.caption)
    if not used:
        return
    st.markdown("**What the caption's numbers count** (values for this slide's release and scope)")
    st.table(pd.DataFrame(fact_rows(version, view, used)), hide_index=True)
