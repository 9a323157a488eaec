"""fetch -> normalise -> validate: every source into in-memory tables, ready to load."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import dpimap
from etl.corrections import read_corrections
from etl.errors import ETLError
from etl.fetch import Cache, choose_opener, fetch_all
from etl.sources import all_urls, read_manifest, release_files
from etl.vocabulary import PILLAR_LABELS, PILLARS

INDICATOR_PILLARS = {"id": "identity", "data": "data_exchange", "pay": "payments"}


@dataclass
class Tables:
    """Everything the warehouse holds, as DataFrames (plus the map assets as strings)."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)


def fetch_sources(mirror: str | None = None, cache: Cache | None = None) -> tuple[dict, Cache]:
    manifest, cache = read_manifest(), cache or Cache()
    fetch_all(all_urls(manifest), choose_opener(mirror), cache)
    return manifest, cache


def read_json(path: Path, url: str):
    """Parse one downloaded JSON file; a clear message for empty, HTML or truncated files."""
    data = path.read_bytes()
    where = f"{url} (cached as {path})"
    if not data.strip():
        raise ETLError(f"{where}: the file is empty")
    if data.lstrip()[:1] == b"<":
        raise ETLError(f"{where}: got an HTML page, not JSON (an error page or a moved URL?)")
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ETLError(f"{where}: not valid JSON ({exc}); truncated download?") from exc


def normalise_releases(manifest: dict, cache: Cache) -> tuple[list[dict], list[dict], list, list]:
    corrections = read_corrections()
    systems, attributes, applied, releases = [], [], [], []
    next_id = 0
    for item in release_files(manifest):
        path = cache.path(item.url)
        where = f"release {item.release}, {item.pillar}: {item.url}"
        out = dpimap.normalise_records(
            read_json(path, item.url), item.release, item.pillar, corrections, where
        )
        for system in out["systems"]:
            system["system_id"] = next_id + system.pop("system_index")
        for attribute in out["attributes"]:
            attribute["system_id"] = next_id + attribute.pop("system_index")
        next_id += len(out["systems"])
        systems += out["systems"]
        attributes += out["attributes"]
        applied += [{**c, "release": item.release} for c in out["corrections"]]
        entry = cache.entry(item.url)
        releases.append(
            {
                "release": item.release,
                "pillar": item.pillar,
                "source_url": item.url,
                "sha256": entry["sha256"],
                "records": len(out["systems"]),
                "retrieved_at": entry["retrieved_at"],
            }
        )
    return systems, attributes, applied, releases


def read_indicators(manifest: dict, cache: Cache) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The framework CSVs: attributes (id, attribute, category, description) and indicators."""
    frames, indicators = {}, []
    for url in manifest["dpimap_indicators"]["urls"]:
        text = cache.path(url).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        stem = Path(url).stem
        if stem == "dpi-attributes":
            expected = ["id", "attribute", "category", "description"]
        else:
            expected = ["id", "indicator"]
        if not rows or list(rows[0]) != expected:
            raise ETLError(
                f"{url}: expected columns {expected}, got {list(rows[0]) if rows else []}"
            )
        if stem == "dpi-attributes":
            frames["framework_attributes"] = pd.DataFrame(rows)
        else:
            pillar = INDICATOR_PILLARS[stem.removeprefix("dpi-indicators-")]
            indicators += [{"pillar": pillar, **row} for row in rows]
    return frames["framework_attributes"], pd.DataFrame(indicators)


def attribute_catalogue() -> pd.DataFrame:
    """Every attribute per pillar with its kind, a short label and the longest upstream wording."""
    rows = []
    for pillar in PILLARS:
        columns = dpimap.PILLAR_COLUMNS[pillar]
        for name, kind in dpimap.attribute_columns(pillar).items():
            derived = dpimap.DERIVED_FLAGS.get(pillar, {}).get(name)
            if derived:
                label = definition = derived[2]
            elif name == "notes":
                label = definition = "Notes"
            else:
                aliases = columns[name][1]
                label, definition = aliases[-1], max(aliases, key=len)
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
