"""Deck files (decks.py) on tiny SYNTHETIC decks: parsing, errors with file and line, checks
against a synthetic catalogue, captions, release words, and the round trip to TOML."""

from pathlib import Path

import pytest

from atlas.present import decks

GOOD = """\
title = "Synthetic deck"

[[slide]]
title = "One"
caption = "{dpi_like_identity} countries"
view = "page=map&pillar=identity&measure=dpi_like&release=latest"

[[slide]]
title = "Two"
caption = "Since {previous_release}"
view = "page=overview&release=previous"
"""
CATALOGUE = decks.Catalogue(
    releases=["2099-01-01", "2099-04-01"],
    facts={"dpi_like_identity", "previous_release"},
    regions={"WB: Testland region"},
    incomes={"High income"},
    countries={"TST"},
    attributes={"payments": {"real_time_payments"}, "identity": set(), "data_exchange": set()},
)


def parse_problems(text: str) -> list[str]:
    with pytest.raises(decks.DeckError) as raised:
        decks.parse_deck(text, "decks/bad.toml")
    return raised.value.messages


def slide(view: str, caption: str = "text", title: str = "T") -> decks.Slide:
    return decks.Slide(title, caption, view, line=7)


def test_a_good_deck_parses_with_the_line_of_each_slide():
    deck = decks.parse_deck(GOOD, "decks/good.toml")
    assert deck.title == "Synthetic deck"
    assert [s.title for s in deck.slides] == ["One", "Two"]
    assert [s.line for s in deck.slides] == [3, 8]
    assert deck.slides[0].params == {
        "page": "map",
        "pillar": "identity",
        "measure": "dpi_like",
        "release": "latest",
    }
    assert deck.slides[1].page == "overview"
    assert decks.check_deck(deck, CATALOGUE) == []


def test_malformed_toml_names_the_file_and_line():
    text = GOOD.replace('title = "Two"', 'title = "Two')
    with pytest.raises(decks.DeckError, match=r"decks/bad\.toml") as raised:
        decks.parse_deck(text, "decks/bad.toml")
    (problem,) = raised.value.messages
    assert problem.startswith("line 9, column")
    assert "not valid TOML" in problem


def test_every_problem_is_reported_with_its_slides_line():
    text = GOOD.replace('title = "One"', 'titel = "One"').replace("page=overview", "page=trends")
    problems = parse_problems(text)
    assert "line 3: slide 1: unknown key 'titel' (a slide has: title, caption, view)" in problems
    assert "line 3: slide 1: 'title' is missing or empty (it must be a text in quotes)" in problems
    assert any(
        p.startswith("line 8: slide 2: view needs page=map or page=overview") for p in problems
    )
    assert len(problems) == 3


def test_a_deck_without_title_or_slides():
    problems = parse_problems('description = "no title"\n[[slides]]\ntitle = "x"\n')
    assert any("line 2: unknown key 'slides'" in p for p in problems)
    assert any("the deck needs a title" in p for p in problems)
    assert any("the deck has no [[slide]] tables" in p for p in problems)


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("page=map&pillar=money", "view pillar='money' is not valid"),
        ("page=map&measure=colour", "view measure='colour' is not valid"),
        ("page=map&release=last-year", "view release='last-year' is not valid"),
        ("page=map&country=kenya", "view country='kenya' is not valid"),
        (
            "page=map&pillar=stack&measure=dpi_like",
            "pillar=stack takes measure=status, measure=changes or measure=outcome",
        ),
        ("page=overview&pillar=identity", "parameter 'pillar' is not used by page overview"),
        ("page=map&zoom=3", "parameter 'zoom' is not used by page map"),
        ("page=map&pillar=identity&pillar=payments", "repeats a parameter"),
        ("pillar=identity", "view needs page=map or page=overview (found None)"),
        ("page=map&&", "is not a query string"),
    ],
)
def test_view_problems(view, expected):
    problems = decks.view_problems(view)
    assert any(expected in p for p in problems), problems


def test_a_malformed_caption_template_is_reported():
    problems = decks.slide_problems({"title": "T", "caption": "{unclosed", "view": "page=map"})
    assert problems == [
        "caption is not a valid template (expected '}' before end of string); "
        "write literal braces as {{ }}"
    ]


@pytest.mark.parametrize(
    ("view", "caption", "expected"),
    [
        ("page=map", "{nope} countries", "caption uses unknown fact(s) {nope}"),
        ("page=map&release=2000-01-01", "x", "release 2000-01-01 is not in the warehouse"),
        ("page=map&region=WB: Atlantis", "x", "region 'WB: Atlantis' is not one of"),
        ("page=map&income=Rich", "x", "income 'Rich' is not one of"),
        ("page=map&country=ZZZ", "x", "country ZZZ is not in the warehouse"),
        ("page=map&pillar=payments&measure=attr:cbdc", "x", "payments has no yes/no attribute"),
    ],
)
def test_checks_against_the_warehouse_name_the_slide_line(view, caption, expected):
    deck = decks.Deck("D", (slide(view, caption),), "decks/d.toml")
    (problem,) = decks.check_deck(deck, CATALOGUE)
    assert problem.startswith("line 7: slide 1: ")
    assert expected in problem


def test_known_values_pass_the_warehouse_checks():
    view = "page=map&pillar=payments&measure=attr:real_time_payments&region=WB: Testland region"
    view += "&income=High income&country=TST&release=2099-01-01"
    assert decks.slide_data_problems(slide(view, "{previous_release}"), CATALOGUE) == []


def test_release_words_resolve_against_the_warehouse():
    releases = ["2099-01-01", "2099-04-01", "2099-07-01"]
    assert decks.resolve_release("latest", releases) == "2099-07-01"
    assert decks.resolve_release(None, releases) == "2099-07-01"
    assert decks.resolve_release("previous", releases) == "2099-04-01"
    assert decks.resolve_release("first", releases) == "2099-01-01"
    assert decks.resolve_release("2099-04-01", releases) == "2099-04-01"
    assert decks.resolve_release("previous", releases[:1]) == "2099-01-01"


def test_captions_fill_from_facts():
    assert decks.caption_fields("{a} of {b}, {{literal}}") == {"a", "b"}
    assert decks.fill_caption("{a} of {b}, {{x}}", {"a": 3, "b": "ten"}) == "3 of ten, {x}"


def test_a_saved_view_becomes_a_slide_and_the_deck_round_trips():
    deck = decks.parse_deck(GOOD, "decks/good.toml")
    params = {"pillar": "payments", "page": "map", "region": "WB: Testland region", "country": ""}
    view = decks.view_query(params)
    assert view == "page=map&pillar=payments&region=WB:+Testland+region"
    added = decks.with_slide(deck, decks.Slide("Three", 'Say "hi" {x}', view))
    text = decks.dump_deck(added)
    again = decks.parse_deck(text, "decks/again.toml")
    assert [(s.title, s.caption, s.view) for s in again.slides] == [
        (s.title, s.caption, s.view) for s in added.slides
    ]
    assert again.slides[2].params["region"] == "WB: Testland region"
    assert again.title == "Synthetic deck"


def test_load_deck_reports_the_path_relative_to_the_project(tmp_path: Path):
    (tmp_path / "decks").mkdir()
    path = tmp_path / "decks" / "broken.toml"
    path.write_text('title = "x"\n[[slide]\n', encoding="utf-8")
    with pytest.raises(
        decks.DeckError, match=r"deck decks/broken\.toml: line 2, column 8: not valid TOML"
    ) as raised:
        decks.load_deck(path, tmp_path)
    assert raised.value.messages[0].startswith("line 2, column")
    assert decks.deck_files(tmp_path / "decks") == {"broken": path}
    assert decks.deck_files(tmp_path / "missing") == {}


def test_the_shipped_decks_are_well_formed():
    """Every deck in data/decks/ parses (its data checks run in tests/app/test_present.py)."""
    folder = Path(__file__).resolve().parents[2] / "data" / "decks"
    names = decks.deck_files(folder)
    assert "global-story" in names
    for path in names.values():
        assert decks.load_deck(path).slides


@pytest.mark.parametrize("measure", ["status", "changes"])
def test_the_stack_takes_its_status_or_the_changes(measure):
    assert decks.view_problems(f"page=map&pillar=stack&measure={measure}") == []
    assert decks.view_problems(f"page=map&pillar=payments&measure={measure}") == []


@pytest.mark.parametrize(("part", "whole", "shown"), [(109, 200, "55%"), (23, 40, "58%"), (1, 8, "13%"), (0, 5, "0%"), (3, 0, "n/a")])  # fmt: skip
def test_a_share_rounds_halves_up_as_its_definition_says(part, whole, shown):
    from atlas.present.facts import share_words

    assert share_words(part, whole) == shown
