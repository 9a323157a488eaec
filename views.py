"""Warehouse frames -> the frames the pages draw (categories, hover text, tables). Pure pandas."""

import json
import unicodedata

import pandas as pd

import charts
from etl.vocabulary import PILLAR_LABELS, PILLARS, STATUS_LABELS

GEO_COLUMNS = ["iso3", "area_km2", "lat", "lon", "has_geometry"]


def pillar_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str) -> pd.DataFrame:
    """Per country: the pillar's status category and hover text, with geometry helpers."""
    frame = long[long["pillar"] == pillar].copy()
    frame["category"] = charts.status_category(frame["status"], frame["dpi_like"])
    frame["hover"] = charts.status_hover(frame, pillar)
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def attribute_map_frame(
    long: pd.DataFrame, countries: pd.DataFrame, pillar: str, values: pd.DataFrame, label: str
) -> pd.DataFrame:
    """Per country: yes / no / unknown / not assessed for one attribute of the pillar."""
    frame = pillar_map_frame(long, countries, pillar).merge(values, on="iso3", how="left")
    assessed = frame["status"] != "not_assessed"
    frame["category"] = charts.yes_no_category(frame["value_bool"], assessed)
    frame["hover"] = (
        frame["hover"]
        + "<br><b>"
        + label
        + ": "
        + frame["category"].map(charts.YES_NO_LABELS)
        + "</b>"
    )
    return frame


def dpi_like_map_frame(long: pd.DataFrame, countries: pd.DataFrame, pillar: str, assessed: bool):
    """Per country: whether the pillar has a DPI-like system (NULL flags are 'unknown')."""
    frame = pillar_map_frame(long, countries, pillar)
    has_record = frame["status"] != "not_assessed"
    value = frame["dpi_like"] if assessed else pd.Series(None, index=frame.index, dtype="boolean")
    frame["category"] = charts.yes_no_category(value, has_record)
    return frame


def stack_frame(long: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Per country: how many of the three pillars are implemented, with the combination."""
    wide = long.pivot(index=["iso3", "name"], columns="pillar", values="status").reset_index()
    dpi = long.pivot(index="iso3", columns="pillar", values="dpi_like").add_suffix("_dpi")
    wide = wide.merge(dpi.reset_index(), on="iso3")
    implemented = sum((wide[p] == "implemented").astype(int) for p in PILLARS)
    dpi_count = sum(wide[f"{p}_dpi"].astype("boolean").fillna(False).astype(int) for p in PILLARS)
    assessed = sum((wide[p] != "not_assessed").astype(int) for p in PILLARS)
    wide["implemented"] = implemented
    wide["dpi_like_pillars"] = dpi_count
    wide["category"] = implemented.astype(str).where(assessed > 0, "not_assessed")
    lines = [
        "<br>"
        + PILLAR_LABELS[p]
        + ": "
        + wide[p].map(STATUS_LABELS)
        + wide[f"{p}_dpi"].map({True: " (DPI-like)"}).fillna("")
        for p in PILLARS
    ]
    wide["hover"] = (
        "<b>"
        + wide["name"]
        + "</b><br>"
        + implemented.astype(str)
        + " of 3 pillars implemented"
        + sum(lines[1:], lines[0])
    )
    return wide.merge(countries[GEO_COLUMNS], on="iso3", how="left")


def status_table(frame: pd.DataFrame, extra: str | None = None) -> pd.DataFrame:
    """The table under the map: what the map shows, in words."""
    table = pd.DataFrame(
        {
            "Country": frame["name"],
            "ISO3": frame["iso3"],
            "Status": frame["status"].map(STATUS_LABELS),
            "DPI-like": frame["dpi_like"].map({True: "Yes", False: "No"}).fillna("Not assessed"),
            "Systems": frame["systems"].fillna(""),
            "Last updated": frame["last_updated"],
        }
    )
    if extra:
        table[extra] = frame["category"].map(charts.YES_NO_LABELS)
    return table.sort_values("Country").reset_index(drop=True)


def headline_counts(long: pd.DataFrame, iso3s: set[str]) -> pd.DataFrame:
    """Countries per pillar and category (pillar, category, n) within a selection."""
    frame = long[long["iso3"].isin(iso3s)].copy()
    frame["category"] = charts.status_category(frame["status"], frame["dpi_like"])
    counts = frame.groupby(["pillar", "category"]).size().rename("n").reset_index()
    return counts


def csv_with_citation(table: pd.DataFrame, citation: str) -> bytes:
    """CSV exactly as displayed, with a citation line first."""
    return (f"# Source: {citation}\n" + table.to_csv(index=False)).encode("utf-8")


# ---- trends, profiles, compare, sources
NOT_CLASSIFIED = "Not classified"
DPI_WORDS = {True: "Yes", False: "No"}


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
    counts = grouped[list(charts.TREND_CATEGORIES)].sum().astype(float)
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
        return (
            charts.status_category(frame["status"], frame["dpi_like"])
            if split_dpi
            else frame["status"]
        )

    return pd.DataFrame(
        {"iso3": both, "name": new["name"], "before": category(old), "after": category(new)}
    ).reset_index(drop=True)


def flow_counts(moves: pd.DataFrame) -> pd.DataFrame:
    """before, after, n: countries assessed in both releases, per pair of categories."""
    assessed = moves[(moves["before"] != "not_assessed") & (moves["after"] != "not_assessed")]
    order = {k: i for i, k in enumerate(charts.STATUS_COLOURS)}
    flows = assessed.groupby(["before", "after"]).size().rename("n").reset_index()
    rank = flows["before"].map(order) * 10 + flows["after"].map(order)
    return flows.assign(rank=rank).sort_values("rank").drop(columns="rank").reset_index(drop=True)


def transition_matrix(flows: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """Counts as a table: one row per status in `before`, one column per status in `after`."""
    order = [k for k in charts.STATUS_COLOURS if k in set(flows["before"]) | set(flows["after"])]
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
    dpi = {True: "Yes", False: "No"}
    return pd.DataFrame(
        {
            "Country": merged["name"],
            "ISO3": merged["iso3"],
            "Pillar": merged["pillar"].map(PILLAR_LABELS),
            "Changed": merged["changed"],
            "Status before": merged["status_before"].map(STATUS_LABELS),
            "Status after": merged["status"].map(STATUS_LABELS),
            "DPI-like before": merged["dpi_like_before"].map(dpi).fillna("Not assessed"),
            "DPI-like after": merged["dpi_like"].map(dpi).fillna("Not assessed"),
            "Systems before": merged["system_names_before"].fillna(""),
            "Systems after": merged["system_names"].fillna(""),
        }
    ).sort_values(["Country", "Pillar"], ignore_index=True)


# -- country profile
def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def picker_labels(countries: pd.DataFrame, aliases: dict[str, list[str]]) -> dict[str, str]:
    """iso3 -> 'Name (ISO3)' plus other spellings, so the picker finds 'Turkey' or 'Cote'."""
    labels = {}
    for iso3, name in zip(countries["iso3"], countries["name"], strict=True):
        others = [*aliases.get(iso3, []), ascii_fold(name)]
        others = [o for o in dict.fromkeys(others) if o and o != name]
        labels[iso3] = f"{name} ({iso3})" + (f" · {' · '.join(others)}" if others else "")
    return labels


def population_words(population: float, year: float) -> str:
    if pd.isna(population):
        return "n/a"
    size = f"{population / 1e6:,.1f} million" if population >= 1e6 else f"{population:,.0f}"
    return f"{size} ({year:.0f})"


def attribute_table(attributes: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One system's attributes of one kind ('bool' or 'text'), in words, with definitions."""
    part = attributes[attributes["kind"] == kind]
    if kind == "bool":
        value = part["value_bool"].map(DPI_WORDS).fillna("Unknown / not applicable")
    else:
        value = part["value_text"].fillna("Not recorded")
    # Where the DPI Map's wording only repeats the label there is nothing more to say.
    wording = part["definition"].fillna("")
    same = wording.str.casefold().str.strip() == part["label"].str.casefold().str.strip()
    derived = part["derived_from"].map(lambda d: f"Derived from '{d}'." if d else "").fillna("")
    definition = (wording.where(~same, "") + " " + derived).str.strip().replace("", "—")
    return pd.DataFrame(
        {"Attribute": part["label"], "Value": value, "Definition (DPI Map wording)": definition}
    ).reset_index(drop=True)


def country_timeline(history: pd.DataFrame) -> pd.DataFrame:
    """One country's category per release and pillar, with hover text (release, pillar,
    category, hover)."""
    frame = history.copy()
    frame["category"] = charts.status_category(frame["status"], frame["dpi_like"])
    dpi = frame["dpi_like"].map({True: "yes", False: "no"}).fillna("not assessed")
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
    frame["category"] = charts.status_category(frame["status"], frame["dpi_like"])
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


def status_words(status: pd.Series, dpi_like: pd.Series) -> pd.Series:
    return status.map(STATUS_LABELS) + dpi_like.map({True: " · DPI-like"}).fillna("")


def peer_table(long: pd.DataFrame, countries: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Countries in the same World Bank region AND income group, statuses per pillar."""
    me = countries.set_index("iso3").loc[iso3]
    if pd.isna(me["region"]) or pd.isna(me["income_group"]):
        return pd.DataFrame(columns=["Country", "ISO3", *PILLAR_LABELS.values()])
    peers = countries[
        (countries["region"] == me["region"]) & (countries["income_group"] == me["income_group"])
    ]["iso3"]
    part = long[long["iso3"].isin(peers)].assign(
        words=lambda f: status_words(f["status"], f["dpi_like"])
    )
    table = part.pivot(index=["name", "iso3"], columns="pillar", values="words")
    table = table.reindex(columns=list(PILLARS)).rename(columns=PILLAR_LABELS)
    return table.reset_index().rename(columns={"name": "Country", "iso3": "ISO3"})


def highlight_row(table: pd.DataFrame, column: str, value: str):
    """A Styler that paints the row whose `column` equals `value`."""
    style = "background-color: #fde9c8; font-weight: 600"
    return table.style.apply(lambda row: [style if row[column] == value else ""] * len(row), axis=1)


# -- compare
def compare_options(countries: pd.DataFrame, regions: list[str], incomes: list[str]) -> list[str]:
    """Country names, then 'Region: …' and 'Income: …' aggregates."""
    return (
        sorted(countries["name"])
        + [f"Region: {r}" for r in regions]
        + [f"Income: {i}" for i in incomes]
    )


def compare_members(item: str, countries: pd.DataFrame, within: set[str]) -> list[str]:
    """ISO3 codes an item stands for: one country, or a group's countries within `within`."""
    if item.startswith("Region: "):
        mask = countries["region"] == item.removeprefix("Region: ")
    elif item.startswith("Income: "):
        mask = countries["income_group"] == item.removeprefix("Income: ")
    else:
        return countries.loc[countries["name"] == item, "iso3"].tolist()
    return sorted(set(countries.loc[mask, "iso3"]) & within)


def compare_shares(long: pd.DataFrame, members: dict[str, list[str]]) -> pd.DataFrame:
    """Per item, pillar and category: members in it (n), members, share of members."""
    rows = []
    for item, codes in members.items():
        part = long[long["iso3"].isin(codes)]
        category = charts.status_category(part["status"], part["dpi_like"])
        counts = part.assign(category=category).groupby(["pillar", "category"]).size()
        for pillar in PILLARS:
            for key in charts.STATUS_COLOURS:
                n = int(counts.get((pillar, key), 0))
                rows.append((item, pillar, key, n, len(codes)))
    frame = pd.DataFrame(rows, columns=["item", "pillar", "category", "n", "members"])
    frame["share"] = frame["n"] / frame["members"].where(frame["members"] > 0)
    return frame


def implemented_share(shares: pd.DataFrame) -> pd.DataFrame:
    """Per item and pillar: implemented (incl. DPI-like) countries / members assessed."""
    wide = shares.pivot_table(
        index=["item", "pillar"], columns="category", values="n", aggfunc="sum"
    )
    wide = wide.reindex(columns=list(charts.STATUS_COLOURS), fill_value=0)
    implemented = wide["implemented"] + wide["dpi_like"]
    assessed = wide.drop(columns="not_assessed").sum(axis=1)
    result = pd.DataFrame({"implemented": implemented, "assessed": assessed}).reset_index()
    result["share"] = result["implemented"] / result["assessed"].where(result["assessed"] > 0)
    return result


def compare_table(
    long: pd.DataFrame, members: dict[str, list[str]], shares: pd.DataFrame
) -> pd.DataFrame:
    """Rows = pillars; one column per item. A country shows its status and system, an
    aggregate the share of its assessed members with an implemented system."""
    implemented = implemented_share(shares).set_index(["item", "pillar"])
    table = pd.DataFrame({"Pillar": [PILLAR_LABELS[p] for p in PILLARS]})
    for item, codes in members.items():
        table[item] = [_compare_cell(long, item, codes, p, implemented) for p in PILLARS]
    return table


def _compare_cell(long, item, codes, pillar, implemented) -> str:
    if not is_aggregate(item):
        row = long[(long["iso3"].isin(codes)) & (long["pillar"] == pillar)]
        if row.empty:
            return "Not assessed"
        row = row.iloc[0]
        words = status_words(pd.Series([row["status"]]), pd.Series([row["dpi_like"]]))[0]
        return words + (f" — {row['system_name']}" if isinstance(row["system_name"], str) else "")
    stats = implemented.loc[(item, pillar)]
    size = f"{len(codes)} {'country' if len(codes) == 1 else 'countries'}"
    if stats["assessed"] == 0:
        return f"No member assessed ({size})"
    return (
        f"{stats['share']:.0%} implemented ({int(stats['implemented'])} of "
        f"{int(stats['assessed'])} assessed; {size})"
    )


def is_aggregate(item: str) -> bool:
    return item.startswith(("Region: ", "Income: "))


def compare_attributes(
    values: pd.DataFrame, members: dict[str, list[str]], pillar: str
) -> pd.DataFrame:
    """Rows = the pillar's yes/no attributes; per item: a country's Yes / No / Unknown, an
    aggregate's share of members (with a record) whose system has it."""
    part = values[values["pillar"] == pillar]
    table = pd.DataFrame({"Attribute": sorted(set(part["label"]))})
    for item, codes in members.items():
        mine = part[part["iso3"].isin(codes)]
        if not is_aggregate(item):
            words = mine.set_index("label")["value_bool"].map(DPI_WORDS).fillna("Unknown")
            table[item] = table["Attribute"].map(words).fillna("No record")
            continue
        has = mine.groupby("label")["value_bool"].apply(lambda s: int(s.fillna(False).sum()))
        with_record = mine["iso3"].nunique()
        table[item] = table["Attribute"].map(
            lambda label,
            has=has,
            n=with_record: f"{has.get(label, 0) / n:.0%} ({has.get(label, 0)} of {n})"
            if n
            else "No record"
        )
    return table


# -- sources and downloads
def status_download(long: pd.DataFrame, countries: pd.DataFrame, iso3s: set[str], release: str):
    """The country-status table of the current filters, one row per country and pillar."""
    groups = countries[["iso3", "region", "income_group"]]
    frame = long[long["iso3"].isin(iso3s)].merge(groups, on="iso3", how="left")
    frame = frame.assign(release=release)
    columns = ["release", "iso3", "name", "region", "income_group", "pillar", "status"]
    columns += ["dpi_like", "system_name", "systems", "last_updated"]
    return frame[columns].rename(columns={"name": "country"}).reset_index(drop=True)


def parquet_with_citation(table: pd.DataFrame, citation: str) -> bytes:
    """Parquet bytes whose schema metadata carries the citation (key 'citation'; pandas also
    restores it as DataFrame.attrs['citation'])."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table, preserve_index=False)
    metadata = {
        **(arrow.schema.metadata or {}),
        b"citation": citation.encode("utf-8"),
        b"PANDAS_ATTRS": json.dumps({"citation": citation}).encode("utf-8"),
    }
    buffer = pa.BufferOutputStream()
    pq.write_table(arrow.replace_schema_metadata(metadata), buffer)
    return buffer.getvalue().to_pybytes()


def provenance_table(sources: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Source": sources["title"],
            "Release": sources["release"].fillna("—"),
            "URL": sources["url"],
            "Retrieved (UTC)": sources["retrieved_at"].astype(str).str[:16].str.replace("T", " "),
            "Terms": sources["terms"],
            "SHA-256": sources["sha256"],
            "Citation": sources["citation"],
        }
    )


READABLE_COLUMNS = {
    "release": "Release",
    "pillar": "Pillar",
    "records": "Records in the file",
    "country_records": "Records for a country",
    "countries_matched": "Countries matched",
    "regional_records": "Regional records",
    "corrections_applied": "Corrections applied",
    "countries_without_geometry": "Countries without a map shape",
    "country": "Country (as published)",
    "column": "Column",
    "old_value": "Published value",
    "new_value": "Corrected value",
    "reason": "Reason",
    "name_raw": "Name in the DPI Map",
    "iso3": "ISO3",
    "name": "Matched to",
    "region_label": "Region (as published)",
    "system_name": "System",
    "status_raw": "Status (as published)",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A warehouse table with plain-word column names and pillar labels, for display."""
    shown = frame.copy()
    if "pillar" in shown:
        shown["pillar"] = shown["pillar"].map(PILLAR_LABELS).fillna(shown["pillar"])
    return shown.rename(columns=READABLE_COLUMNS)
