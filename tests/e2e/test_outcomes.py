"""Adoption and outcomes in a real browser, offline: the Done question's deep link opens with
its three numbers (re-derived here in SQL), its charts drawn, and ids in the address."""

import duckdb
from playwright.sync_api import expect

DEEP_LINK = "outcomes?pillar=payments&income=Low+income"


def test_the_deep_link_opens_with_the_answer_and_its_charts(
    page, app_server, wait_for_app, real_warehouse
):
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        medians = con.execute(
            """
            WITH low AS (
                SELECT c.iso3, coalesce(s.status, 'not_assessed') AS status FROM countries c
                LEFT JOIN country_status s ON s.iso3 = c.iso3 AND s.pillar = 'payments'
                 AND s.release = (SELECT max(release) FROM releases)
                WHERE c.income_group = 'Low income'),
            account AS (SELECT iso3, arg_max(value, year) AS value FROM outcomes
                        WHERE indicator = 'FX.OWN.TOTL.ZS' AND year >= 2017 GROUP BY iso3)
            SELECT status = 'implemented', median(value), count(value)
            FROM low JOIN account USING (iso3) WHERE status <> 'not_assessed'
            GROUP BY ALL ORDER BY 1 DESC
            """
        ).fetchall()
    page.goto(f"{app_server}/{DEEP_LINK}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Adoption and outcomes")).to_be_visible()
    for _, median, n in medians:
        expect(page.get_by_text(f"{median:.1f}%", exact=True)).to_be_visible()
        expect(page.get_by_text(f"Median of {n} countries with a value").first).to_be_visible()
    expect(page.get_by_text("Associations across countries, not effects.")).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".filter((plot) => plot.querySelector('.trace')).length >= 3"
    )
    assert "income=income%3Alow" in page.url  # ids; the defaults (pillar, since, axes) left out
    assert "since=" not in page.url and "x=" not in page.url
    page.get_by_role("radio", name="Digital identity · Completeness of birth registration").click()
    page.wait_for_function("() => location.search.includes('pillar=identity')")
    wait_for_app(page)
    expect(
        page.get_by_text("Completeness of birth registration (%), where digital")
    ).to_be_visible()
    assert "income=income%3Alow" in page.url  # the label link, rewritten to the id
    assert not page.page_errors
