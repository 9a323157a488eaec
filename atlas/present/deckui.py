"""Under a map and on the Presenter page: download the view as a slide, save it to a deck,
and the deck's table, download and caption facts."""

import streamlit as st

from atlas import frame
from atlas.categories import PILLAR_NAMES, PILLAR_NOUNS
from atlas.figures import selection_of
from atlas.present import decks, export, facts, slides
from atlas.selection import ALL, measure_label


def slide_tools(version: str, view: dict[str, str], releases: list[str]) -> None:
    """Under a map: download it as a slide (PNG), save it as a deck slide."""
    view = {
        "pillar": "stack",
        "measure": "status",
        "country": "",
        "region": ALL,
        "income": ALL,
    } | view
    if view["pillar"] == "stack" or view["page"] == "overview":
        view |= {"pillar": "stack", "measure": "status"}
    present = frame.presenting()
    what = measure_label(version, view["pillar"], view["measure"])
    title = f"{PILLAR_NAMES[view['pillar']]}: {what}"
    subtitle = f"{selection_of(view).describe()} · DPI Map release {view['release']}"
    name = f"dpi-atlas-{view['pillar']}-{view['release']}"
    with st.container(horizontal=True, vertical_alignment="center", key="slide_tools"):
        with st.container(width=260):
            footer = export.slide_footer(version, view["release"])
            export.export_button(version, view, present, (title, subtitle, footer), name)
        save_view_popover(version, view, title, releases)


# ------------------------------------------------------------------ save a view as a slide
def default_caption(version: str, view: dict[str, str]) -> str:
    """A caption template for a saved view, with the facts that match what it shows."""
    pillar, measure = view.get("pillar", "stack"), view.get("measure", "status")
    if view.get("page") == "overview" or pillar == "stack":
        return "{all_three_pillars} of {countries} countries ({scope}) have implemented all three pillars."
    for fact, (fact_pillar, attribute) in facts.PRESENTER_ATTRIBUTE_FACTS.items():
        if (fact_pillar, f"attr:{attribute}") == (pillar, measure):
            label = measure_label(version, pillar, measure)
            return f"{label}: {{{fact}}} countries ({{scope}}, release {{release}})."
    return (
        f"{{implemented_{pillar}}} countries have implemented {PILLAR_NOUNS[pillar]}; "
        f"{{dpi_like_{pillar}}} of them are DPI-like."
    )


def save_view_popover(version: str, view: dict[str, str], title: str, releases: list[str]) -> None:
    """'Save view as slide': appends the current view to the session's deck (Presenter page)."""
    allowed = decks.PAGES[view["page"]] - ({"measure"} if view.get("pillar") == "stack" else set())
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
            st.session_state.setdefault("added_slides", []).append(slide)
            count = len(st.session_state["added_slides"])
            st.success(f"Added. {count} saved slide(s): see the Presenter page.")
            frame.link_page("pages/present.py", "present", "Open Presenter", ":material/slideshow:")


# ------------------------------------------------------------------ the deck, under the slide
def deck_manager(version: str, deck: decks.Deck, name: str, view: dict[str, str]) -> None:
    """Outside presentation mode: the deck's slides, its download, and the caption facts."""
    added = st.session_state.get("added_slides", [])
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
            f"Forget my {len(added)} saved slide(s)",
            on_click=lambda: st.session_state.pop("added_slides", None),
        )
    with st.expander("Caption facts: {placeholders} you can use, with their current values"):
        values = facts.presenter_facts(version, view["release"], view["region"], view["income"])
        st.dataframe(
            [{"Placeholder": "{" + k + "}", "Value": str(v)} for k, v in sorted(values.items())],
            hide_index=True,
            width="stretch",
        )
