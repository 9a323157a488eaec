"""Outcome values by status group: each country's status group in a pillar beside its latest
value of an indicator, the group summaries and their tables. Pure pandas; the outcome shaping
(atlas/outcome_tables.py: two outcomes, change between waves, the map measure) builds on it.

One rule everywhere, declared on screen: each country's **latest value from `since` on** (its
year goes with it into every table, hover and summary); a country with no value since then
has "no value". Status groups are the map's categories for one pillar in one release.
"""

import math

import pandas as pd

from atlas.categories import PILLAR_LABELS, STATUS_LABELS, status_category
from atlas.outcome_words import rule_text, span_words, years_words

GROUPS = ("not_assessed", "none", "planned_or_piloted", "implemented", "dpi_like")
GROUP_LABELS = {key: STATUS_LABELS[key] for key in GROUPS}
# The Done question's split: implemented (DPI-like included) against assessed but not.
ANSWERS = {
    "implemented": ("Implemented (DPI-like included)", ("implemented", "dpi_like")),
    "not_implemented": ("Not implemented (no system, planned or piloted)", ("none", "planned_or_piloted")),
    "not_assessed": ("Not assessed (no DPI Map record)", ("not_assessed",)),
}  # fmt: skip
ANSWER_LABELS = {key: label for key, (label, _) in ANSWERS.items()}
GROUP_TO_ANSWER = {group: key for key, (_, groups) in ANSWERS.items() for group in groups}


# ------------------------------------------------------------------ per country
def outcome_frame(
    long: pd.DataFrame, countries: pd.DataFrame, pillar: str, latest: pd.DataFrame, indicator: str
) -> pd.DataFrame:
    """Per country of `long` (one release's statuses, already filtered to the selection): its
    status group in `pillar` and its latest value of `indicator` under the rule.

    Columns: iso3, name, region, income_group, group, value, year (NaN/NA: no value)."""
    part = long[long["pillar"] == pillar]
    frame = pd.DataFrame(
        {
            "iso3": part["iso3"].to_numpy(),
            "name": part["name"].to_numpy(),
            "group": status_category(part["status"], part["dpi_like"]).to_numpy(),
        }
    )
    values = latest.loc[latest["indicator"] == indicator, ["iso3", "value", "year"]]
    frame = frame.merge(countries[["iso3", "region", "income_group"]], on="iso3", how="left")
    frame = frame.merge(values, on="iso3", how="left")
    frame["year"] = frame["year"].astype("Int64")
    return frame.sort_values("name", ignore_index=True)


def summarise(frame: pd.DataFrame, key: str, labels: dict[str, str]) -> pd.DataFrame:
    """Per value of `key` (in the order of `labels`): countries, n with a value, the median of
    their values and the years those values come from.

    Columns: key, label, countries, n, median, span, years."""
    rows = []
    for value, label in labels.items():
        part = frame[frame[key] == value]
        valued = part.dropna(subset=["value"])
        rows.append(
            {
                "key": value,
                "label": label,
                "countries": len(part),
                "n": len(valued),
                "median": valued["value"].median() if len(valued) else math.nan,
                "span": span_words(valued["year"]),
                "years": years_words(valued["year"]),
            }
        )
    return pd.DataFrame(rows)


def group_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """The five status groups (not assessed ... DPI-like), see `summarise`."""
    return summarise(frame, "group", GROUP_LABELS)


def answer_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Implemented (DPI-like included) / not implemented / not assessed, see `summarise`."""
    return summarise(
        frame.assign(answer=frame["group"].map(GROUP_TO_ANSWER)), "answer", ANSWER_LABELS
    )


def median_words(row: pd.Series | dict, since: int | None = None) -> str:
    """'Median of 5 countries with a value (values 2021–2024), of 7 in the group.'"""
    if not row["countries"]:
        return "No country of the selection is in this group."
    if not row["n"]:
        gone = f" since {since}" if since else ""
        return f"None of its {row['countries']} countries has a value{gone}."
    of = "country" if row["n"] == 1 else "countries"
    return (
        f"Median of {row['n']} {of} with a value (values {row['span']}), "
        f"of {row['countries']} in the group."
    )


def mixed_years(summary: pd.DataFrame) -> list[int] | None:
    """The years the groups' values come from, when they are not all one year (else None)."""
    spans = [span for span in summary.loc[summary["n"] > 0, "span"] if span]
    years = sorted({int(y) for span in spans for y in span.split("–")})
    return years if len(years) > 1 else None


def summary_table(summary: pd.DataFrame, unit: str = "%") -> pd.DataFrame:
    """A summary in words, for display and download."""
    return pd.DataFrame(
        {
            "Status group": summary["label"],
            "Countries": summary["countries"],
            "With a value": summary["n"],
            f"Median ({unit})": ["—" if pd.isna(m) else f"{m:.1f}" for m in summary["median"]],
            "Years of the values": summary["span"],
            "Values per year": summary["years"],
        }
    )


def distribution_table(
    frame: pd.DataFrame, indicator: pd.Series | dict, pillar: str, release: str, since: int
) -> pd.DataFrame:
    """The table behind the distribution chart: one row per country of the selection."""
    return pd.DataFrame(
        {
            "Country": frame["name"],
            "ISO3": frame["iso3"],
            "Region": frame["region"],
            "Income group": frame["income_group"],
            f"{PILLAR_LABELS[pillar]} status ({release})": frame["group"].map(GROUP_LABELS),
            f"{indicator['name']}": frame["value"].round(2),
            "Year of the value": frame["year"],
            "Rule": rule_text(since),
        }
    )
