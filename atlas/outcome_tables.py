"""Outcome indicators beside DPI adoption: one outcome against another, the change between
waves beside when a pillar became implemented, a country among its peers, compared items side
by side, the map measure; the tables behind each chart. Pure pandas. The per-country frame and
the status-group summaries: atlas/outcome_groups.py; the rule and values in words:
atlas/outcome_words.py.

One rule everywhere, declared on screen: each country's **latest value from `since` on** (its
year goes with it into every table, hover and summary); a country with no value since then
has "no value". Status groups are the map's categories for one pillar in one release.
"""

import pandas as pd

from atlas.categories import GEO_COLUMNS, PILLAR_LABELS, PILLARS, STACK_LABELS
from atlas.outcome_groups import GROUP_LABELS, outcome_frame
from atlas.outcome_words import ordinal, span_words, value_words

BIN_WIDTH = 10  # the map's classes: 0-10, 10-20, ... 90-100 (100 itself in the last)
BINS = 100 // BIN_WIDTH
NO_VALUE_BIN = -1


# ------------------------------------------------------------------ two outcomes
def scatter_frame(frame: pd.DataFrame, latest: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Countries of `frame` (outcome_frame: iso3, name, group) with a value of both `x` and
    `y` under the rule. Columns: iso3, name, group, x, x_year, y, y_year."""

    def values(indicator: str, prefix: str) -> pd.DataFrame:
        part = latest.loc[latest["indicator"] == indicator, ["iso3", "value", "year"]]
        return part.rename(columns={"value": prefix, "year": f"{prefix}_year"})

    both = frame[["iso3", "name", "group"]].merge(values(x, "x"), on="iso3")
    both = both.merge(values(y, "y"), on="iso3")
    return both.astype({"x_year": "int64", "y_year": "int64"}).reset_index(drop=True)


def scatter_table(points: pd.DataFrame, x_name: str, y_name: str, pillar: str, release: str):
    return pd.DataFrame(
        {
            "Country": points["name"],
            "ISO3": points["iso3"],
            f"{PILLAR_LABELS[pillar]} status ({release})": points["group"].map(GROUP_LABELS),
            x_name: points["x"].round(2),
            f"{x_name}: year": points["x_year"],
            y_name: points["y"].round(2),
            f"{y_name}: year": points["y_year"],
        }
    )


# ------------------------------------------------------------------ change between waves
def timing_labels(releases: list[str], release: str) -> dict[str, str]:
    """The change chart's groups: when the pillar became implemented (up to `release`)."""
    shown = [r for r in releases if r <= release]
    labels = {"first": f"Implemented by {shown[0]} (first release)"}
    labels |= {f"became:{r}": f"Became implemented in {r}" for r in shown[1:]}
    labels |= {
        "not_implemented": f"Not implemented in {release}",
        "not_assessed": f"Not assessed in {release}",
    }
    return labels


def change_frame(
    two: pd.DataFrame,
    frame: pd.DataFrame,
    first: pd.DataFrame,
    pillar: str,
    releases: list[str],
    release: str,
) -> pd.DataFrame:
    """Per country of `frame` (outcome_frame of the release) with two values (last_two_values):
    the change between them and when `pillar` became implemented.

    Columns: iso3, name, group, timing, timing_label, previous_year, previous_value, year,
    value, change (points)."""
    started = first[first["pillar"] == pillar].set_index("iso3")["first_implemented"]
    changes = frame[["iso3", "name", "group"]].merge(two, on="iso3")
    oldest = min(r for r in releases if r <= release)

    def timing(row) -> str:
        if row["group"] in ("implemented", "dpi_like"):
            since = started.get(row["iso3"], release)
            return "first" if since == oldest else f"became:{since}"
        return "not_assessed" if row["group"] == "not_assessed" else "not_implemented"

    labels = timing_labels(releases, release)
    changes["timing"] = [timing(row) for _, row in changes.iterrows()] if len(changes) else []
    changes["timing_label"] = changes["timing"].map(labels)
    changes["change"] = changes["value"] - changes["previous_value"]
    order = {key: i for i, key in enumerate(labels)}
    changes = changes.assign(_order=changes["timing"].map(order))
    return changes.sort_values(["_order", "name"]).drop(columns="_order").reset_index(drop=True)


def change_summary(changes: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Per timing group: countries, median change and the wave pairs it spans."""
    rows = []
    for key, label in labels.items():
        part = changes[changes["timing"] == key]
        pairs = (part["previous_year"].astype(str) + "→" + part["year"].astype(str)).value_counts()
        rows.append(
            {
                "When it became implemented": label,
                "Countries": len(part),
                "Median change (points)": round(part["change"].median(), 1) if len(part) else None,
                "Waves compared": " · ".join(f"{p}: {n}" for p, n in pairs.items()),
            }
        )
    return pd.DataFrame(rows)


def change_table(changes: pd.DataFrame, name: str, pillar: str, release: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Country": changes["name"],
            "ISO3": changes["iso3"],
            f"{PILLAR_LABELS[pillar]}: when implemented (releases up to {release})": changes[
                "timing_label"
            ],
            "Previous wave": changes["previous_year"],
            f"{name}, previous wave": changes["previous_value"].round(2),
            "Latest wave": changes["year"],
            f"{name}, latest wave": changes["value"].round(2),
            "Change (points)": changes["change"].round(2),
        }
    )


# ------------------------------------------------------------------ a country and its peers
def peer_position(latest: pd.DataFrame, countries: pd.DataFrame, iso3: str, column: str):
    """Where a country's value sits among the countries sharing its `column` (region or
    income group) that have a value: '5th highest of 44 in Sub-Saharan Africa (median 49.0%,
    values 2017–2024)'; None when it has no value or no group."""
    groups = countries.set_index("iso3")[column]
    group = groups.get(iso3)
    mine = latest[latest["iso3"] == iso3]
    if mine.empty or group is None or pd.isna(group):
        return None
    peers = latest[latest["iso3"].map(groups) == group]
    rank = int((peers["value"] > mine["value"].iloc[0]).sum()) + 1
    return (
        f"{ordinal(rank)} highest of {len(peers)} in {group} "
        f"(median {peers['value'].median():.1f}%, values {span_words(peers['year'])})"
    )


def country_outcome_table(
    indicators: pd.DataFrame,
    latest: pd.DataFrame,
    countries: pd.DataFrame,
    iso3: str,
    since: int,
    values: pd.DataFrame,
) -> pd.DataFrame:
    """One row per indicator: the country's latest value and its year under the rule (or, when
    it has none since then, its last value before), and its position among its region's and
    its income group's countries. `values`: every value of the country (for the last one)."""
    rows = []
    for _, indicator in indicators.iterrows():
        part = latest[latest["indicator"] == indicator["indicator"]]
        mine = part[part["iso3"] == iso3]
        if len(mine):
            value = value_words(mine["value"].iloc[0], mine["year"].iloc[0])
            year = int(mine["year"].iloc[0])
        else:
            value, year = f"no value since {since}", None
            older = values[values["indicator"] == indicator["indicator"]]
            if len(older):
                last = older.sort_values("year").iloc[-1]
                value += f" (last: {value_words(last['value'], last['year'])})"
        rows.append(
            {
                "Indicator": indicator["name"],
                "Beside": PILLAR_LABELS.get(indicator["pillar"], indicator["pillar"]),
                "Latest value": value,
                "Year": year,
                "Among its region": peer_position(part, countries, iso3, "region") or "—",
                "Among its income group": peer_position(part, countries, iso3, "income_group")
                or "—",
                "Source": indicator["citation"],
            }
        )
    table = pd.DataFrame(rows)
    table["Year"] = table["Year"].astype("Int64")
    return table


def country_history(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Every value of the country (indicator, name, year, value), indicators in catalogue order."""
    names = indicators.set_index("indicator")["name"]
    frame = values[values["indicator"].isin(names.index)].assign(
        name=lambda f: f["indicator"].map(names)
    )
    return frame[["indicator", "name", "year", "value"]].reset_index(drop=True)


# ------------------------------------------------------------------ compare
def compare_outcome_table(
    indicators: pd.DataFrame,
    latest: pd.DataFrame,
    members: dict[str, list[str]],
    aggregates: set[str],
    since: int,
) -> pd.DataFrame:
    """Rows = indicators, one column per compared item: a country's latest value with its
    year, an aggregate's median over its members with a value (how many, which years)."""
    table = pd.DataFrame({"Indicator": indicators["name"].to_numpy()})
    for item, codes in members.items():
        cells = []
        for code in indicators["indicator"]:
            part = latest[(latest["indicator"] == code) & latest["iso3"].isin(codes)]
            if item not in aggregates:
                row = part.iloc[0] if len(part) else None
                cells.append(
                    value_words(None, None, since=since)
                    if row is None
                    else value_words(row["value"], row["year"])
                )
            elif part.empty:
                cells.append(f"no value since {since} (0 of {len(codes)} countries)")
            else:
                cells.append(
                    f"median {part['value'].median():.1f}% ({len(part)} of {len(codes)} "
                    f"countries; values {span_words(part['year'])})"
                )
        table[item] = cells
    return table


# ------------------------------------------------------------------ the map measure
def bin_of(values: pd.Series) -> pd.Series:
    """0..BINS-1 by BIN_WIDTH points (100 in the last class); NO_VALUE_BIN where missing."""
    bins = (values // BIN_WIDTH).clip(upper=BINS - 1)
    return bins.fillna(NO_VALUE_BIN).astype(int)


def bin_labels(unit: str = "%") -> dict[int, str]:
    labels = {b: f"{b * BIN_WIDTH}–{(b + 1) * BIN_WIDTH}{unit}" for b in range(BINS)}
    return {**labels, NO_VALUE_BIN: "No data"}


def outcome_map_frame(
    long: pd.DataFrame,
    countries: pd.DataFrame,
    pillar: str,
    latest: pd.DataFrame,
    indicator: pd.Series | dict,
    since: int,
) -> pd.DataFrame:
    """Per country of `long`: the latest value of the indicator (rule: since `since`), its
    class, whether `pillar` is implemented (the map's outline), hover text, geometry helpers.
    `pillar` 'stack': the group is the number of pillars implemented (STACK_LABELS' keys), the
    outline all three.

    Columns: iso3, name, group, value, year, bin, implemented, status, hover + GEO_COLUMNS."""
    code = indicator["indicator"]
    if pillar == "stack":  # the values are the pillars'; the groups are the stack's
        frame = outcome_frame(long, countries, PILLARS[0], latest, code)
        frame["group"] = frame["iso3"].map(pillars_implemented(long))
        frame["implemented"] = frame["group"] == str(len(PILLARS))
        frame["status"] = frame["group"].map(STACK_LABELS)
    else:
        frame = outcome_frame(long, countries, pillar, latest, code)
        frame["implemented"] = frame["group"].isin(["implemented", "dpi_like"])
        frame["status"] = frame["group"].map(GROUP_LABELS)
    frame = frame.drop(columns=["region", "income_group"])
    frame["bin"] = bin_of(frame["value"])
    values = [
        value_words(v, y, since=since) for v, y in zip(frame["value"], frame["year"], strict=True)
    ]
    frame["hover"] = (
        "<b>" + frame["name"] + "</b><br>" + indicator["name"] + ": <b>"
        + pd.Series(values, index=frame.index) + "</b><br>" + PILLAR_LABELS.get(pillar, "Pillars implemented") + ": "
        + frame["status"]
    )  # fmt: skip
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def pillars_implemented(long: pd.DataFrame) -> pd.Series:
    """iso3 -> how many pillars are implemented ('0'..'3'), 'not_assessed' without a record
    in any pillar (the stack map's categories)."""
    done = long["status"].eq("implemented").groupby(long["iso3"]).sum().astype(int)
    recorded = long["status"].ne("not_assessed").groupby(long["iso3"]).any()
    return done.astype(str).where(recorded, "not_assessed")


def status_words(pillar: str) -> str:
    """What the status column of an outcome map says: a pillar's status, or the stack's."""
    return "Pillars implemented" if pillar == "stack" else f"{PILLAR_LABELS[pillar]} status"


def outcome_map_table(frame: pd.DataFrame, indicator: pd.Series | dict, pillar: str):
    """The table under the outcome map: the value, its year and the pillar's status."""
    table = pd.DataFrame(
        {
            "Country": frame["name"],
            "ISO3": frame["iso3"],
            f"{indicator['name']}": frame["value"].round(1),
            "Year": frame["year"],
            status_words(pillar): frame["status"],
        }
    )
    return table.sort_values("Country", ignore_index=True)
