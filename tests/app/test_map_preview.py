"""The server-drawn first map (preview.py via mapview.map_chart), seen through AppTest."""

import json
import re

import pytest
from plotly_spec import values

MAP_PAGES = {"pages/map.py": "map_stage", "pages/overview.py": "stack_stage"}


def preview_markup(at) -> list[str]:
    return [m.value for m in at.markdown if 'class="map-preview"' in m.value]


def legend_of_chart(at) -> list[str]:
    """What plotly lists: categories with countries, then marker keys, by legend rank."""
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    traces = json.loads(chart.proto.spec)["data"]
    shown = [
        (t.get("legendrank", 1000), t["name"])
        for t in traces
        if t.get("showlegend")
        and (
            (t["type"] == "choropleth" and values(t.get("locations", [])))
            or t["type"] == "scattergeo"
        )
    ]
    return [name for _, name in sorted(shown, key=lambda e: e[0])]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("pages/map.py", {}),
        ("pages/overview.py", {}),
        ("pages/map.py", {"pillar": "payments", "measure": "outcome:FX.OWN.TOTL.ZS"}),
        ("pages/map.py", {"region": "wb:sub-saharan-africa"}),
    ],
)
def test_first_run_sends_a_preview_with_the_charts_legend(run_page, page, query):
    at = run_page(page, query_params=query)
    assert not at.exception
    (markup,) = preview_markup(at)
    assert 'url("data:image/svg+xml,' in markup
    legend = re.findall(r"</i>([^<]+)</span>", markup)
    assert legend == legend_of_chart(at)


def test_later_runs_keep_the_layout_but_send_no_preview(run_page):
    at = run_page("pages/map.py")
    assert preview_markup(at)
    at.segmented_control(key="pillar").set_value("payments").run()
    assert not at.exception
    assert preview_markup(at) == []
    styles = [m.value for m in at.markdown if ".st-key-map_stage_preview" in m.value]
    assert len(styles) == 1  # the overlay's CSS stays: the chart keeps its place
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    hover = " ".join(str(text) for t in traces for text in values(t.get("hovertext", [])))
    assert "Payments:" in hover  # the chart itself still follows the widgets


def test_presenter_slide_has_a_preview_sized_to_the_screen(run_page):
    at = run_page("pages/present.py", query_params={"present": "1"})
    assert not at.exception
    (markup,) = preview_markup(at)
    # as tall as the chart: down to the pinned footer, as measured in the browser
    assert "height:var(--fit-slide_map, max(280px, calc(100vh - 290px)))" in markup


def test_a_crowd_opening_the_same_view_costs_one_drawing(run_page, monkeypatch):
    from atlas import preview

    drawn = []
    real = preview.map_html
    monkeypatch.setattr(preview, "map_html", lambda *a: drawn.append(a) or real(*a))
    visitors = [run_page("pages/overview.py") for _ in range(3)]  # three fresh sessions
    assert all(not at.exception for at in visitors)
    markups = [preview_markup(at) for at in visitors]
    assert markups[0] and markups[0] == markups[1] == markups[2]
    assert len(drawn) == 1
