"""Download every manifest URL into a local cache, or read it from a mirror directory.

Online and offline share one code path; only the opener differs:
- network: urllib GET of the URL;
- mirror (DPI_MIRROR=DIR or --mirror DIR): the file DIR/<host>/<path>.
Each file lands in data/raw/<host>/<path> (or $DPI_RAW_DIR); its sha256 and retrieval time go to
data/raw/checksums.json. A file already cached with its recorded checksum is not fetched again.
"""

import hashlib
import json
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from atlas import paths
from etl.problems import ETLError

Opener = Callable[[str], bytes]


def url_path(url: str) -> Path:
    """https://host/a/b.json -> host/a/b.json (the mirror and cache layout)."""
    parts = urlparse(url)
    return Path(parts.netloc) / parts.path.lstrip("/")


def network_opener(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "dpi-atlas-etl"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()
    except OSError as exc:
        raise ETLError(
            f"cannot download {url}: {exc}. Offline? Set DPI_MIRROR to a mirror directory."
        ) from exc


def mirror_opener(mirror: Path) -> Opener:
    def open_from_mirror(url: str) -> bytes:
        path = mirror / url_path(url)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ETLError(f"{url} is not in the mirror: no file {path}") from exc

    return open_from_mirror


def choose_opener(mirror: str | Path | None = None) -> Opener:
    mirror = paths.mirror_dir(mirror)
    if mirror is None:
        return network_opener
    if not mirror.is_dir():
        raise ETLError(f"mirror directory {mirror} does not exist (DPI_MIRROR / --mirror)")
    return mirror_opener(mirror)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Cache:
    """data/raw/<host>/<path> plus checksums.json: {url: {sha256, retrieved_at}}."""

    def __init__(self, raw_dir: str | Path | None = None):
        self.raw_dir = raw_dir = paths.raw_dir(raw_dir)
        self.index_path = raw_dir / "checksums.json"
        self.index = json.loads(self.index_path.read_text()) if self.index_path.exists() else {}

    def path(self, url: str) -> Path:
        return self.raw_dir / url_path(url)

    def is_fresh(self, url: str) -> bool:
        path, entry = self.path(url), self.index.get(url)
        return bool(entry) and path.exists() and sha256(path.read_bytes()) == entry["sha256"]

    def store(self, url: str, data: bytes) -> None:
        path = self.path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.index[url] = {"sha256": sha256(data), "retrieved_at": now}
        self.index_path.write_text(json.dumps(self.index, indent=1, sort_keys=True))

    def entry(self, url: str) -> dict:
        return self.index[url]


def fetch_all(urls: list[str], opener: Opener, cache: Cache) -> list[str]:
    """Fetch every URL not already cached; returns the URLs fetched now."""
    fetched = []
    for url in urls:
        if not cache.is_fresh(url):
            cache.store(url, opener(url))
            fetched.append(url)
    return fetched


def fetch_sources(urls: list[str], mirror=None, raw_dir=None) -> Cache:
    """Every URL into the download cache (from `mirror`, $DPI_MIRROR or the network)."""
    cache = Cache(raw_dir)
    fetch_all(urls, choose_opener(mirror), cache)
    return cache
