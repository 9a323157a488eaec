"""etl.problems and the collection of every problem of every release file, on SYNTHETIC files
(hand-written records in a tmp download cache, a made-up manifest)."""

import json

import pytest

from etl import dpimap
from etl.fetch import Cache
from etl.problems import ETLError, Problem, Problems
from etl.sources import release_files

RELEASES = ["2099-01-01", "2099-04-01"]
MANIFEST = {
    "dpimap": {"url": "https://example.org/{release}/{release}-{file}.json", "releases": RELEASES}
}
HEADERS = {
    "identity": ("Digital ID name", "Status of implementation"),
    "data_exchange": ("Data exchange system name", "Status of implementation"),
    "payments": ("Payment system name", "Status of payment system implementation"),
}


def record(pillar, **overrides):
    name, status = HEADERS[pillar]
    return {"Country / Region": "Kenya", name: "System", status: "Implemented"} | overrides


@pytest.fixture
def cache(tmp_path):
    """Every synthetic release file well-formed, in a download cache."""
    cache = Cache(tmp_path / "raw")
    for item in release_files(MANIFEST):
        cache.store(item.url, json.dumps([record(item.pillar)]).encode())
    return cache


def store(cache, release, pillar, records):
    (item,) = [f for f in release_files(MANIFEST) if (f.release, f.pillar) == (release, pillar)]
    cache.store(item.url, json.dumps(records).encode())


def test_good_files_give_tables_and_no_problems(cache):
    problems = Problems()
    tables = dpimap.normalise(MANIFEST, cache, problems)
    assert len(problems) == 0
    assert len(tables["raw_systems"]) == len(RELEASES) * 3
    assert set(tables["raw_systems"]["source_id"]) == {
        f"dpimap:{r}:{p}" for r in RELEASES for p in HEADERS
    }


def test_two_bad_release_files_give_one_error_listing_both(cache):
    store(cache, RELEASES[0], "identity", [record("identity", **{"Favourite colour": "blue"})])
    bad_status = {"Status of payment system implementation": "Half done"}
    store(cache, RELEASES[1], "payments", [record("payments", **bad_status)])
    problems = Problems()
    dpimap.normalise(MANIFEST, cache, problems)
    with pytest.raises(ETLError) as error:
        problems.raise_if_any()
    message = str(error.value)
    assert [p.where.split(":")[0] for p in error.value.problems] == [
        f"release {RELEASES[0]}, identity",
        f"release {RELEASES[1]}, payments",
    ]
    assert message.startswith("2 problem(s) in 2 places:")
    assert f"{RELEASES[0]}-identity.json" in message and f"{RELEASES[1]}-payment.json" in message
    assert "unknown column 'Favourite colour'" in message and "etl/dpimap_columns.py" in message
    assert "unknown status 'Half done'" in message and "STATUS_VALUES" in message


def test_an_unreadable_file_does_not_hide_the_next_ones(cache):
    item = release_files(MANIFEST)[0]
    cache.store(item.url, b"<!DOCTYPE html><title>502</title>")
    store(cache, RELEASES[1], "identity", [record("identity"), record("identity")])
    problems = Problems()
    tables = dpimap.normalise(MANIFEST, cache, problems)
    wheres = [p.where.split(":")[0] for p in problems.found]
    assert wheres == [f"release {RELEASES[0]}, identity", f"release {RELEASES[1]}, identity"]
    assert problems.found[0].message.startswith("got an HTML page, not JSON")
    assert problems.found[1].message.startswith("duplicated record: 'Kenya' / system 'System'")
    assert len(tables["raw_systems"]) == len(RELEASES) * 3 - 2  # the good files still read


def test_one_problem_reads_as_one_line_with_its_fix():
    error = ETLError(Problem("release 2099-01-01, identity: x.json", "bad value 'X'", "fix it"))
    assert str(error) == "release 2099-01-01, identity: x.json: bad value 'X'. Fix: fix it"
    assert ETLError("plain").problems == [Problem("", "plain")]


def test_problems_of_one_place_are_listed_under_it():
    problems = Problems("deck.toml")
    problems.add("slide 1: unknown page", "use one of map, trends")
    problems.add("slide 2: no title")
    with pytest.raises(ETLError, match=r"^deck\.toml: 2 problem\(s\)\n  - slide 1") as error:
        problems.raise_if_any()
    assert str(error.value).endswith("  - slide 2: no title")


def test_collect_keeps_a_raised_error_and_carries_on():
    problems = Problems()
    with problems.collect():
        raise ETLError(Problem("a.csv", "broken"), Problem("a.csv", "also broken"))
    with problems.collect():
        pass
    assert [p.message for p in problems.found] == ["broken", "also broken"]
    Problems().raise_if_any()  # nothing found: no error
