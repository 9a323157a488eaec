"""The manifest (data/sources.toml): every upstream URL with its publisher, terms and citation."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from atlas import paths
from etl.problems import ETLError
from etl.vocabulary import PILLAR_FILES, PILLARS

RELEASE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Every section: what it is, its terms and citation, and a `url` or a list of `urls`.
COMMON_KEYS = ["title", "publisher", "homepage", "terms", "citation"]
SECTIONS = {  # the sections the ETL cannot do without, and their own keys
    "dpimap": ["url", "releases"],
    "dpimap_indicators": ["urls"],
    "natural_earth": ["url"],
    "world_bank_class": ["url"],
}


@dataclass(frozen=True)
class ReleaseFile:
    release: str
    pillar: str
    url: str


def read_manifest(path: Path | None = None) -> dict:
    """The manifest: data/sources.toml, or $DPI_SOURCES (a fork's or a test's own list)."""
    path = paths.manifest_path(path)
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ETLError(f"cannot read the sources manifest {path}: {exc}") from exc
    for section in SECTIONS.keys() | manifest.keys():
        keys = COMMON_KEYS + SECTIONS.get(section, [])
        missing = [k for k in keys if k not in manifest.get(section, {})]
        if not {"url", "urls"} & manifest.get(section, {}).keys():
            missing.append("url or urls")
        if missing:
            raise ETLError(f"{path}: [{section}] lacks {', '.join(missing)}")
    return manifest


def release_files(manifest: dict) -> list[ReleaseFile]:
    """One entry per DPI Map release and pillar, in release order."""
    dpimap = manifest["dpimap"]
    releases = dpimap["releases"]
    for release in releases:
        if not RELEASE_DATE.fullmatch(str(release)):
            raise ETLError(f"sources manifest: release {release!r} is not a date like 2026-01-15")
    if sorted(releases) != releases or len(set(releases)) != len(releases):
        raise ETLError("sources manifest: [dpimap] releases must be unique dates in order")
    overrides = dpimap.get("url_overrides", {})
    return [
        ReleaseFile(
            release,
            pillar,
            overrides.get(release, dpimap["url"]).format(
                release=release, file=PILLAR_FILES[pillar]
            ),
        )
        for release in releases
        for pillar in PILLARS
    ]


def all_urls(manifest: dict) -> list[str]:
    """Every file to fetch: each DPI Map release file, then every other section's url(s)."""
    urls = [f.url for f in release_files(manifest)]
    for key, section in manifest.items():
        if key != "dpimap":
            urls += section.get("urls") or [section["url"]]
    return urls


def file_source_id(key: str, url: str) -> str:
    """The provenance key of a single-file source: <manifest section>:<file name>."""
    return f"{key}:{url.rstrip('/').rsplit('/', 1)[-1]}"


def source_id(release: str, pillar: str) -> str:
    """The provenance key of one DPI Map release file (systems.source_id = sources.source_id)."""
    return f"dpimap:{release}:{pillar}"


def sources_frame(manifest: dict, cache) -> pd.DataFrame:
    """One row per upstream file: what it is, its terms and citation, when and what we fetched."""
    by_url = {f.url: f for f in release_files(manifest)}
    rows = []
    for url in all_urls(manifest):
        item = by_url.get(url)
        key = "dpimap" if item else section_of(manifest, url)
        meta, entry = manifest[key], cache.entry(url)
        rows.append(
            {
                "source_id": source_id(item.release, item.pillar)
                if item
                else file_source_id(key, url),
                "source": key,
                "release": item.release if item else None,
                "title": meta["title"],
                "publisher": meta["publisher"],
                "url": url,
                "homepage": meta["homepage"],
                "terms": meta["terms"],
                "citation": meta["citation"].format(release=item.release if item else ""),
                "retrieved_at": entry["retrieved_at"],
                "sha256": entry["sha256"],
            }
        )
    return pd.DataFrame(rows)


def section_of(manifest: dict, url: str) -> str:
    """The manifest section that lists `url` (in `url` or `urls`)."""
    return next(
        key
        for key, section in manifest.items()
        if isinstance(section, dict) and url in (section.get("urls") or [section.get("url")])
    )
