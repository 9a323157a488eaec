"""Adoption and outcomes: each pillar beside the outcome it is for, by status group; one
outcome against another; account ownership between Findex waves beside when payments became
implemented. Associations across countries, not effects.

The view lives in the URL by ids, as on every page (atlas/links.py; a value equal to its default
is left out): ?pillar=identity&since=2021&x=IT.NET.USER.ZS&y=SP.REG.BRTH.ZS (plus the sidebar's
release, region and income). A link value that cannot be used is named in a notice.
"""

import streamlit as st

from atlas import db, frame, outcome_figures, outcome_queries, queries, tables
from atlas.categories import PILLAR_LABELS, PILLARS
from atlas.outcome_groups import median_words, mixed_years
from atlas.outcome_groups import summary_table as group_table
from atlas.outcome_words import DEFAULT_SINCE, rule_text, short_name, since_choices, span_words

ASSOCIATION = (
    "**Associations across countries, not effects.** Each chart sets a country's DPI status "
    "beside an outcome measured in the same country. It does not show that a system raised or "
    "lowered anything: **income drives both** (richer countries run more DPI, and have more "
    "accounts, registered births and Internet users), and many values predate the systems. "
    "Compare like with like: pick an income group in the sidebar."
)


def download(table, citation: str, name: str, key: str) -> None:
    st.download_button(
        "Download this table (CSV, with its citation)",
        tables.csv_with_citation(table, citation),
        file_name=f"dpi-atlas-{name}.csv",
        mime="text/csv",
        key=key,
    )


selection = frame.page_setup("Adoption and outcomes")
version = db.version()
st.title("Adoption and outcomes")
if not outcome_queries.available(version):
    st.info(outcome_figures.NOT_BUILT)
    frame.footer(selection)
    st.stop()
catalogue = outcome_queries.indicators(version)
names = dict(zip(catalogue["indicator"], catalogue["name"], strict=True))
beside = dict(zip(catalogue["pillar"], catalogue["indicator"], strict=True))
pillars = [p for p in PILLARS if p in beside]
st.info(ASSOCIATION, icon=":material/info:")

pillar = frame.choose(  # every choice in the link by id; an unusable one named in a notice
    st.segmented_control,
    "Pillar and its outcome",
    frame.Param(
        "pillar",
        "pillar",
        {p: f"{PILLAR_LABELS[p]} · {short_name(names[beside[p]])}" for p in pillars},
        "payments" if "payments" in pillars else pillars[0],
        why="has no outcome here",
    ),  # fmt: skip
    required=True,
)
years = {y: str(y) for y in since_choices(catalogue)}
since = frame.choose(
    st.columns([2, 3])[0].selectbox,
    "Rule: each country's latest value from",
    frame.Param("since", "first year", years, DEFAULT_SINCE, why="is not a year of the data"),
    help="One value per country: its most recent one from this year on. Its year is shown "
    "with it everywhere; a country with no value since then counts as 'no value'.",
)
view = outcome_figures.distribution(version, selection, pillar, since)
name, unit = view.indicator["name"], view.indicator["unit"]
st.markdown(
    f"**Rule: {rule_text(since)}.** Statuses: DPI Map release **{selection.release}**. "
    f"Countries: **{selection.describe()}** ({len(view.frame)})."
)
if view.frame.empty:
    st.info("No country matches these filters. Widen the region or income group.")
    frame.footer(selection)
    st.stop()

st.subheader(f"{name}, where {PILLAR_LABELS[pillar].lower()} is implemented and where not")
short = (
    f"Source: {view.indicator['original_source']} via World Bank WDI "
    f"({view.indicator['indicator']}); statuses: DPI Map ({selection.release})."
)
for column, row in zip(st.columns(len(view.answer)), view.answer.itertuples(), strict=True):
    column.metric(row.label, "no value" if not row.n else f"{row.median:.1f}{unit}")
    column.caption(f"{median_words(row._asdict(), since)} {short}")
mixed = mixed_years(view.answer)
if mixed:
    st.warning(
        f"These medians mix values from {mixed[0]} to {mixed[-1]} (the years are in the table "
        f"below). Where an outcome grows over time, older values pull a median down. To "
        f"compare one year only, set the rule to {mixed[-1]}.",
        icon=":material/calendar_month:",
    )
st.plotly_chart(view.figure, key="distribution_chart")
st.dataframe(group_table(view.summary, unit), hide_index=True, width="stretch", key="groups")
st.caption(f"Each dot is a country (hover: its value and year). Source: {view.citation}")
download(view.table, view.citation, f"outcomes-{pillar}-{selection.release}", "dl_distribution")

st.subheader("One outcome against another")
codes = list(catalogue["indicator"])
a, b = st.columns(2)


def axis(column, label: str, key: str, default: str) -> str:
    param = frame.Param(key, "outcome", names, default, why="is not an outcome indicator here")
    return frame.choose(column.selectbox, label, param)


x = axis(a, "Across", "x", beside.get("data_exchange", codes[0]))
y = axis(b, "Up", "y", beside.get("payments", codes[-1]))
pair = outcome_figures.scatter(version, selection, pillar, x, y, since)
st.plotly_chart(pair.figure, key="scatter_chart")
st.caption(
    f"{len(pair.points)} countries with both values under the rule (years: across "
    f"{span_words(pair.points['x_year']) or '—'}, up {span_words(pair.points['y_year']) or '—'}), "
    f"coloured by {PILLAR_LABELS[pillar].lower()} status in release {selection.release}. "
    f"Source: {pair.citation}"
)
download(pair.table, pair.citation, f"outcomes-{x}-{y}", "dl_scatter")

if "payments" in beside:
    change = outcome_figures.waves(version, selection, since)
    account = short_name(change.indicator["name"])
    st.subheader(f"{account} between the last two waves, beside when payments became implemented")
    if change.changes.empty:
        st.info("No country of this selection has two values with the latest under the rule.")
    else:
        st.plotly_chart(change.figure, key="change_chart")
        st.dataframe(change.summary, hide_index=True, width="stretch", key="change_summary")
        first = queries.releases(version)[0]
        st.caption(
            f"Change: each country's latest value (from {since} on) minus its previous one, in "
            f"percentage points; the waves compared are in the table and the hover. The DPI "
            f"Map starts at release {first}: 'implemented by {first}' says nothing of when the "
            f"system launched, and most changes shown end before or around the DPI Map's "
            f"dates. Associations, not effects. Source: {change.citation}"
        )
        download(change.table, change.citation, f"account-change-{selection.release}", "dl_change")
frame.footer(selection)
