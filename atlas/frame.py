"""The frame every page shares: setup, sidebar filters, presentation mode, footer, the
country panel and links between pages. (Maps on the page: mapview.py.)

Pages call `page_setup()` first; it returns the current Selection, or stops the page with an
instruction when there is no warehouse yet.

Every choice lives in the address bar as a stable id (README, "Links"): atlas/links.py does it,
and the pages reach it through the frame (`frame.choose`, `frame.pillar_param`, ...). A link
value that cannot be used is replaced by the default, and a short notice at the top of the page
says so. The sidebar filters also stay with the session across pages.
"""

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException, StreamlitPageNotFoundError

from atlas import db, paths, queries
from atlas.categories import PILLAR_LABELS, STATUS_LABELS, yes_no_word
from atlas.links import (  # noqa: F401  (re-exported: pages call frame.choose, frame.notice, ...)
    NOTICES,
    Param,
    choose,
    choose_id,
    choose_ids,
    choose_many,
    country_param,
    follow_link,
    income_param,
    measure_param,
    notice,
    pillar_param,
    region_param,
    release_param,
    sync_ids,
    write_link,
)
from atlas.mapview import following
from atlas.selection import ALL, Selection, region_filter, resolve_release, selected_iso3, universe

PROFILE_PAGE = paths.PAGES / "country.py"

BUILD_HELP = """
**The data warehouse has not been built yet.**

From the project folder, run one of:

```
make run                          # installs, builds the warehouse, starts the dashboard
python -m etl build               # downloads the DPI Map releases and builds data/dpi.duckdb
DPI_MIRROR=../shared/upstream python -m etl build   # offline, from a mirror directory
```

Then reload this page.
"""


def page_setup(title: str, filters: bool = True) -> Selection | None:
    """Sidebar filters (shared by every page), or a friendly stop when there is no warehouse.

    `filters=False` (the presenter page): only the presentation toggle, and None is returned.
    """
    leave_legacy_page_mode()
    accept_present_param()
    if presenting():
        apply_presentation_style()
        exit_presentation_button()
    problem = db.check()
    if problem:
        st.title(title)
        st.warning(problem, icon="🗄️")
        if db.current() is None:
            st.markdown(BUILD_HELP)
        st.stop()
    st.html(LAYOUT_CSS)
    st.session_state[NOTICES] = st.container(key="link_notices")
    version = db.version()
    if not filters:
        with st.sidebar:
            presentation_toggle()
        return None
    return sidebar_filters(version)


# Segmented controls (the pillars) wrap onto a second line where they do not fit, also inside
# columns, where Streamlit would cut them ("All three (st…") and scroll them sideways.
LAYOUT_CSS = """<style>
[data-testid="stButtonGroup"] > div {flex-wrap: wrap; overflow-x: visible; row-gap: 0.25rem;}
</style>"""


def sidebar_filters(version: str) -> Selection:
    with st.sidebar:
        st.markdown("### Filters")
        release = choose(
            st.selectbox,
            "Release",
            release_param(version),
            help="DPI Map data release (quarterly). Newest first; “Latest” follows new releases.",
        )
        region = choose(
            st.selectbox,
            "Region",
            region_param(version),
            help="World Bank regions (WB) or UN subregions (UN).",
        )
        income = choose(
            st.selectbox,
            "Income group",
            income_param(version),
            help="World Bank income classification, FY2026.",
        )
        selection = Selection(resolve_release(version, release), region, income)
        count = len(selected_iso3(version, selection))
        st.caption(
            f"{count} of {len(universe(version))} countries and territories"
            if selection.filtered
            else f"{count} countries and territories (the World Bank's list, FY2026)"
        )
        presentation_toggle()
    return selection


def compact() -> bool:
    """Is the page on a phone? Every phone browser says "Mobi" in its user agent (MDN's rule);
    the map is then drawn for a narrow screen (lower, smaller markers)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except (AttributeError, RuntimeError):  # no browser (a test run)
        return False
    return "Mobi" in agent


def clear_filters() -> None:
    st.session_state["region"] = ALL
    st.session_state["income"] = ALL


def require_countries(version: str, selection: Selection) -> set[str]:
    """The selection's countries, or a stop that says none matches and offers the way back."""
    chosen = selected_iso3(version, selection)
    if chosen:
        return chosen
    column, region = region_filter(selection.region)
    what = " and ".join(
        p for p in (region, None if selection.income == ALL else selection.income) if p
    )
    st.info(
        f"No country matches this filter: no country is both in {what}."
        if column and selection.income != ALL
        else f"No country matches this filter ({what}).",
        icon=":material/filter_alt_off:",
    )
    st.button(
        "Show all countries", on_click=clear_filters, icon=":material/public:", key="clear_filters"
    )
    footer(selection)
    st.stop()


# ---- presentation mode (?present=1 or the sidebar toggle): big screens, no chrome
PRESENT_VALUES = ("1", "true", "True")  # ?present=1 as well as the toggle's own "true"


def presentation_toggle() -> None:
    st.toggle(
        "Presentation mode",
        key="present",
        bind="query-params",
        help="Large type, no sidebar, high-contrast map, citation pinned: for big screens. "
        "Also ?present=1 in the address.",
    )


def accept_present_param() -> None:
    """?present=1 switches presentation mode on: rewritten, before the bound toggle reads the
    address, to the 'true' that the toggle accepts (and writes itself)."""
    if st.query_params.get("present") in ("1", "True"):
        st.query_params["present"] = "true"
        st.rerun()


def presenting() -> bool:
    if "present" in st.session_state:
        return bool(st.session_state["present"])
    return st.query_params.get("present") in PRESENT_VALUES


def dark_theme() -> bool:
    """Whether the browser shows Streamlit's dark theme (maps, charts and buttons follow it).

    Streamlit infers it from the page's background; on a session's very first run it may not
    know yet (streamlit#11920) and says light: the next rerun corrects it."""
    return st.context.theme.type == "dark"


def stop_presenting() -> None:
    st.session_state["present"] = False


def exit_presentation_button() -> None:
    """The sidebar is hidden while presenting: this pinned button is the way out."""
    with st.container(key="present_exit"):  # a plain name, no tooltip to stay open on stage
        st.button(
            "Exit presentation", key="exit_presentation", on_click=stop_presenting, type="tertiary"
        )


PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 1rem 2.5rem calc(var(--present-footer, 3.2rem) + 0.25rem) 2.5rem !important;
  max-width: 100% !important;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: clamp(1.15rem, 1.25vw, 1.45rem);}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.05rem;}
[data-testid="stWidgetLabel"] p {font-size: 1.15rem !important;}
[data-testid="stSelectbox"] input {font-size: 1.05rem !important;}
h1 {font-size: clamp(2.1rem, 2.6vw, 3rem) !important; line-height: 1.15 !important;
  padding: 0.1rem 0 0.2rem 0 !important;}
h2 {font-size: clamp(1.6rem, 1.9vw, 2.2rem) !important;}
h3 {font-size: clamp(1.4rem, 1.6vw, 1.8rem) !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: clamp(1.9rem, 2.2vw, 2.6rem) !important;}
[data-testid="stMetricLabel"] p {font-size: 1.3rem !important;}
button p {font-size: 1.15rem !important;}
/* Out of the page's flow: the exit button, the pinned footer, the clickers' hidden keys. */
[data-testid="stLayoutWrapper"]:has(> .st-key-present_exit),
[data-testid="stLayoutWrapper"]:has(> .st-key-present_footer) {display: contents;}
[data-testid="stLayoutWrapper"]:has(> .st-key-clicker_keys) {display: none;}
.st-key-present_footer {position: fixed !important; bottom: 0; left: 0; right: 0; z-index: 999;
  background: __FOOTER_BACKGROUND__; border-top: 1px solid rgba(128,128,128,0.35);
  padding: 0.45rem 15rem 0.45rem 2.5rem !important; height: auto !important; gap: 0 !important;
  min-height: 3rem; justify-content: center;}
.st-key-present_footer * {font-size: 1.05rem !important; margin: 0 !important;}
/* The way out sits in the footer's right end: never over a slide's navigation. */
.st-key-present_exit {position: fixed; bottom: 0; right: 1.5rem; z-index: 1000; width: auto;
  height: var(--present-footer, 3rem); justify-content: center;}
</style>
"""

# Maps in presentation mode fill the screen from their top down to the pinned footer: this
# script measures where each registered map stage starts and writes its height into the CSS
# variable --fit-<key> (mapview.stage_box reads it), and the footer's height into
# --present-footer, again whenever the page or the window changes size.
FIT_SCRIPT = """<script>
(() => {
  if (window.__dpiFit) return;
  const stages = {};
  const root = document.documentElement;
  const set = (name, value) => {
    if (root.style.getPropertyValue(name) !== value) root.style.setProperty(name, value);
  };
  let queued = false;
  const fit = () => {
    queued = false;
    const footer = document.querySelector(".st-key-present_footer");
    const footerHeight = footer ? Math.ceil(footer.getBoundingClientRect().height) : 0;
    set("--present-footer", footerHeight + "px");
    const main = document.querySelector('[data-testid="stMain"]');
    const offset = main ? main.scrollTop - main.getBoundingClientRect().top : window.scrollY;
    for (const [key, spec] of Object.entries(stages)) {
      const stage = document.querySelector(".st-key-" + key);
      if (!stage) continue;
      const top = stage.getBoundingClientRect().top + offset;
      const room = window.innerHeight - footerHeight - top - spec.below - 10;
      set("--fit-" + key, Math.floor(Math.max(spec.min, room)) + "px");
    }
  };
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(fit); } };
  window.__dpiFit = {
    add(key, below, min) { stages[key] = {below, min}; later(); },
    fit: later,
  };
  for (const args of window.__dpiFitQueue || []) window.__dpiFit.add(...args);
  window.addEventListener("resize", later);
  const watch = new ResizeObserver(later);
  const observe = () => {
    for (const selector of ['[data-testid="stMainBlockContainer"]', ".st-key-present_footer"]) {
      const element = document.querySelector(selector);
      if (element && !element.__dpiFitWatched) { element.__dpiFitWatched = true; watch.observe(element); }
    }
    later();
  };
  new MutationObserver(observe).observe(document.body, {childList: true, subtree: true});
  observe();
})();
</script>"""


def apply_presentation_style() -> None:
    dark = dark_theme()  # the pinned footer must hide what scrolls under it
    st.html(PRESENTATION_CSS.replace("__FOOTER_BACKGROUND__", "#171614" if dark else "#fff"))
    st.html(FIT_SCRIPT, unsafe_allow_javascript=True)


def footer(selection: Selection, also: str = "") -> None:
    """Citation, release date and a link to the sources page, on every page (`also`: another
    source the page shows, e.g. an outcome indicator's, cited after the DPI Map)."""
    version = db.version()
    release = selection.release
    # the release, wherever it is named, follows a map's timeline (mapview.follow_timeline)
    cite = queries.citation(version, release).replace(release, following(release))
    cite += f" · {also}" if also else ""
    if presenting():  # pinned to the bottom of the screen: always visible
        with st.container(key="present_footer"):
            st.markdown(f"**Release {following(release)}** · {cite}", unsafe_allow_html=True)
        return
    st.divider()
    left, right = st.columns([4, 1])
    left.caption(
        f"**Data:** {cite} · Release {following(release)} · Groups: World Bank FY2026 · "
        f"Boundaries: Natural Earth · Warehouse built {queries.built_at(version)} UTC",
        unsafe_allow_html=True,
    )
    with right:
        link_page("pages/sources.py", "sources", "Data & sources", ":material/menu_book:")


def country_panel(version: str, release: str, iso3: str, pillar: str) -> None:
    """Side panel for the selected country: its systems in the pillar, and a profile link."""
    names = queries.countries(version).set_index("iso3")["name"]
    st.markdown(f"#### {names.get(iso3, iso3)}")
    systems = queries.country_systems(version, release, iso3)
    if pillar != "stack":
        systems = systems[systems["pillar"] == pillar]
    if systems.empty:
        st.info("Not assessed in this release.")
    for row in systems.itertuples():
        dpi = {"Yes": " · DPI-like", "No": ""}.get(
            yes_no_word(row.dpi_like), " · DPI-like not assessed"
        )
        name = row.system_name or "Unnamed system"
        link = f"[{name}]({row.url})" if row.url and row.url.startswith("http") else name
        st.markdown(
            f"**{link}**  \n{PILLAR_LABELS[row.pillar]} · {STATUS_LABELS[row.status]}{dpi}  \n"
            f"<small>Upstream status: {row.status_raw} · "
            f"updated {row.last_updated or 'date not given'}</small>",
            unsafe_allow_html=True,
        )
    if PROFILE_PAGE.exists():
        params = {"iso3": iso3} | ({"pillar": pillar} if pillar in PILLAR_LABELS else {})
        link_page(
            "pages/country.py",
            "country",
            "Open country profile",
            ":material/person_search:",
            params,
        )


def open_profile(iso3: str, pillar: str | None = None) -> None:
    """Go to a country's profile, on the tab of `pillar` (a page run alone: a link to it)."""
    params = {"iso3": iso3} | ({"pillar": pillar} if pillar in PILLAR_LABELS else {})
    try:
        st.switch_page("pages/country.py", query_params=params)
    except StreamlitAPIException:
        link_page("pages/country.py", "country", "Open country profile", ":material/flag:", params)


def link_page(path: str, url_path: str, label: str, icon: str, params: dict | None = None) -> None:
    """A link to another page: st.page_link inside the app, a plain link when a page runs alone."""
    try:
        st.page_link(path, label=label, icon=icon, query_params=params)
    except StreamlitPageNotFoundError:
        query = urlencode(params or {})
        st.markdown(f"{icon} [{label}](./{url_path}{'?' + query if query else ''})")


def leave_legacy_page_mode() -> None:
    """Route a deep link through dashboard.py's st.navigation, even on a fresh server.

    Because the project has a `pages/` folder, Streamlit runs the very first request after a
    server start in its legacy multipage mode: a deep link such as /map runs pages/map.py
    directly, without dashboard.py (no page config, no navigation, URL state ignored). Leaving
    that mode and rerunning sends the same URL through st.navigation.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
