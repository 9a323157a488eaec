"""The manifest (data/sources.toml): every upstream URL with its publisher, terms and citation."""

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from etl.errors import ETLError
from etl.vocabulary import PILLAR_FILES, PILLARS

RELEASE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SECTIONS = {
    "dpimap": ["title", "publisher", "homepage", "terms", "citation", "url", "releases"],
    "dpimap_indicators": ["title", "publisher", "homepage", "terms", "citation", "urls"],
    "natural_earth": ["title", "publisher", "homepage", "terms", "citation", "url"],
    "world_bank_class": ["title", "publisher", "homepage", "terms", "citation", "url"],
}
MANIFEST = Path(__file__).resolve().parent.parent / "data" / "sources.toml"


@dataclass(frozen=True)
class ReleaseFile:
    release: str
    pillar: str
    url: str


def read_manifest(path: Path | None = None) -> dict:
    """The manifest: data/sources.toml, or $DPI_SOURCES (a fork's or a test's own list)."""
    path = Path(path or os.environ.get("DPI_SOURCES") or MANIFEST)
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ETLError(f"cannot read the sources manifest {path}: {exc}") from exc
    for section, keys in SECTIONS.items():
        missing = [k for k in keys if k not in manifest.get(section, {})]
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
    urls = [f.url for f in release_files(manifest)]
    urls += manifest["dpimap_indicators"]["urls"]
    urls += [manifest["natural_earth"]["url"], manifest["world_bank_class"]["url"]]
    return urls
