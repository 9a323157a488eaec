"""Presenter mode in a real browser (Chromium, network cut off): the default deck walked end to
end, the 1920x1080 slide export, the timeline autoplay, and the rehearsal command."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from atlas import categories
from atlas.present import decks

ROOT = Path(__file__).resolve().parents[2]
DECK = decks.load_deck(ROOT / "data" / "decks" / "global-story.toml")
STAGE = {"width": 1920, "height": 1080}
PAINTED = """() => [...document.querySelectorAll('.js-plotly-plot path.choroplethlocation')]
    .filter((p) => (p.getAttribute('d') || '').length > 10).length"""


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def export_frame(page):
    """The iframe holding the 'Download slide (PNG 1920x1080)' button."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].some(f => f.contentDocument &&"
        " f.contentDocument.getElementById('export'))"
    )
    return next(f for f in page.frames if f.locator("#export").count())


def test_the_default_deck_walks_end_to_end_offline(page, app_server, wait_for_app, wait_for_map):
    page.set_viewport_size(STAGE)
    page.goto(f"{app_server}/present?present=1")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()  # ?present=1 reruns once
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    footer = page.locator(".st-key-present_footer")
    total = len(DECK.slides)
    for number, slide in enumerate(DECK.slides, 1):
        expect(page.locator("h1").first).to_have_text(slide.title)
        expect(page.get_by_text(f"slide {number} of {total}")).to_be_visible()
        wait_for_app(page)
        assert wait_for_map(page, min_paths=10) >= 10, slide.title
        assert "{" not in page.locator(".st-key-slide_caption").inner_text()
        box = footer.bounding_box()  # pinned to the bottom of the screen, citation in it
        assert box is not None and abs(box["y"] + box["height"] - STAGE["height"]) < 2
        assert "Institute for Innovation and Public Purpose" in footer.inner_text()
        chart = page.locator(".st-key-slide_map .js-plotly-plot").bounding_box()
        assert chart["height"] > 0.6 * STAGE["height"], "the map should fill the screen"
        if number < total:  # the keyboard on even slides, the Next button on odd ones
            if number % 2:
                page.get_by_role("button", name="Next").click()
            else:
                page.keyboard.press("ArrowRight")
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h1").first).to_have_text(DECK.slides[-2].title)
    assert "present=true" in page.url and f"slide={total - 1}" in page.url
    assert not page.page_errors and not page.console_errors


def test_presentation_mode_from_the_sidebar_and_back(page, app_server, wait_for_app):
    page.goto(f"{app_server}/map")
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_text("Presentation mode").click()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_role("button", name="Exit presentation")).to_be_visible()
    assert "present=true" in page.url
    page.get_by_role("button", name="Exit presentation").click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert "present" not in page.url


def test_slide_export_is_a_1920x1080_png_made_offline(page, app_server, wait_for_app, tmp_path):
    number = next(i for i, s in enumerate(DECK.slides, 1) if "x_road_based" in s.view)
    page.goto(f"{app_server}/present?slide={number}")
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as download:
        export_frame(page).locator("#export").click()
    assert download.value.suggested_filename == f"dpi-slide-{number}.png"
    target = tmp_path / "slide.png"
    download.value.save_as(target)
    image = Image.open(io.BytesIO(target.read_bytes())).convert("RGB")
    assert image.size == (1920, 1080)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    yes = tuple(int(categories.YES_NO_COLOURS["yes"][i : i + 2], 16) for i in (1, 3, 5))
    assert yes in colours, "the map's 'Yes' countries are painted in the image"
    dark_text = sum(1 for colour in colours if max(colour) < 60)
    assert dark_text > 0, "title and legend text are drawn"
    assert not page.page_errors


def test_autoplay_steps_through_every_release_and_the_page_follows(
    page, app_server, wait_for_app, wait_for_map, real_warehouse
):
    """One Play control, no tooltip left open; while playing, the caption above the map and
    the citation name the release on screen; when it stops, the page's release (sidebar,
    address, table) is the one the slider stopped on."""
    import duckdb

    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        releases = [
            r
            for (r,) in con.execute(
                "SELECT DISTINCT strftime(release, '%Y-%m-%d') FROM releases ORDER BY 1"
            ).fetchall()
        ]
    page.goto(f"{app_server}/map?release={releases[1]}")
    wait_for_app(page)
    wait_for_map(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Speed").click()
    page.get_by_role("option", name="2×").click()
    wait_for_app(page)
    page.evaluate(
        """() => { window.__timeline = []; const tick = () => {
            const label = [...document.querySelectorAll('.js-plotly-plot text')]
                .find((t) => t.textContent.startsWith('Release '));
            const painted = [...document.querySelectorAll('.js-plotly-plot path.choroplethlocation')]
                .filter((p) => (p.getAttribute('d') || '').length > 10).length;
            const following = [...document.querySelectorAll('.timeline-release')]
                .map((s) => s.textContent);
            const tooltips = [...document.querySelectorAll('[data-testid="stTooltipContent"]')]
                .filter((t) => t.getBoundingClientRect().height > 0).length;
            window.__timeline.push([label ? label.textContent : null, painted,
                document.querySelectorAll('.js-plotly-plot').length, following, tooltips]);
            requestAnimationFrame(tick); }; tick(); }"""
    )
    plays = page.get_by_role("button", name=re.compile("Play"))
    expect(plays).to_have_count(1)  # the page's; plotly's own play and pause are hidden
    plays.click()
    page.wait_for_function(
        "(last) => [...document.querySelectorAll('.js-plotly-plot text')]"
        ".some((t) => t.textContent === 'Release ' + last)",
        arg=releases[-1],
        timeout=60_000,
    )
    # the server's own state: the sidebar's release picker now holds the last release
    expect(page.get_by_role("combobox", name="Release")).to_have_value(releases[-1])
    page.wait_for_timeout(1500)  # it stays on the last release
    log = page.evaluate("window.__timeline")
    playing = [row for row in log if row[0]]
    shown = [label.removeprefix("Release ") for label, *_ in playing]
    shown = [r for i, r in enumerate(shown) if i == 0 or r != shown[i - 1]]  # in order shown
    assert shown[-len(releases) :] == releases  # every release, in order, ending at the last
    assert playing[-1][0] == f"Release {releases[-1]}"
    start = next(i for i, r in enumerate(playing) if r[0].endswith(releases[0]))
    end = next(i for i, r in enumerate(playing) if r[0].endswith(releases[-1]))
    after_start, animation = playing[start:], playing[start : end + 1]
    assert min(row[1] for row in after_start) >= 100, "the map never went blank"
    assert max(row[2] for row in animation) == 1, "the map was never redrawn while playing"
    assert page.locator(".js-plotly-plot").count() == 1
    for label, _, _, following, tooltips in after_start:
        assert (
            following
            and all(f == label.removeprefix("Release ") for f in following)
            or (following and label.endswith(releases[-1]))
        ), (label, following)
        assert tooltips == 0, "a tooltip stayed open while playing"
    footer = page.get_by_text(f"DPI Map ({releases[-1]})", exact=False)
    expect(footer.first).to_be_visible()  # the citation names the release on screen
    assert f"release={releases[1]}" not in page.url  # the page left the release it started on
    assert not page.page_errors


@pytest.mark.parametrize("broken", [False, True])
def test_the_rehearsal_command_walks_a_deck(real_warehouse, tmp_path, broken):
    release = "1999-01-01" if broken else "latest"
    (tmp_path / "mini.toml").write_text(
        'title = "Mini"\n\n[[slide]]\ntitle = "Digital ID"\ncaption = "{dpi_like_identity}"\n'
        'view = "page=map&pillar=identity&measure=dpi_like"\n\n[[slide]]\ntitle = "Stack"\n'
        f'caption = "{{all_three_pillars}}"\nview = "page=overview&release={release}"\n',
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "atlas.present.rehearse"]
    command += ["--deck", str(tmp_path / "mini.toml"), "--size", "1366x768", "--scheme", "dark"]
    command += ["--db", str(real_warehouse), "--png", str(tmp_path / "png")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if broken:
        assert result.returncode == 1, result.stdout + result.stderr
        assert "mini.toml" in result.stderr and "line 8: slide 2" in result.stderr
        assert "release 1999-01-01 is not in the warehouse" in result.stderr
    else:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "At 1366x768, dark theme:" in result.stdout
        assert re.search(r"1/2 ok +Digital ID \(\d+ shapes", result.stdout)
        assert re.search(r"2/2 ok +Stack \(\d+ shapes", result.stdout)
        assert "2 slide views in" in result.stdout and "2 ok, 0 with problems" in result.stdout
        pngs = sorted(p.name for p in (tmp_path / "png").iterdir())
        assert pngs == ["slide-01.png", "slide-02.png"]
        assert Image.open(tmp_path / "png" / "slide-01.png").size == (1920, 1080)
