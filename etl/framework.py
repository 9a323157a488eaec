"""The DPI Map measurement framework (dpimap.org/indicators/*.csv): attribute and indicator
definitions, as the publisher words them.

dpi-attributes.csv (id, attribute, category, description) -> framework_attributes;
dpi-indicators-<id|data|pay>.csv (id, indicator) -> framework_indicators, one pillar each.
"""

import csv
import io
from pathlib import Path

import pandas as pd

from etl.fetch import Cache
from etl.problems import Problems

ATTRIBUTE_COLUMNS = ["id", "attribute", "category", "description"]
INDICATOR_COLUMNS = ["id", "indicator"]
INDICATOR_PILLARS = {"id": "identity", "data": "data_exchange", "pay": "payments"}
FIX = "declare the new layout in etl/framework.py"


def normalise(manifest: dict, cache: Cache, problems: Problems) -> dict[str, pd.DataFrame]:
    """framework_attributes and framework_indicators; every bad file goes to `problems`."""
    attributes, indicators = [], []
    for url in manifest["dpimap_indicators"]["urls"]:
        stem = Path(url).stem
        if stem == "dpi-attributes":
            attributes += read_csv(cache.path(url), url, ATTRIBUTE_COLUMNS, problems)
            continue
        pillar = INDICATOR_PILLARS.get(stem.removeprefix("dpi-indicators-"))
        if pillar is None:
            known = ", ".join(f"dpi-indicators-{k}.csv" for k in INDICATOR_PILLARS)
            problems.add(f"unknown framework file {stem!r} (known: {known})", FIX, where=url)
            continue
        rows = read_csv(cache.path(url), url, INDICATOR_COLUMNS, problems)
        indicators += [{"pillar": pillar, **row} for row in rows]
    return {
        "framework_attributes": pd.DataFrame(attributes, columns=ATTRIBUTE_COLUMNS),
        "framework_indicators": pd.DataFrame(indicators, columns=["pillar", *INDICATOR_COLUMNS]),
    }


def read_csv(path: Path, url: str, expected: list[str], problems: Problems) -> list[dict]:
    """The rows of one framework CSV; none (and a problem) unless its columns are `expected`."""
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.add(f"cannot read {path}: {exc}", "fetch it again", where=url)
        return []
    found = list(rows[0]) if rows else []
    if found != expected:
        problems.add(f"expected columns {expected}, got {found}", FIX, where=url)
        return []
    # The publisher's descriptions separate paragraphs with a literal backslash-n ("\\n"): a
    # line break, not text.
    return [{k: (v or "").replace("\\n", "\n") for k, v in row.items()} for row in rows]
