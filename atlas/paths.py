"""Every path and environment variable the project reads, once (the ETL uses it too).

| variable          | default                     | meaning                                        |
| ----------------- | --------------------------- | ---------------------------------------------- |
| DPI_DB            | data/dpi.duckdb             | the warehouse the ETL writes and the app reads |
| DPI_MIRROR        | (unset: download)           | read upstream files from <mirror>/<host>/<path> |
| DPI_RAW_DIR       | data/raw/                   | the ETL's download cache                       |
| DPI_SOURCES       | data/sources.toml           | the manifest of upstream sources               |
| DPI_DECKS         | data/decks/                 | the presenter's deck files                     |
| CHROMIUM          | /usr/bin/chromium           | the browser for rehearsals, tests, benchmarks  |

Functions, not constants, where a value comes from the environment: tests and the app read
the variable when it is used, not when a module is imported.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REFERENCE = DATA / "reference"
DEFAULT_DB = DATA / "dpi.duckdb"
DEFAULT_RAW_DIR = DATA / "raw"
DEFAULT_MANIFEST = DATA / "sources.toml"
DEFAULT_DECKS = DATA / "decks"
PAGES = ROOT / "pages"


def database_path(override: str | os.PathLike | None = None) -> Path:
    return Path(override or os.environ.get("DPI_DB") or DEFAULT_DB)


def mirror_dir(override: str | os.PathLike | None = None) -> Path | None:
    value = override or os.environ.get("DPI_MIRROR")
    return Path(value) if value else None


def raw_dir(override: str | os.PathLike | None = None) -> Path:
    return Path(override or os.environ.get("DPI_RAW_DIR") or DEFAULT_RAW_DIR)


def manifest_path(override: str | os.PathLike | None = None) -> Path:
    return Path(override or os.environ.get("DPI_SOURCES") or DEFAULT_MANIFEST)


def deck_dir() -> Path:
    return Path(os.environ.get("DPI_DECKS") or DEFAULT_DECKS)


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


# ---- URLs the browser fetches the map's files from (served by the app, never a CDN)
STATIC_URL = "app/static/generated/"
GEOJSON_URL = STATIC_URL + "countries.geojson"
STATIC_GENERATED = ROOT / "static" / "generated"
