#!/usr/bin/env bash
# Install Debian's packages the project runs, each only if it is missing:
#   chromium  the browser of the browser tests, rehearsals and benchmarks (CHROMIUM, default
#             /usr/bin/chromium). Never `playwright install`: no browser build is downloaded
#             from outside the package registry.
#   nginx     the front of `make serve` (NGINX, default: nginx on PATH or /usr/sbin/nginx).
#             The package's own service is not started: `make serve` runs nginx itself, with
#             its own configuration, in the foreground.
#
#   bash scripts/install_debian.sh chromium nginx
set -euo pipefail

(($# > 0)) || set -- chromium nginx

binary_of() {
  case "$1" in
    chromium) echo "${CHROMIUM:-/usr/bin/chromium}" ;;
    nginx) echo "${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}" ;;
    *) echo "install_debian.sh: unknown package '$1' (chromium, nginx)" >&2; exit 2 ;;
  esac
}

missing=()
for package in "$@"; do
  [[ -x "$(binary_of "$package")" ]] || missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "Missing: ${missing[*]}, and $(id -un) cannot install packages." >&2
    echo "Ask an administrator to run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

if ! command -v apt-get >/dev/null; then
  echo "Missing: ${missing[*]}, and there is no apt-get here." >&2
  echo "Install them with your package manager, then point CHROMIUM=/path or NGINX=/path at them." >&2
  exit 1
fi

echo "Installing Debian's ${missing[*]}..."
# A package's service (nginx's default site on port 80) must not start on install: a
# policy-rc.d that says "no" is what Debian provides for that. Only if there is none already.
policy=/usr/sbin/policy-rc.d
own_policy=
if [[ ! -e "$policy" ]]; then
  as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
  own_policy=1
fi
cleanup() { if [[ -n "$own_policy" ]]; then as_root rm -f "$policy"; fi; }
trap cleanup EXIT
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" </dev/null
for package in "${missing[@]}"; do
  if [[ ! -x "$(binary_of "$package")" ]]; then
    echo "apt-get installed $package, but $(binary_of "$package") is still missing: set" \
      "$( [[ $package == chromium ]] && echo CHROMIUM || echo NGINX )=/path" >&2
    exit 1
  fi
done
