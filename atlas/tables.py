"""Tables and downloads: what the pages show in rows, in words, and the files they offer.

Downloads are for pandas, R and Excel: plain values (ISO3, status and pillar ids, true/false,
ISO dates, an empty cell where the data has no value), one header row, and the selection and
the citation in two columns of their own (`selection`, `citation`) on every row; Parquet
files carry the citation in their metadata too. File names say what was filtered. Pure
pandas."""

import json
import re

import pandas as pd

from atlas.categories import (
    CHANGE_LABELS,
    PILLAR_LABELS,
    PILLARS,
    STATUS_COLOURS,
    STATUS_LABELS,
    YES_NO,
    YES_NO_LABELS,
    dpi_suffix,
    status_category,
    yes_no_words,
)
from atlas.selection import OUTCOME_PREFIX, is_outcome

NOT_GIVEN = "not given"  # a blank in the source, in a table shown on the page


def status_table(
    frame: pd.DataFrame, extra: str | None = None, words: pd.Series | None = None
) -> pd.DataFrame:
    """The table under the map: what the map shows, in words. `extra` names a column for the
    measure: `words` when given (the building block), else the category as yes/no or change."""
    table = pd.DataFrame(
        {
            "Country": frame["name"],
            "ISO3": frame["iso3"],
            "Status": frame["status"].map(STATUS_LABELS),
            "DPI-like": yes_no_words(frame["dpi_like"]),
            "Systems": frame["systems"].fillna(""),
            "Last updated": frame["last_updated"].fillna(NOT_GIVEN),
        }
    )
    if extra:
        shown = frame["category"].map(YES_NO_LABELS | CHANGE_LABELS) if words is None else words
        table[extra] = shown
    return table.sort_values("Country").reset_index(drop=True)


def stack_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The table under the stack map: pillars implemented, and each pillar's status."""
    table = pd.DataFrame(
        {
            "Country": frame["name"],
            "ISO3": frame["iso3"],
            "Pillars implemented": frame["implemented"],
            "DPI-like pillars": frame["dpi_like_pillars"],
        }
    )
    for pillar in PILLARS:
        table[PILLAR_LABELS[pillar]] = frame[pillar].map(STATUS_LABELS)
    return table.sort_values("Country").reset_index(drop=True)


def map_download(
    frame: pd.DataFrame, release: str, pillar: str, measure: str | None = None
) -> pd.DataFrame:
    """The map's table for a file: one row per country, plain values. `measure` adds its own
    columns: an attribute's id (e.g. 'x_road_based') its true/false column (empty: unknown or
    not assessed); 'block' the technology class, the blocks named and the cell as written;
    'outcome:<indicator>' the indicator, its value, the value's year and the status group
    (for the stack: the number of pillars implemented, pillar_implemented: all three)."""
    if is_outcome(measure):
        table = frame[["iso3", "name", "group", "implemented", "value", "year"]].assign(
            pillar=pillar, indicator=measure.removeprefix(OUTCOME_PREFIX)
        )
        table = table.rename(columns={"implemented": "pillar_implemented"})
        table = table[["iso3", "name", "pillar", "group", "pillar_implemented", "indicator",
                       "value", "year"]]  # fmt: skip
        table = table.assign(year=table["year"].astype("Int64"))
        table = table.rename(columns={"group": "status_group"})  # DPI-like is a group here
    elif pillar == "stack":
        table = frame[["iso3", "name", "implemented", "dpi_like_pillars", *PILLARS]]
        table = table.rename(columns={"implemented": "pillars_implemented"})
    else:
        table = frame[["iso3", "name", "status", "dpi_like", "systems", "last_updated"]]
        table = table.assign(pillar=pillar)
        if measure == "block":
            table = table.assign(
                building_block_class=frame["category"],
                building_blocks=frame["blocks"],
                as_written=frame["raw_value"],
            )
        elif measure:
            table = table.assign(**{measure: frame["value_bool"].astype("boolean")})
    table = table.rename(columns={"name": "country"})
    table.insert(0, "release", release)
    return table.sort_values("country").reset_index(drop=True)


def csv_download(table: pd.DataFrame, citation: str, selection: str) -> bytes:
    """UTF-8 CSV (no comment line: one header row, then the data), with the selection and the
    citation in their own columns."""
    return with_citation(table, citation, selection).to_csv(index=False).encode("utf-8")


def csv_with_citation(table: pd.DataFrame, citation: str) -> bytes:
    """CSV with the citation in a column of its own (for tables without a selection)."""
    return table.assign(citation=citation).to_csv(index=False).encode("utf-8")


def with_citation(table: pd.DataFrame, citation: str, selection: str) -> pd.DataFrame:
    return table.assign(selection=selection, citation=citation)


def download_name(what: str, selection, ext: str) -> str:
    """'dpi-atlas_payments-status_2026-01-15_wb-south-asia_income-low.csv': what, release and
    filters, so a saved file says what it holds."""
    parts = ["dpi-atlas", what, selection.release, selection.slug()]
    return "_".join(re.sub(r"[^A-Za-z0-9._-]+", "-", p).strip("-") for p in parts) + f".{ext}"


def population_words(population: float, year: float) -> str:
    if pd.isna(population):
        return "n/a"
    size = f"{population / 1e6:,.1f} million" if population >= 1e6 else f"{population:,.0f}"
    return f"{size} ({year:.0f})"


def attribute_table(attributes: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One system's attributes of one kind ('bool' or 'text'), in words, with definitions."""
    part = attributes[attributes["kind"] == kind]
    if kind == "bool":
        value = part["value_bool"].map(YES_NO).fillna("Unknown / not applicable")
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


def status_words(status: pd.Series, dpi_like: pd.Series) -> pd.Series:
    return status.map(STATUS_LABELS) + dpi_suffix(dpi_like)


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


def compare_shares(long: pd.DataFrame, members: dict[str, list[str]]) -> pd.DataFrame:
    """Per item, pillar and category: members in it (n), members, share of members."""
    rows = []
    for item, codes in members.items():
        part = long[long["iso3"].isin(codes)]
        category = status_category(part["status"], part["dpi_like"])
        counts = part.assign(category=category).groupby(["pillar", "category"]).size()
        for pillar in PILLARS:
            for key in STATUS_COLOURS:
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
    wide = wide.reindex(columns=list(STATUS_COLOURS), fill_value=0)
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
    return item.startswith(("Region: ", "UN region: ", "Income: "))


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
            words = mine.set_index("label")["value_bool"].map(YES_NO).fillna("Unknown")
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
    "method": "Matched by",
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
