"""The manifest (data/sources.toml): every upstream URL with its publisher, terms and citation."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from etl.errors import ETLError
from etl.vocabulary import PILLAR_FILES, PILLARS

MANIFEST = Path(__file__).resolve().parent.parent / "data" / "sources.toml"


@dataclass(frozen=True)
class ReleaseFile:
    release: str
    pillar: str
    url: str


def read_manifest(path: Path = MANIFEST) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ETLError(f"cannot read the sources manifest {path}: {exc}") from exc


def release_files(manifest: dict) -> list[ReleaseFile]:
    """One entry per DPI Map release and pillar, in release order."""
    dpimap = manifest["dpimap"]
    releases = dpimap["releases"]
    if sorted(releases) != releases or len(set(releases)) != len(releases):
        raise ETLError("data/sources.toml: [dpimap] releases must be unique dates in order")
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
