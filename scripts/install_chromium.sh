#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests, if it is missing.
# Never `playwright install`: the tests drive the system Chromium (CHROMIUM, default
# /usr/bin/chromium), so no browser build is downloaded from outside the package registry.
set -euo pipefail

chromium="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] && exit 0

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "Chromium is missing ($chromium) and $(id -un) cannot install packages." >&2
    echo "Ask an administrator to run: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
}

if ! command -v apt-get >/dev/null; then
  echo "Chromium is missing ($chromium) and there is no apt-get here." >&2
  echo "Install Chromium with your package manager, then: make test CHROMIUM=/path/to/chromium" >&2
  exit 1
fi

echo "Installing Debian's chromium for the browser tests..."
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium </dev/null
if [[ ! -x "$chromium" ]]; then
  echo "apt-get installed chromium, but $chromium is still missing: set CHROMIUM=/path" >&2
  exit 1
fi
