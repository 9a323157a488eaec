"""The outcome indicators' files, read and checked: the manifest's list of indicator files
and Gapminder open-numbers' CSVs (etl/outcomes.py matches them to countries).

Every section of data/sources.toml with an `indicator` key is one indicator file: one long CSV
`geo,time,<code>` keyed by Gapminder's country id, plus the entity file ([wdi_geo_entities])
that gives each id its ISO 3166-1 alpha-3 code (`iso3166_1_alpha3`). A bad column, value or
repeated country-year goes to the run's Problems, with its file, line and column.

Pure: reads text or local files, never the network.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from etl.outcome_reference import ISO3, csv_rows
from etl.problems import ETLError, Problems
from etl.sources import file_source_id
from etl.vocabulary import PILLARS

ENTITY_SECTION = "wdi_geo_entities"
ENTITY_ID, ENTITY_ISO3, ENTITY_NAME = "country", "iso3166_1_alpha3", "name"
SPEC_KEYS = ["indicator", "name", "unit", "original_source", "pillar", "url"]
INDICATOR_COLUMNS = ["indicator", "name", "unit", "original_source", "source_id", "pillar"]
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
        """As the sources table names it (etl.sources.file_source_id)."""
        return file_source_id(self.key, self.url)

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


def read_text(path: Path, url: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ETLError(f"cannot read {url} (cached as {path}): {exc}") from exc
