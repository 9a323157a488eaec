"""DPI Atlas: entry point. Page config and the one page registry (st.navigation)."""

import streamlit as st

from atlas import db

st.set_page_config(
    page_title="DPI Atlas",
    page_icon="🌐",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone, open on a wider screen
    menu_items={"About": "DPI Atlas: open dashboard of Digital Public Infrastructure adoption."},
)

PAGES = [
    st.Page(
        "pages/overview.py",
        title="Overview",
        icon=":material/public:",
        default=True,
        url_path="overview",
    ),
    st.Page("pages/map.py", title="Map explorer", icon=":material/map:", url_path="map"),
    st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:", url_path="trends"),
    st.Page("pages/country.py", title="Country", icon=":material/flag:", url_path="country"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
    st.Page(
        "pages/outcomes.py",
        title="Adoption and outcomes",
        icon=":material/insights:",
        url_path="outcomes",
    ),
    st.Page(
        "pages/blocks.py",
        title="Building blocks",
        icon=":material/extension:",
        url_path="blocks",
    ),
    st.Page("pages/present.py", title="Presenter", icon=":material/slideshow:", url_path="present"),
    st.Page(
        "pages/sources.py", title="Data & sources", icon=":material/menu_book:", url_path="sources"
    ),
]

with db.pinned():  # one warehouse build for the whole run: page, downloads, footer
    try:
        st.navigation(PAGES, position="top").run()
    except db.WarehouseProblem as problem:  # damage found only by a query: what and how to fix
        st.warning(str(problem), icon="🗄️")
