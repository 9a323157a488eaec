"""Outcome indicators: World Bank WDI country-year values to set beside DPI adoption.

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

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from etl.outcome_reference import (
    EXCLUSIONS_CSV,
    ISO3,
    OVERRIDES_CSV,
    OVERRIDES_NAME,
    Override,
    csv_rows,
    read_exclusions,
    read_overrides,
)
from etl.problems import ETLError, Problems
from etl.vocabulary import PILLARS

EXCLUSION_FIX = "add it to data/reference/outcome_exclusions.csv with a reason"
ENTITY_SECTION = "wdi_geo_entities"
ENTITY_ID, ENTITY_ISO3, ENTITY_NAME = "country", "iso3166_1_alpha3", "name"
SPEC_KEYS = ["indicator", "name", "unit", "original_source", "pillar", "url"]
INDICATOR_COLUMNS = ["indicator", "name", "unit", "original_source", "source_id", "pillar"]
OUTCOME_COLUMNS = ["iso3", "indicator", "year", "value"]
EXCLUDED_COLUMNS = ["indicator", "id", "name", "reason", "values"]
OVERRIDDEN_COLUMNS = ["indicator", "id", "iso3", "reason", "values"]
CODE = re.compile(r"[A-Z0-9]+(\.[A-Z0-9]+)+")
YEAR = re.compile(r"\d{4}")
LOW, HIGH = 0.0, 100.0


@dataclass(frozen=True)
class IndicatorFile:
    """One indicator file as the manifest declares it."""

    key: str
    indicator: str
    name: str
    unit: str
    original_source: str
    pillar: str
    url: str

    @property
    def column(self) -> str:
        """The value column's header: FX.OWN.TOTL.ZS -> fx_own_totl_zs."""
        return self.indicator.lower().replace(".", "_")

    @property
    def source_id(self) -> str:
        """As etl.load.sources_frame names a single-file source: <manifest key>:<file name>."""
        return f"{self.key}:{file_name(self.url)}"

    @property
    def where(self) -> str:
        return f"[{self.key}] {file_name(self.url)}"


class Entity(NamedTuple):
    iso3: str
    name: str


class Point(NamedTuple):
    geo: str
    year: int
    value: float
    line: int


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


def file_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def indicator_files(manifest: dict) -> list[IndicatorFile]:
    """Every manifest section with an `indicator` key, checked, in manifest order."""
    problems = Problems("sources manifest, outcome indicators")
    specs = []
    for key, section in manifest.items():
        if isinstance(section, dict) and "indicator" in section:
            specs.append(indicator_file(key, section, problems))
    if not specs:
        problems.add("no section has an `indicator` key; declare the indicator files")
    problems.raise_if_any()
    return specs


def indicator_file(key: str, section: dict, problems: Problems) -> IndicatorFile | None:
    missing = [k for k in SPEC_KEYS if not section.get(k)]
    if missing:
        problems.add(f"[{key}] lacks {', '.join(missing)}")
        return None
    spec = IndicatorFile(key, *(str(section[k]) for k in SPEC_KEYS))
    if not CODE.fullmatch(spec.indicator):
        problems.add(f"[{key}] indicator {spec.indicator!r} is not a WDI code like FX.OWN.TOTL.ZS")
    if spec.pillar not in PILLARS:
        problems.add(f"[{key}] pillar {spec.pillar!r} is not one of {', '.join(PILLARS)}")
    if spec.unit != "%":
        problems.add(f"[{key}] unit {spec.unit!r}: only percentages ('%', 0-100) are supported")
    return spec


def outcome_urls(manifest: dict) -> list[str]:
    """The entity file and every indicator file, to fetch."""
    return [manifest[ENTITY_SECTION]["url"], *(s.url for s in indicator_files(manifest))]


def indicators_frame(specs: list[IndicatorFile]) -> pd.DataFrame:
    rows = [[getattr(s, c) for c in INDICATOR_COLUMNS] for s in specs]
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def read_entities(text: str, where: str, problems: Problems) -> dict[str, Entity] | None:
    """id -> Entity(iso3 or '', name). None when the file cannot be used at all."""
    reader = csv_rows(text)
    header = next(reader, [])
    missing = [c for c in (ENTITY_ID, ENTITY_ISO3) if c not in header]
    if missing:
        problems.add(f"{where} line 1: missing column(s) {', '.join(missing)}; found {header}")
        return None
    id_at, iso3_at = header.index(ENTITY_ID), header.index(ENTITY_ISO3)
    name_at = header.index(ENTITY_NAME) if ENTITY_NAME in header else None
    entities, owner = {}, {}
    for row in reader:
        if len(row) != len(header):
            problems.add(
                f"{where} line {reader.line_num}: {len(row)} fields, header has {len(header)}"
            )
            continue
        geo, iso3 = row[id_at], row[iso3_at]
        check_entity(where, reader.line_num, geo, iso3, entities, owner, problems)
        entities[geo] = Entity(iso3, row[name_at] if name_at is not None else "")
        owner.setdefault(iso3, geo)
    return entities


def check_entity(where, line, geo, iso3, entities, owner, problems: Problems) -> None:
    if geo in entities:
        problems.add(f"{where} line {line}, column {ENTITY_ID}: id {geo!r} listed more than once")
    if iso3 and not ISO3.fullmatch(iso3):
        problems.add(
            f"{where} line {line}, column {ENTITY_ISO3}: {iso3!r} is not an upper-case ISO3 code"
        )
    elif iso3 and owner.get(iso3, geo) != geo:
        problems.add(
            f"{where} line {line}, column {ENTITY_ISO3}: {iso3!r} of id {geo!r} is already "
            f"the code of id {owner[iso3]!r}"
        )


def read_points(text: str, spec: IndicatorFile, problems: Problems) -> list[Point]:
    """The rows of one indicator file; every bad header, value or repeat goes to problems."""
    reader = csv_rows(text)
    header = next(reader, None)
    expected = ["geo", "time", spec.column]
    if header is None:
        problems.add(f"{spec.where}: the file is empty")
        return []
    if header != expected:
        unknown = [c for c in header if c not in expected]
        problems.add(
            f"{spec.where} line 1: header {','.join(header)} is not {','.join(expected)} "
            f"(unknown column(s): {', '.join(unknown) or 'none'}); fix: check that [{spec.key}] "
            f"indicator = {spec.indicator!r} names this file's indicator"
        )
        return []
    points, seen = [], {}
    for row in reader:
        point = read_point(row, reader.line_num, spec, problems)
        if point is None:
            continue
        first = seen.setdefault((point.geo, point.year), point.line)
        if first != point.line:
            problems.add(
                f"{spec.where} line {point.line}: duplicate country-year "
                f"({point.geo}, {point.year}), first on line {first}; fix: keep one"
            )
            continue
        points.append(point)
    return points


def read_point(row: list[str], line: int, spec: IndicatorFile, problems) -> Point | None:
    where = f"{spec.where} line {line}"
    if len(row) != 3:
        problems.add(f"{where}: {len(row)} fields, expected 3 (geo,time,{spec.column})")
        return None
    geo, time, text = row
    bad = len(problems.found)
    if not YEAR.fullmatch(time):
        problems.add(f"{where}, column time: {time!r} is not a year like 2024")
    value = parse_value(text)
    if value is None:
        problems.add(f"{where}, column {spec.column}: {text!r} is not a number")
    elif not LOW <= value <= HIGH:
        problems.add(
            f"{where}, column {spec.column}: {text!r} is outside {LOW:g}-{HIGH:g} "
            f"({spec.unit}); fix: correct the file or the manifest's indicator"
        )
    return Point(geo, int(time), value, line) if len(problems.found) == bad else None


def parse_value(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


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


def read_text(path: Path, url: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ETLError(f"cannot read {url} (cached as {path}): {exc}") from exc


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
