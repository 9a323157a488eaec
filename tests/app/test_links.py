"""Links (AppTest, synthetic warehouse): every documented example opens, empty, unknown and
contradictory parameters never raise on any page, ids go in, old labels still work.

The README's table ("Links: every parameter of every page") is the list of parameters: this
file parses it, so a parameter documented there is a parameter tested here.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = {
    "overview": "pages/overview.py",
    "map": "pages/map.py",
    "trends": "pages/trends.py",
    "country": "pages/country.py",
    "compare": "pages/compare.py",
    "present": "pages/present.py",
    "sources": "pages/sources.py",
    "outcomes": "pages/outcomes.py",
    "blocks": "pages/blocks.py",
}
PAGE_NAMES = {
    "Overview": "overview",
    "Map explorer": "map",
    "Trends": "trends",
    "Country": "country",
    "Compare": "compare",
    "Presenter": "present",
    "Adoption and outcomes": "outcomes",
    "Building blocks": "blocks",
}
FILTERED_PAGES = [
    "overview",
    "map",
    "trends",
    "country",
    "compare",
    "sources",
    "outcomes",
    "blocks",
]


def readme_rows() -> list[dict[str, str]]:
    """The rows of the README's parameter table (Page, Parameter, Values, Default, Example)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Links: every parameter of every page", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def example_of(row: dict[str, str]) -> tuple[str, dict]:
    """'/map?pillar=payments' -> ('map', {'pillar': 'payments'}); '/?...' is the Overview."""
    page, _, query = row["Example"].strip("`").removeprefix("/").partition("?")
    return page or "overview", {k: v if len(v) > 1 else v[0] for k, v in parse_qs(query).items()}


def parameters_of(page: str) -> list[str]:
    """The parameters the README documents for a page (its own and every page's)."""
    names = []
    for row in readme_rows():
        if row["Page"] == "every page" or PAGE_NAMES.get(row["Page"]) == page:
            names += re.findall(r"`(\w+)`", row["Parameter"])
    return [n for n in names if n != "present"]


def link_notices(at) -> list[str]:
    return [i.value for i in at.info if "The link's" in i.value or "At most" in i.value]


def test_the_readme_documents_every_page_and_parameter():
    rows = readme_rows()
    assert {PAGE_NAMES[r["Page"]] for r in rows if r["Page"] != "every page"} == set(
        PAGE_NAMES.values()
    )
    for page, path in PAGE_FILES.items():  # every widget key a page binds to the link
        source = (ROOT / path).read_text()
        keys = set(re.findall(r'Param\(\s*"(\w+)"', source))
        keys |= set(re.findall(r'key="(\w+)"\)', source)) & {
            "pillar",
            "trend_pillar",
            "flow_pillar",
        }
        documented = set(parameters_of(page))
        assert keys <= documented, f"{page}: {keys - documented} not in the README's table"


@pytest.mark.parametrize("row", readme_rows(), ids=lambda row: row["Example"].strip("`"))
def test_every_documented_example_opens_as_documented(run_page, con, row):
    page, params = example_of(row)
    dates = [r for (r,) in con.execute(
        "SELECT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1").fetchall()]  # fmt: skip
    words = {"first": dates[0], "previous": dates[-2], "latest": dates[-1]}
    at = run_page(PAGE_FILES[page], query_params=params)
    assert not at.exception, at.exception
    assert not link_notices(at), link_notices(at)
    assert not [i for i in at.info if "No country matches" in i.value]
    for key, value in params.items():  # the link keeps its ids (a default is dropped)
        kept = at.query_params.get(key)
        # trends' from/to read the words first/previous/latest and write the release's date
        resolved = words.get(value) if key in ("from", "to") else None
        assert kept in (value, None, resolved) or key == "present", (key, value, kept)


@pytest.mark.parametrize("page", FILTERED_PAGES)
def test_empty_values_mean_the_default_on_every_page(run_page, page):
    params = {name: "" for name in parameters_of(page)}
    at = run_page(PAGE_FILES[page], query_params=params)
    assert not at.exception, at.exception
    assert not link_notices(at)


@pytest.mark.parametrize(
    ("page", "name"),
    [(page, name) for page in FILTERED_PAGES for name in parameters_of(page)],
)
def test_an_unknown_value_is_named_in_a_notice_and_replaced(run_page, page, name):
    shown_in = {("blocks", "by"): "share", ("blocks", "pick"): "reuse"}  # a section's own choice
    section = {"section": shown_in[page, name]} if (page, name) in shown_in else {}
    at = run_page(PAGE_FILES[page], query_params={name: "no-such-thing", **section})
    assert not at.exception, at.exception
    (notice,) = link_notices(at)
    assert "“no-such-thing”" in notice
    assert at.query_params.get(name) != "no-such-thing"  # the address bar no longer says it


def test_a_release_not_in_the_data_says_which_one_is_shown(run_page, latest):
    at = run_page("pages/map.py", query_params={"release": "2019-01-01"})
    (notice,) = link_notices(at)
    assert notice.startswith("The link's release “2019-01-01” is not in the data; showing")
    assert latest in notice
    text = "\n".join(re.sub(r"<[^>]+>", "", m.value) for m in at.markdown)  # the timeline's span
    assert f"release **{latest}**" in text


@pytest.mark.parametrize("page", ["overview", "map", "trends"])
@pytest.mark.parametrize("pillar", ["stack", "identity"])
def test_a_filter_no_country_matches_says_so_and_offers_the_way_back(run_page, page, pillar, con):
    # No South Asian country is high income in the synthetic world (India: lower middle).
    (n,) = con.execute(
        "SELECT count(*) FROM countries WHERE region = 'South Asia' AND income_group = 'High income'"
    ).fetchone()
    assert n == 0
    params = {"region": "wb:south-asia", "income": "income:high", "pillar": pillar}
    at = run_page(PAGE_FILES[page], query_params=params)
    assert not at.exception, at.exception
    assert any("No country matches this filter" in i.value for i in at.info)
    assert not [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    at.button(key="clear_filters").click().run()
    assert not at.exception
    assert not any("No country matches" in i.value for i in at.info)
    assert "region" not in at.query_params and "income" not in at.query_params


def test_old_label_links_open_the_same_view_and_the_address_switches_to_ids(run_page):
    labels = {
        "pillar": "Payments",
        "measure": "DPI-like system",
        "country": "Kenya",
        "region": "WB: Sub-Saharan Africa",
        "income": "Lower middle income",
    }
    at = run_page("pages/map.py", query_params=labels)
    assert not at.exception
    assert not link_notices(at)
    assert dict(at.query_params) == {
        "pillar": "payments",
        "measure": "dpi_like",
        "country": "KEN",
        "region": "wb:sub-saharan-africa",
        "income": "income:lower-middle",
    }
    old = run_page("pages/compare.py", query_params={"compare": ["Kenya", "Region: South Asia"]})
    assert old.query_params["compare"] == ["KEN", "wb:south-asia"]


def test_ids_are_read_in_any_case_and_spelling(run_page):
    at = run_page("pages/country.py", query_params={"iso3": "ken", "pillar": "PAYMENTS"})
    assert at.header[0].value == "Kenya (KEN)"
    assert at.query_params["iso3"] == "KEN" and at.query_params["pillar"] == "payments"
    at = run_page("pages/map.py", query_params={"region": "Sub-Saharan Africa", "income": "low"})
    assert at.query_params["region"] == "wb:sub-saharan-africa"


def test_a_measure_of_another_pillar_is_named_and_dropped(run_page):
    at = run_page("pages/map.py", query_params={"pillar": "stack", "measure": "dpi_like"})
    assert not at.exception
    (notice,) = link_notices(at)
    assert "“dpi_like” is not a measure of All three (stack)" in notice
    assert "measure" not in at.query_params


def test_a_country_outside_the_filter_is_shown_and_said_to_be(run_page):
    at = run_page("pages/map.py", query_params={"country": "KEN", "region": "wb:south-asia"})
    assert not at.exception
    assert any("Kenya is outside the filter" in i.value for i in at.info)
    assert any(m.value.startswith("#### Kenya") for m in at.markdown)  # its panel


def test_transitions_with_from_after_to_are_swapped_and_said(run_page, con):
    first, last = [
        r
        for (r,) in con.execute(
            "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1"
        ).fetchall()
    ][:: len(con.execute("SELECT DISTINCT release FROM releases").fetchall()) - 1]
    at = run_page("pages/trends.py", query_params={"from": last, "to": first})
    assert not at.exception
    assert any(f"“From” ({last}) is after “To” ({first})" in i.value for i in at.info)
    assert at.get("plotly_chart")  # the Sankey is drawn, the right way round


def test_more_than_six_compared_items_keep_the_first_six_and_say_so(run_page):
    seven = ["KEN", "IND", "BRA", "EST", "FRA", "DEU", "TUV"]
    at = run_page("pages/compare.py", query_params={"compare": seven})
    assert not at.exception
    assert at.multiselect(key="compare").value == seven[:6]
    assert any("At most 6 items" in n and "Tuvalu" in n for n in link_notices(at))


def test_an_unknown_country_leaves_the_profile_picker_empty_with_a_notice(run_page):
    at = run_page("pages/country.py", query_params={"iso3": "XXX"})
    assert not at.exception
    assert at.selectbox(key="iso3").value is None
    assert any("“XXX” is not a country in the data" in n for n in link_notices(at))
    assert any("Pick a country" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("page", "extra"),
    [
        ("compare", {"compare": ["KEN", "wb:south-asia", "income:high"]}),
        ("country", {"iso3": "IND"}),
        ("sources", {}),
    ],
)
def test_other_pages_under_a_filter_no_country_matches_never_raise(run_page, page, extra):
    at = run_page(
        PAGE_FILES[page], query_params={"region": "wb:south-asia", "income": "income:high", **extra}
    )
    assert not at.exception, at.exception
    if page == "compare":  # the groups say they are empty; the country is still compared
        assert any("matches the sidebar filters" in w.value for w in at.warning)
    if page == "sources":
        assert any("(0 countries)" in m.value for m in at.markdown)
