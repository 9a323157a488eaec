"""Outcome indicators: World Bank WDI country-year values to set beside DPI adoption, matched
to the warehouse's countries (etl/outcome_files.py reads and checks the files).

The files come from Gapminder open-numbers: one long CSV `geo,time,<code>` per indicator,
keyed by Gapminder's country id, plus an entity file that gives each id its ISO 3166-1
alpha-3 code (`iso3166_1_alpha3`). Ids join to ISO3 through the entity file, never by
upper-casing them (`nld_curacao` is CUW; Kosovo is `kos`, with no ISO3 there).

The indicator list is data: every section of data/sources.toml with an `indicator` key.
A reviewed override (data/reference/outcome_id_overrides.csv: id, iso3, reason) is checked
before the entity file: Kosovo's `kos` has no ISO3 there, but the DPI Map and the World Bank
know it as XKX. Every id in an indicator file either matches a country the warehouse knows
(through an override or the entity file) or is listed, with a reason, in
data/reference/outcome_exclusions.csv. Any other problem (a column, a
value, a repeated country-year, an unknown id) stops the ETL with every problem listed.

Pure: reads text or local files, never the network.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.outcome_files import (
    ENTITY_SECTION,
    INDICATOR_COLUMNS,
    Entity,
    IndicatorFile,
    Point,
    file_name,
    indicator_files,
    indicators_frame,
    read_entities,
    read_points,
    read_text,
)
from etl.outcome_reference import (
    EXCLUSIONS_CSV,
    OVERRIDES_CSV,
    OVERRIDES_NAME,
    Override,
    read_exclusions,
    read_overrides,
)
from etl.problems import Problems

EXCLUSION_FIX = "add it to data/reference/outcome_exclusions.csv with a reason"
OUTCOME_COLUMNS = ["iso3", "indicator", "year", "value"]
EXCLUDED_COLUMNS = ["indicator", "id", "name", "reason", "values"]
OVERRIDDEN_COLUMNS = ["indicator", "id", "iso3", "reason", "values"]


@dataclass
class Outcomes:
    """indicators(INDICATOR_COLUMNS), outcomes(OUTCOME_COLUMNS), excluded(EXCLUDED_COLUMNS),
    overridden(OVERRIDDEN_COLUMNS): the ids joined through a reviewed override."""

    indicators: pd.DataFrame
    outcomes: pd.DataFrame
    excluded: pd.DataFrame
    overridden: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=OVERRIDDEN_COLUMNS)
    )


def resolve_ids(
    points: list[Point],
    spec: IndicatorFile,
    entities: dict[str, Entity],
    known: set[str],
    exclusions: dict[str, str],
    problems: Problems,
    overrides: dict[str, Override] | None = None,
) -> dict[str, str]:
    """id -> ISO3 for the ids that match a known country; every other id is excluded or wrong."""
    first_line = {}
    for point in points:
        first_line.setdefault(point.geo, point.line)
    matched = {}
    for geo, line in first_line.items():
        where = f"{spec.where} line {line}"
        if overrides and geo in overrides:
            iso3 = resolve_override(geo, where, overrides[geo], known, exclusions, problems)
        else:
            iso3 = resolve_id(geo, where, entities, known, exclusions, problems)
        if iso3:
            matched[geo] = iso3
    return matched


def resolve_override(geo, where, override: Override, known, exclusions, problems) -> str | None:
    """An id the reviewed override table maps, before (and instead of) the entity file."""
    if override.iso3 not in known:
        problems.add(
            f"{where}, column geo: id {geo!r} is mapped to {override.iso3} in {OVERRIDES_NAME}, "
            f"but the warehouse has no country {override.iso3}; fix: correct or remove its line "
            "there"
        )
        return None
    if geo in exclusions:
        problems.add(
            f"{where}, column geo: id {geo!r} is both mapped to {override.iso3} in "
            f"{OVERRIDES_NAME} and excluded in data/reference/outcome_exclusions.csv; fix: "
            "remove one of the two lines"
        )
        return None
    return override.iso3


def resolve_id(geo, where, entities, known, exclusions, problems: Problems) -> str | None:
    entity = entities.get(geo)
    if entity is None:
        if geo not in exclusions:
            problems.add(
                f"{where}, column geo: id {geo!r} is not in the entity file "
                f"([{ENTITY_SECTION}]); fix: use the entity file of the same open-numbers "
                f"release, or {EXCLUSION_FIX}"
            )
        return None
    if entity.iso3 in known:
        if geo in exclusions:
            problems.add(
                f"{where}, column geo: id {geo!r} ({entity.name}) is excluded in "
                f"data/reference/outcome_exclusions.csv but matches {entity.iso3}, a country "
                "the warehouse knows; fix: remove its line from the exclusions"
            )
        return entity.iso3
    if geo not in exclusions:
        code = f"ISO3 {entity.iso3}, not in the warehouse's countries" if entity.iso3 else "no ISO3"
        problems.add(
            f"{where}, column geo: id {geo!r} ({entity.name}; {code}) matches no country; "
            f"fix: {EXCLUSION_FIX}"
        )
    return None


def check_overrides(
    overrides: dict[str, Override], entities: dict[str, Entity], where: str, problems: Problems
) -> None:
    """An override must change something, and must not give an id another id's code."""
    owner = {entity.iso3: geo for geo, entity in entities.items() if entity.iso3}
    for geo, override in overrides.items():
        entity = entities.get(geo)
        if entity is not None and entity.iso3 == override.iso3:
            problems.add(
                f"{OVERRIDES_NAME}: id {geo!r} -> {override.iso3} is what {where} already says; "
                "fix: remove its line"
            )
        elif owner.get(override.iso3, geo) != geo:
            problems.add(
                f"{OVERRIDES_NAME}: id {geo!r} -> {override.iso3}, but {where} gives "
                f"{override.iso3} to id {owner[override.iso3]!r}; fix: correct the override"
            )


def normalise_outcomes(
    entity_text: str,
    indicator_texts: Iterable[tuple[IndicatorFile, str]],
    known_iso3: Iterable[str],
    exclusions: dict[str, str],
    entity_where: str = f"[{ENTITY_SECTION}] entity file",
    overrides: dict[str, Override] | None = None,
) -> Outcomes:
    """Every country-year value of every indicator file, keyed by ISO3; one ETLError for all
    problems in all files. `overrides` (id -> Override) are checked before the entity file."""
    problems = Problems("outcome indicators")
    overrides = overrides or {}
    entities = read_entities(entity_text, entity_where, problems)
    if entities is not None:
        check_overrides(overrides, entities, entity_where, problems)
    known, specs = set(known_iso3), []
    frames, excluded, overridden = [], [], []
    for spec, text in indicator_texts:
        specs.append(spec)
        points = read_points(text, spec, problems)
        if entities is None:
            continue
        matched = resolve_ids(points, spec, entities, known, exclusions, problems, overrides)
        frames.append(outcome_rows(points, spec, matched))
        excluded += excluded_rows(points, spec, matched, entities, exclusions)
        overridden += overridden_rows(points, spec, matched, overrides)
    problems.raise_if_any()
    outcomes = pd.concat(frames) if frames else pd.DataFrame(columns=OUTCOME_COLUMNS)
    return Outcomes(
        indicators_frame(specs),
        outcomes.sort_values(["indicator", "iso3", "year"], ignore_index=True),
        pd.DataFrame(excluded, columns=EXCLUDED_COLUMNS),
        pd.DataFrame(overridden, columns=OVERRIDDEN_COLUMNS),
    )


def outcome_rows(points: list[Point], spec: IndicatorFile, matched: dict[str, str]):
    rows = [(matched[p.geo], spec.indicator, p.year, p.value) for p in points if p.geo in matched]
    frame = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
    return frame.astype({"iso3": str, "indicator": str, "year": "int64", "value": "float64"})


def excluded_rows(points, spec: IndicatorFile, matched, entities, exclusions) -> list[tuple]:
    counts: dict[str, int] = {}
    for point in points:
        if point.geo not in matched:
            counts[point.geo] = counts.get(point.geo, 0) + 1
    return [
        (spec.indicator, geo, entities.get(geo, Entity("", "")).name, exclusions.get(geo, ""), n)
        for geo, n in counts.items()
    ]


def overridden_rows(points, spec: IndicatorFile, matched, overrides) -> list[tuple]:
    counts: dict[str, int] = {}
    for point in points:
        if point.geo in matched and point.geo in overrides:
            counts[point.geo] = counts.get(point.geo, 0) + 1
    return [
        (spec.indicator, geo, overrides[geo].iso3, overrides[geo].reason, n)
        for geo, n in counts.items()
    ]


def read_outcomes(
    manifest: dict,
    path_of: Callable[[str], Path],
    known_iso3: Iterable[str],
    exclusions_csv: Path = EXCLUSIONS_CSV,
    overrides_csv: Path = OVERRIDES_CSV,
) -> Outcomes:
    """The manifest's outcome files, read from local paths (path_of: URL -> file, such as
    etl.fetch.Cache.path or a mirror's layout)."""
    specs = indicator_files(manifest)
    entity_url = manifest[ENTITY_SECTION]["url"]
    return normalise_outcomes(
        read_text(path_of(entity_url), entity_url),
        [(spec, read_text(path_of(spec.url), spec.url)) for spec in specs],
        known_iso3,
        read_exclusions(exclusions_csv),
        entity_where=f"[{ENTITY_SECTION}] {file_name(entity_url)}",
        overrides=read_overrides(overrides_csv),
    )


def normalise(manifest: dict, cache, known_iso3: Iterable[str]) -> dict[str, pd.DataFrame]:
    """The build's step: `indicators`, `outcomes`, `outcome_exclusions` and
    `outcome_id_overrides` tables (all empty when the manifest lists no outcome indicator,
    e.g. a fork)."""
    if ENTITY_SECTION not in manifest:
        return {
            "indicators": pd.DataFrame(columns=INDICATOR_COLUMNS),
            "outcomes": pd.DataFrame(columns=OUTCOME_COLUMNS),
            "outcome_exclusions": pd.DataFrame(columns=EXCLUDED_COLUMNS),
            "outcome_id_overrides": pd.DataFrame(columns=OVERRIDDEN_COLUMNS),
        }
    found = read_outcomes(manifest, cache.path, known_iso3)
    return {
        "indicators": found.indicators,
        "outcomes": found.outcomes,
        "outcome_exclusions": found.excluded,
        "outcome_id_overrides": found.overridden,
    }
