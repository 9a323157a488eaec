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


# ---- the map's files: served from memory by atlas/server.py, never from a CDN or a folder
ASSET_ROUTE = "/map-assets/{build}/{name}"
PLOTLY_JS = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"


def asset_url(build: str, name: str = "") -> str:
    """Relative URL of a map file of a warehouse build (the page's own path is one level)."""
    return f"map-assets/{build}/{name}"
