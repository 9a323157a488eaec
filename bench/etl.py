"""Benchmark: a whole `python -m etl build` process against a process that only parses the same
raw JSON files (DPI Map releases + the boundaries GeoJSON) with the standard library.

Both run as fresh processes (imports included) with a warm download cache; runs are paired and
interleaved, and the median of the per-pair ratios is printed. Target: ratio under 15.

    python bench/etl.py [--runs 7]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.fetch import Cache  # noqa: E402
from etl.sources import read_manifest, release_files  # noqa: E402

PARSE_ONLY = """
import json, sys
for path in sys.argv[1:]:
    with open(path, 'rb') as handle:
        json.load(handle)
"""


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    manifest, cache = read_manifest(), Cache()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        build = [sys.executable, "-m", "etl", "build", "--db", f"{tmp}/bench.duckdb"]
        subprocess.run(build, cwd=ROOT, env=env, check=True, capture_output=True)  # warm cache
        files = [str(cache.path(f.url)) for f in release_files(manifest)]
        files.append(str(cache.path(manifest["natural_earth"]["url"])))
        parse = [sys.executable, "-c", PARSE_ONLY, *files]
        pairs = [(timed(build, env), timed(parse, env)) for _ in range(runs)]
    builds, parses = zip(*pairs, strict=True)
    ratios = [b / p for b, p in pairs]
    print(f"files parsed: {len(files)} ({sum(Path(f).stat().st_size for f in files) / 1e6:.1f} MB)")
    print(f"etl build process:   median {statistics.median(builds):.2f} s  (min {min(builds):.2f})")
    print(f"json parse process:  median {statistics.median(parses):.3f} s  (min {min(parses):.3f})")
    print(
        f"ratio build / parse: median {statistics.median(ratios):.1f} over {runs} paired runs "
        "(target < 15)"
    )


if __name__ == "__main__":
    main()
