"""atlas.history on tiny hand-made frames: the years of the population figures in words, and
which two releases the transitions open on."""

import pandas as pd

from atlas import history


def people(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "population", "population_year"])


def test_population_years_in_words():
    one_year = people([("A", 10, 2017), ("B", 20, 2017)])
    assert history.population_years(one_year) == "2017 estimates for all 2 countries"
    mixed = people([("A", 10, 2019), ("B", 20, 2019), ("C", 5, 2016), ("D", 5, 2018)])
    assert history.population_years(mixed) == (
        "2019 estimates for 2 of 4 countries (others 2016–2018)"
    )
    gap = people([("A", 10, 2017), ("B", None, None)])
    assert history.population_years(gap) == "2017 estimates for 1 countries; 1 without an estimate"
    assert history.population_years(people([("A", None, None)])) == "no population estimates"


def moves(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["release", "iso3", "name", "pillar", "status", "dpi_like"])


def test_transitions_open_on_the_last_releases_with_a_change():
    frame = moves(
        [
            ("r1", "A", "A", "identity", "none", None),
            ("r2", "A", "A", "identity", "implemented", None),  # moved r1 -> r2
            ("r3", "A", "A", "identity", "implemented", None),
            ("r4", "A", "A", "identity", "implemented", None),
        ]
    )
    releases = ["r1", "r2", "r3", "r4"]
    assert history.default_transition(frame, "identity", releases) == ("r1", "r2")
    assert [n for *_, n in history.changed_pairs(frame, "identity", releases)] == [1, 0, 0]
    still = frame.assign(status="none")
    assert history.default_transition(still, "identity", releases) == ("r3", "r4")
