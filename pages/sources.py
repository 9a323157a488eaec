"""Data & sources: provenance of every number, the quality report, definitions, downloads."""

import streamlit as st

import queries
import ui

selection = ui.page_setup("Data & sources")
version = queries.database_version()

st.title("Data & sources")
st.markdown(
    "Every number in DPI Atlas comes from the public files below, fetched and checked by the ETL."
)

sources = queries.sources(version)
st.subheader("Provenance")
st.dataframe(
    sources[["title", "release", "publisher", "url", "retrieved_at", "sha256", "terms"]],
    hide_index=True,
    width="stretch",
    column_config={"url": st.column_config.LinkColumn("URL")},
)
st.subheader("How to cite")
for citation in sources.drop_duplicates("source")["source"]:
    text = (
        queries.citation(version, selection.release)
        if citation == "dpimap"
        else (sources.loc[sources["source"] == citation, "citation"].iloc[0])
    )
    st.code(text, language=None, wrap_lines=True)
ui.footer(selection)
