"""DPI Map releases: normalise_records() and the release-by-release flow. The column aliases
and value vocabularies it applies are declared as data in etl/dpimap_columns.py.

Every header spelling ever seen maps to one canonical column; every raw value maps to one
canonical value. Anything not declared here stops the build with a message naming the release,
file, column and value, and the fix (declare it in etl/dpimap_columns.py, or correct it in
data/reference/corrections.csv).
"""

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pandas as pd

from etl.corrections import apply_corrections, read_corrections
from etl.countries import harmonise_countries
from etl.dpimap_columns import (  # noqa: F401  (also read as dpimap.<name>)
    BOOL_VALUES,
    COMMON_COLUMNS,
    DATE_FORMAT,
    DERIVED_FLAGS,
    FLAG_VALUES,
    IGNORED_COLUMNS,
    LABEL_FIXES,
    MISSING_TEXT,
    PILLAR_COLUMNS,
    REQUIRED,
    STATUS_VALUES,
)
from etl.fetch import Cache
from etl.problems import ETLError, Problem, Problems
from etl.sources import release_files, source_id
from etl.vocabulary import PILLAR_LABELS, PILLARS, STATUS_RANK

INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
WHITESPACE = re.compile(r"\s+")
MULTI_SEPARATOR = re.compile(r"\s*[,;\n]\s*")


@cache  # the same few thousand values recur in every release
def clean(value) -> str:
    """Drop zero-width characters and fold stray whitespace (spaces, newlines, NBSP)."""
    return WHITESPACE.sub(" ", INVISIBLE.sub("", str(value))).strip()


def header_map(pillar: str) -> dict[str, str]:
    """Folded header spelling -> canonical column, for one pillar."""
    columns = {**COMMON_COLUMNS, **PILLAR_COLUMNS[pillar]}
    return {alias: name for name, (_, aliases) in columns.items() for alias in aliases}


def column_roles(pillar: str) -> dict[str, str]:
    return {name: role for name, (role, _) in {**COMMON_COLUMNS, **PILLAR_COLUMNS[pillar]}.items()}


def attribute_columns(pillar: str) -> dict[str, str]:
    """Attribute name -> 'bool' | 'text' (derived flags included)."""
    attrs = {n: r for n, (r, _) in PILLAR_COLUMNS[pillar].items() if r in ("bool", "text")}
    attrs["notes"] = "text"
    attrs.update({name: "bool" for name in DERIVED_FLAGS.get(pillar, {})})
    return attrs


# ---------------------------------------------------------------- normalising
def canonical_headers(headers, pillar: str, problems: Problems) -> dict[str, str]:
    """Raw header -> canonical column; unknown headers and missing required ones are problems."""
    known = header_map(pillar)
    mapping = {}
    for header in headers:
        folded = clean(header)
        if folded in known:
            mapping[header] = known[folded]
        elif folded not in IGNORED_COLUMNS:
            problems.add(
                f"unknown column {folded!r} (known columns: "
                f"{', '.join(sorted(set(known.values())))})",
                f"add it to the aliases of one of the {pillar} columns in etl/dpimap_columns.py, "
                "or to IGNORED_COLUMNS there",
            )
    for column in REQUIRED:
        if column not in mapping.values():
            aliases = {**COMMON_COLUMNS, **PILLAR_COLUMNS[pillar]}[column][1]
            problems.add(
                f"missing required column {column!r} (known spellings: {aliases})",
                f"add the new spelling to the aliases of {column!r} in etl/dpimap_columns.py",
            )
    return mapping


@cache
def parse_status(raw: str) -> str | None:
    """'Implemented, Planned/Piloted' -> the most advanced part; None if a part is unknown."""
    parts = [STATUS_VALUES.get(part) for part in MULTI_SEPARATOR.split(raw)]
    if None in parts:
        return None
    return max(parts, key=STATUS_RANK.__getitem__)


@cache
def parse_bool(raw: str):
    """'Yes' / 'No' / 'NA'; multi-values ('Yes, No') are true if any part is Yes."""
    parts = MULTI_SEPARATOR.split(raw)
    if any(part not in BOOL_VALUES for part in parts):
        return "invalid"
    values = [BOOL_VALUES[part] for part in parts]
    if True in values:
        return True
    return False if False in values else None


@cache
def parse_date(raw: str) -> date | None:
    return None if raw in MISSING_TEXT else datetime.strptime(raw, DATE_FORMAT).date()


def text_or_none(raw: str) -> str | None:
    return None if raw in MISSING_TEXT else raw


def normalise_records(records, release: str, pillar: str, corrections, where: str) -> dict:
    """One release file -> {'systems': [...], 'attributes': [...], 'corrections': [...]}.

    Raises ETLError listing every problem in the file.
    """
    problems = Problems(where)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add("expected a JSON list of records (objects)")
        problems.raise_if_any()
    headers = dict.fromkeys(key for record in records for key in record)
    mapping = canonical_headers(headers, pillar, problems)
    problems.raise_if_any()
    rows = [canonical_record(record, mapping) for record in records]
    mine = [c for c in corrections if c.release == release and c.pillar == pillar]
    applied = apply_corrections(rows, mine, problems)
    systems, attributes = [], []
    roles = column_roles(pillar)
    for index, row in enumerate(rows):
        system = system_row(row, roles, problems, index)
        system.update(
            release=release,
            pillar=pillar,
            system_index=index,
            source_id=source_id(release, pillar),
        )
        systems.append(system)
        attributes += attribute_rows(row, pillar, index, problems)
    find_duplicates(systems, problems)
    problems.raise_if_any()
    return {"systems": systems, "attributes": attributes, "corrections": applied}


def canonical_record(record: dict, mapping: dict[str, str]) -> dict:
    """Raw record -> {canonical column: cleaned value}; flags keep their 0/1 type."""
    row = {}
    for header, value in record.items():
        if header in mapping:
            row[mapping[header]] = value if isinstance(value, int) else clean(value or "")
    return row


def system_row(row: dict, roles: dict[str, str], problems: Problems, index: int) -> dict:
    country = row.get("country", "")
    at = f"record {index + 1} ({country or 'no country'})"
    if not country:
        problems.add(f"{at}: empty country", "correct it in data/reference/corrections.csv")
    status = parse_status(row.get("status", ""))
    if status is None:
        problems.add(
            f"{at}: unknown status {row.get('status')!r} (known: {', '.join(STATUS_VALUES)})",
            "map it in STATUS_VALUES in etl/dpimap_columns.py or correct it in "
            "data/reference/corrections.csv",
        )
    dpi_like = None
    if "dpi_like" in row:
        dpi_like = FLAG_VALUES.get(row["dpi_like"], "invalid")
        if dpi_like == "invalid":
            problems.add(
                f"{at}: 'Count for DPI' must be 0 or 1, not {row['dpi_like']!r}",
                "correct it in data/reference/corrections.csv",
            )
            dpi_like = None
    try:
        updated = parse_date(row["last_updated"]) if "last_updated" in row else None
    except ValueError:
        problems.add(
            f"{at}: last updated {row['last_updated']!r} is not DD/MM/YY",
            "correct it in data/reference/corrections.csv",
        )
        updated = None
    return {
        "country_raw": country,
        "system_name": text_or_none(row.get("system_name", "")),
        "status": status,
        "status_raw": row.get("status"),
        "dpi_like": dpi_like,
        "last_updated": updated,
        "url": text_or_none(row.get("url", "")),
    }


def attribute_rows(row: dict, pillar: str, index: int, problems: Problems) -> list[dict]:
    rows = []
    for attribute, kind in attribute_columns(pillar).items():
        if attribute not in row:
            continue
        raw = row[attribute]
        value_bool = None
        if kind == "bool":
            value_bool = parse_bool(raw)
            if value_bool == "invalid":
                problems.add(
                    f"record {index + 1} ({row.get('country')}): column {attribute!r} has "
                    f"{raw!r}; expected one of {'/'.join(BOOL_VALUES)}",
                    "add it to BOOL_VALUES in etl/dpimap_columns.py or correct it in "
                    "data/reference/corrections.csv",
                )
                value_bool = None
        text = text_or_none(raw) if kind == "text" else (raw or None)
        rows.append(_attribute(index, attribute, value_bool, text))
    for name, (source, pattern, _) in DERIVED_FLAGS.get(pillar, {}).items():
        source_text = text_or_none(row.get(source, ""))
        if source in row:
            flag = None if source_text is None else bool(re.search(pattern, source_text, re.I))
            rows.append(_attribute(index, name, flag, source_text))
    return rows


def _attribute(index: int, attribute: str, value_bool, value_text) -> dict:
    return {
        "system_index": index,
        "attribute": attribute,
        "value_bool": value_bool,
        "value_text": value_text,
    }


def find_duplicates(systems: list[dict], problems: Problems) -> None:
    seen = {}
    for system in systems:
        key = (system["country_raw"], system["system_name"])
        if key in seen:
            problems.add(
                f"duplicated record: {key[0]!r} / system {key[1]!r} appears as records "
                f"{seen[key] + 1} and {system['system_index'] + 1}",
                "correct it in data/reference/corrections.csv",
            )
        seen.setdefault(key, system["system_index"])


# ---------------------------------------------------------------- every release
def normalise(manifest: dict, cache: Cache, problems: Problems) -> dict[str, pd.DataFrame]:
    """Every release file of the manifest, normalised: raw_systems (with iso3 and
    region_label), raw_attributes, raw_releases, corrections_applied, name_matches and the
    attribute catalogue `attributes`.

    A bad file's problems go to `problems` and the next file is read, so one run reports
    every bad file; the caller stops before using tables built from a partial read.
    """
    corrections = read_corrections()
    systems, attributes, applied, releases = [], [], [], []
    found_in = {}  # country name -> the first release file that spells it so
    for item in release_files(manifest):
        where = f"release {item.release}, {item.pillar}: {item.url}"
        with problems.collect():
            records = read_json(cache.path(item.url), where)
            out = normalise_records(records, item.release, item.pillar, corrections, where)
            first_id = len(systems)  # system_id: unique over every release and pillar
            for row in out["systems"] + out["attributes"]:
                row["system_id"] = first_id + row.pop("system_index")
            systems += out["systems"]
            attributes += out["attributes"]
            for row in out["systems"]:
                found_in.setdefault(row["country_raw"], where)
            applied += [{**c, "release": item.release} for c in out["corrections"]]
            releases.append(release_row(item, cache, len(out["systems"])))
    tables = {
        "raw_attributes": pd.DataFrame(attributes),
        "raw_releases": pd.DataFrame(releases),
        "corrections_applied": pd.DataFrame(applied, columns=CORRECTION_COLUMNS),
        "attributes": attribute_catalogue(),
    }
    with problems.collect():
        tables["raw_systems"], tables["name_matches"] = match_countries(systems, found_in)
    return tables


CORRECTION_COLUMNS = [
    "line",
    "release",
    "pillar",
    "country",
    "column",
    "old_value",
    "new_value",
    "reason",
]


def read_json(path: Path, where: str):
    """Parse one downloaded JSON file; a clear message for empty, HTML or truncated files."""
    data = path.read_bytes()
    fix = "fetch it again (delete the cached file) or check the URL in data/sources.toml"
    if not data.strip():
        raise ETLError(Problem(where, f"the file is empty (cached as {path})", fix))
    if data.lstrip()[:1] == b"<":
        message = f"got an HTML page, not JSON (an error page or a moved URL?), cached as {path}"
        raise ETLError(Problem(where, message, fix))
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        message = f"not valid JSON ({exc}); truncated download? (cached as {path})"
        raise ETLError(Problem(where, message, fix)) from exc


def release_row(item, cache: Cache, records: int) -> dict:
    entry = cache.entry(item.url)
    return {
        "release": item.release,
        "pillar": item.pillar,
        "source_url": item.url,
        "sha256": entry["sha256"],
        "records": records,
        "retrieved_at": entry["retrieved_at"],
    }


def match_countries(
    systems: list[dict], found_in: dict[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Systems with iso3 (NULL for regional records, whose name goes to region_label), and
    how each name was matched. Every unknown name is reported in one ETLError, with the first
    release file that spells it (`found_in`)."""
    names = sorted({system["country_raw"] for system in systems})
    matches = harmonise_countries(names, "DPI Map country names (every release)", found_in=found_in)
    frame = pd.DataFrame(systems).merge(
        matches, left_on="country_raw", right_on="name_raw", how="left"
    )
    frame["region_label"] = frame["country_raw"].where(frame["iso3"].isna())
    return frame.drop(columns=["name_raw"]), matches


def attribute_catalogue() -> pd.DataFrame:
    """Every attribute per pillar with its kind, a short label and the longest upstream wording."""
    rows = []
    for pillar in PILLARS:
        for name, kind in attribute_columns(pillar).items():
            derived = DERIVED_FLAGS.get(pillar, {}).get(name)
            if derived:
                label = definition = derived[2]
            elif name == "notes":
                label = definition = "Notes"
            else:
                aliases = PILLAR_COLUMNS[pillar][name][1]
                label, definition = aliases[-1], max(aliases, key=len)
                if (pillar, name) in LABEL_FIXES:
                    label = definition = LABEL_FIXES[(pillar, name)]
            rows.append(
                {
                    "pillar": pillar,
                    "pillar_label": PILLAR_LABELS[pillar],
                    "attribute": name,
                    "kind": kind,
                    "label": label,
                    "definition": definition,
                    "derived_from": derived[0] if derived else None,
                }
            )
    return pd.DataFrame(rows)
