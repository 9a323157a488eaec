"""What each country's system runs on (the map explorer's "Building block" measure), whether a
release published the technology field at all, and a country's blocks for its profile. Pure
pandas."""

import pandas as pd

from atlas.categories import (
    GEO_COLUMNS,
    KIND_LABELS,
    PILLAR_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TECH_MEASURE_LABELS,
)


def country_block_table(frame: pd.DataFrame, system_id: int | None = None) -> pd.DataFrame:
    """The country profile's building blocks (block_queries.country_blocks), in words: one row
    per system and block, then the registry's own listings for the country. With `system_id`,
    that system's rows only."""
    if system_id is not None:
        frame = frame[frame["system_id"] == system_id]
    return pd.DataFrame(
        {
            "Pillar": frame["pillar"].map(PILLAR_LABELS),
            "System": frame["system_name"].fillna("— (DPGA registry only)"),
            "Building block or supplier": frame["name"],
            "Kind": frame["kind"].map(KIND_LABELS),
            "Role": frame["role"].map(ROLE_LABELS).fillna("—"),
            "As written in the DPI Map": frame["raw_value"].fillna("—"),
            "DPGA registry": frame["dpga"].fillna("—"),
            "Source": _sources(frame),
        }
    ).reset_index(drop=True)


def registry_block_table(frame: pd.DataFrame, pillar: str) -> pd.DataFrame:
    """The country profile, per pillar: the open products the DPGA registry lists for the
    country that none of its systems names (block_queries.country_blocks rows without a
    system), in words."""
    part = frame[frame["system_id"].isna() & (frame["pillar"] == pillar)]
    return country_block_table(part)[["Building block or supplier", "DPGA registry", "Source"]]


def _sources(frame: pd.DataFrame) -> pd.Series:
    both = frame["dpi_map_source"].notna() & frame["dpga_source"].notna()
    source = frame["dpi_map_source"].fillna(frame["dpga_source"])
    return source.where(~both, frame["dpi_map_source"] + " · " + frame["dpga_source"])


def tech_class_map_frame(
    long: pd.DataFrame, countries: pd.DataFrame, pillar: str, classes: pd.DataFrame
) -> pd.DataFrame:
    """The map explorer's "Building block" measure: per country, the technology class of the
    system that gives its status (block_queries.tech_class_by_country); 'no_system' when that
    status is "none" and no block is named, 'not_assessed' without a record. The hover names
    the blocks and the cell as written."""
    frame = long[long["pillar"] == pillar].merge(classes, on="iso3", how="left")
    category = frame["tech_class"].fillna("not_recorded")
    unnamed = category.isin(["other", "not_recorded", "not_published"])
    category = category.where(~(unnamed & (frame["status"] == "none")), "no_system")
    frame["category"] = category.where(frame["status"] != "not_assessed", "not_assessed")
    named = ("<br>Names: " + frame["blocks"]).where(frame["blocks"].notna(), "")
    written = ("<br>As written: " + frame["raw_value"]).where(frame["raw_value"].notna(), "")
    frame["hover"] = (
        "<b>"
        + frame["name"]
        + "</b><br>"
        + PILLAR_LABELS[pillar]
        + ": "
        + frame["status"].map(STATUS_LABELS).fillna("")
        + "<br>Building block: "
        + frame["category"].map(TECH_MEASURE_LABELS)
        + named
        + written
    )
    return frame.merge(countries[GEO_COLUMNS], on="iso3", how="left")


FIELD_WORDS = {
    ("data_exchange", "base_architecture"): "data-exchange architecture",
    ("identity", "technical_support_organisations"): "identity technical support",
    ("identity", "funding_organisations"): "identity funders",
    ("payments", "operator"): "payments operator",
}


def field_gaps(published: pd.DataFrame, releases: list[str]) -> str:
    """In words, the releases whose files lack each field (block_queries.published_fields);
    '' when every release has every field."""
    parts = []
    for (pillar, attribute), words in FIELD_WORDS.items():
        have = published[(published["pillar"] == pillar) & (published["attribute"] == attribute)]
        missing = [r for r in releases if r not in set(have["release"])]
        if missing:
            parts.append(f"{words}: not in release {', '.join(missing)}")
    return "; ".join(parts)


def tech_class_words(frame: pd.DataFrame) -> pd.Series:
    """The measure in the map explorer's table: the class, and the blocks named
    ("Named proprietary product or vendor: Thales")."""
    words = frame["category"].map(TECH_MEASURE_LABELS)
    return words.where(frame["blocks"].isna(), words + ": " + frame["blocks"].fillna(""))
