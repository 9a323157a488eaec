"""Across releases: counts per status, population reached, transitions between two releases,
the changelog and one country's timeline. Pure pandas."""

import pandas as pd

from atlas.categories import (
    NOT_CLASSIFIED,
    PILLAR_LABELS,
    PILLARS,
    STATUS_COLOURS,
    STATUS_LABELS,
    TREND_CATEGORIES,
    status_category,
    yes_no_words,
)


def status_counts(
    history: pd.DataFrame,
    dpi_assessed: pd.DataFrame,
    releases: list[str],
    facet: str = "pillar",
) -> pd.DataFrame:
    """Countries per release, facet value and trend category (implemented counts every
    implemented system, dpi_like the DPI-like among them). Columns: release, <facet>, category,
    n, countries, share. n is NaN where the release did not assess the category (DPI-like before
    it was introduced, or a pillar the release does not cover): a gap, never a zero."""
    flags = history.assign(
        implemented=history["status"] == "implemented",
        dpi_like=(history["status"] == "implemented") & history["dpi_like"].fillna(False),
        planned_or_piloted=history["status"] == "planned_or_piloted",
        none=history["status"] == "none",
        not_assessed=history["status"] == "not_assessed",
    )
    keys = ["release", facet] if facet == "pillar" else ["release", "pillar", facet]
    grouped = flags.groupby(keys, dropna=False)
    counts = grouped[list(TREND_CATEGORIES)].sum().astype(float)
    counts["countries"] = grouped.size()
    levels = [
        [p for p in PILLARS if p in set(flags[k])] if k == "pillar" else sorted(set(flags[k]))
        for k in keys[1:]
    ]
    full = pd.MultiIndex.from_product([releases, *levels])
    counts = counts.reindex(full.set_names(keys)).reset_index()
    long = counts.melt(keys + ["countries"], var_name="category", value_name="n")
    assessed = long.merge(dpi_assessed, on=["release", "pillar"], how="left")["assessed"]
    long.loc[(long["category"] == "dpi_like") & ~assessed.fillna(False).to_numpy(), "n"] = None
    long["share"] = long["n"] / long["countries"]
    return long


def with_group(history: pd.DataFrame, countries: pd.DataFrame, column: str) -> pd.DataFrame:
    """History with a `group` column: the country's region or income group (or Not classified)."""
    groups = countries.set_index("iso3")[column].fillna(NOT_CLASSIFIED)
    return history.assign(group=history["iso3"].map(groups).fillna(NOT_CLASSIFIED))


def ordered_groups(counts: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Facets in a fixed order (e.g. income from low to high), unknown groups last."""
    rank = {g: i for i, g in enumerate(order)}
    return counts.sort_values("group", key=lambda s: s.map(rank).fillna(len(rank)), kind="stable")


def population_shares(
    history: pd.DataFrame, countries: pd.DataFrame, dpi_assessed: pd.DataFrame
) -> pd.DataFrame:
    """Share of the selection's population in countries with an implemented / DPI-like system.

    Denominator: every country of the selection with a population estimate (countries not
    assessed count as without a system). Columns: release, pillar, measure, population, total,
    share (NaN where the release did not assess the measure)."""
    people = countries.set_index("iso3")["population"]
    frame = history.assign(population=history["iso3"].map(people)).dropna(subset=["population"])
    implemented = frame["status"] == "implemented"
    frame = frame.assign(
        implemented=frame["population"].where(implemented, 0),
        dpi_like=frame["population"].where(implemented & frame["dpi_like"].fillna(False), 0),
    )
    sums = frame.groupby(["release", "pillar"])[["implemented", "dpi_like", "population"]].sum()
    long = sums.rename(columns={"population": "total"}).reset_index()
    long = long.melt(["release", "pillar", "total"], var_name="measure", value_name="population")
    assessed = long.merge(dpi_assessed, on=["release", "pillar"], how="left")["assessed"]
    unassessed = (long["measure"] == "dpi_like") & ~assessed.fillna(False).to_numpy()
    long.loc[unassessed, "population"] = None
    long["share"] = long["population"] / long["total"]
    return long


def transitions(
    history: pd.DataFrame, pillar: str, before: str, after: str, split_dpi: bool
) -> pd.DataFrame:
    """Per country: its category in `before` and in `after` (DPI-like split out only when both
    releases assessed it). Columns: iso3, name, before, after."""
    part = history[history["pillar"] == pillar]
    old = part[part["release"] == before].set_index("iso3")
    new = part[part["release"] == after].set_index("iso3")
    both = old.index.intersection(new.index)
    old, new = old.loc[both], new.loc[both]

    def category(frame):
        return status_category(frame["status"], frame["dpi_like"]) if split_dpi else frame["status"]

    return pd.DataFrame(
        {"iso3": both, "name": new["name"], "before": category(old), "after": category(new)}
    ).reset_index(drop=True)


def flow_counts(moves: pd.DataFrame) -> pd.DataFrame:
    """before, after, n: countries assessed in both releases, per pair of categories."""
    assessed = moves[(moves["before"] != "not_assessed") & (moves["after"] != "not_assessed")]
    order = {k: i for i, k in enumerate(STATUS_COLOURS)}
    flows = assessed.groupby(["before", "after"]).size().rename("n").reset_index()
    rank = flows["before"].map(order) * 10 + flows["after"].map(order)
    return flows.assign(rank=rank).sort_values("rank").drop(columns="rank").reset_index(drop=True)


def transition_matrix(flows: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """Counts as a table: one row per status in `before`, one column per status in `after`."""
    order = [k for k in STATUS_COLOURS if k in set(flows["before"]) | set(flows["after"])]
    table = flows.pivot(index="before", columns="after", values="n").reindex(
        index=[k for k in order if k in set(flows["before"])],
        columns=[k for k in order if k in set(flows["after"])],
    )
    table = table.fillna(0).astype(int).rename(index=STATUS_LABELS, columns=STATUS_LABELS)
    table["Total"] = table.sum(axis=1)
    return table.rename_axis(index=f"{before} ↓ / {after} →", columns=None).reset_index()


def movers_table(moves: pd.DataFrame) -> pd.DataFrame:
    """Countries whose category differs between the two releases (both assessed)."""
    changed = moves[
        (moves["before"] != moves["after"])
        & (moves["before"] != "not_assessed")
        & (moves["after"] != "not_assessed")
    ]
    return pd.DataFrame(
        {
            "Country": changed["name"],
            "ISO3": changed["iso3"],
            "Before": changed["before"].map(STATUS_LABELS),
            "After": changed["after"].map(STATUS_LABELS),
        }
    ).sort_values("Country", ignore_index=True)


def changelog(history: pd.DataFrame, release: str, before: str) -> pd.DataFrame:
    """Every country and pillar whose status, DPI-like flag (where both releases assessed it) or
    set of systems changed between `before` and `release`, with before and after in words."""
    old = history[history["release"] == before]
    new = history[history["release"] == release]
    merged = new.merge(old, on=["iso3", "name", "pillar"], suffixes=("", "_before"))
    flag = merged["dpi_like"].notna() & merged["dpi_like_before"].notna()
    what = pd.DataFrame(
        {
            "status": merged["status"] != merged["status_before"],
            "DPI-like": flag & (merged["dpi_like"] != merged["dpi_like_before"]).fillna(False),
            "systems": merged["system_names"].fillna("")
            != merged["system_names_before"].fillna(""),
        }
    )
    merged["changed"] = what.apply(lambda row: ", ".join(k for k, v in row.items() if v), axis=1)
    merged = merged[merged["changed"] != ""]
    return pd.DataFrame(
        {
            "Country": merged["name"],
            "ISO3": merged["iso3"],
            "Pillar": merged["pillar"].map(PILLAR_LABELS),
            "Changed": merged["changed"],
            "Status before": merged["status_before"].map(STATUS_LABELS),
            "Status after": merged["status"].map(STATUS_LABELS),
            "DPI-like before": yes_no_words(merged["dpi_like_before"]),
            "DPI-like after": yes_no_words(merged["dpi_like"]),
            "Systems before": merged["system_names_before"].fillna(""),
            "Systems after": merged["system_names"].fillna(""),
        }
    ).sort_values(["Country", "Pillar"], ignore_index=True)


def country_timeline(history: pd.DataFrame) -> pd.DataFrame:
    """One country's category per release and pillar, with hover text (release, pillar,
    category, hover)."""
    frame = history.copy()
    frame["category"] = status_category(frame["status"], frame["dpi_like"])
    dpi = yes_no_words(frame["dpi_like"], "not assessed", lower=True)
    frame["hover"] = (
        "<b>"
        + frame["release"]
        + "</b> · "
        + frame["pillar"].map(PILLAR_LABELS)
        + "<br>"
        + frame["category"].map(STATUS_LABELS)
        + "<br>Systems: "
        + frame["system_names"].fillna("none recorded")
        + "<br>DPI-like: "
        + dpi
    )
    return frame[["release", "pillar", "category", "hover"]]


def timeline_changes(history: pd.DataFrame) -> pd.DataFrame:
    """The releases in which one country's category changed, per pillar."""
    frame = history.sort_values(["pillar", "release"]).copy()
    frame["category"] = status_category(frame["status"], frame["dpi_like"])
    previous = frame.groupby("pillar")["category"].shift()
    # A DPI-like flag appearing when the release first assesses it is not a change of status.
    same = (previous == frame["category"]) | (
        (previous == "implemented")
        & (frame["category"] == "dpi_like")
        & frame.groupby("pillar")["dpi_like"].shift().isna()
    )
    changed = frame[previous.notna() & ~same]
    return pd.DataFrame(
        {
            "Pillar": changed["pillar"].map(PILLAR_LABELS),
            "Release": changed["release"],
            "From": previous[changed.index].map(STATUS_LABELS),
            "To": changed["category"].map(STATUS_LABELS),
        }
    ).reset_index(drop=True)


def changed_pairs(history: pd.DataFrame, pillar: str, releases: list[str]) -> list[tuple]:
    """(before, after, countries moved) for every two consecutive releases, oldest first:
    countries whose category in the pillar differs, both releases assessing them."""
    pairs = []
    for before, after in zip(releases, releases[1:], strict=False):
        moves = transitions(history, pillar, before, after, split_dpi=False)
        pairs.append((before, after, len(movers_table(moves))))
    return pairs


def default_transition(history: pd.DataFrame, pillar: str, releases: list[str]) -> tuple:
    """The releases the transitions open on: the last two consecutive ones between which a
    country of the selection moved (else the last two releases)."""
    moved = [(a, b) for a, b, n in changed_pairs(history, pillar, releases) if n]
    if moved:
        return moved[-1]
    return (releases[-2], releases[-1]) if len(releases) > 1 else (releases[0], releases[0])


def population_years(countries: pd.DataFrame) -> str:
    """'2017 estimates for all 21 countries', '2019 estimates for 198 of 216 countries
    (others 2016-2018)', '... (3 have no estimate)': the years of the population figures."""
    years = countries["population_year"].where(countries["population"].notna()).dropna()
    years = years.astype(int).value_counts()
    missing = len(countries) - int(years.sum())
    if years.empty:
        return "no population estimates"
    main, n = int(years.idxmax()), int(years.max())
    if len(years) == 1:
        text = f"{main} estimates for {'all ' if not missing else ''}{n} countries"
    else:
        others = sorted(int(y) for y in years.index if y != main)
        span = f"{others[0]}" if len(others) == 1 else f"{others[0]}–{others[-1]}"
        text = f"{main} estimates for {n} of {int(years.sum())} countries (others {span})"
    return text + (f"; {missing} without an estimate" if missing else "")
