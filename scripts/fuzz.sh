#!/usr/bin/env bash
# Fuzzes the static file route, the CSV reader, the XLSX reader, the JSON body path and the
# e-mail MIME/HTML layers (parse, sanitise, render as text, write back) with
# libFuzzer under AddressSanitizer + UndefinedBehaviorSanitizer (clang 14 from Debian), each for
# SECONDS (default 600), and merges the new interesting inputs into tests/fuzz/corpus/TARGET,
# which `make test` replays. A crash stops the script with the input saved as
# build-fuzz/crash-* (libFuzzer prints how to reproduce it).
#   scripts/fuzz.sh [SECONDS [TARGET...]]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(static_path csv xlsx json_body mime)
pkgs=(clang-14 libclang-rt-14-dev)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; break; }
done
build="$root/build-fuzz"
cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=None >/dev/null
cmake --build "$build" -j 2
cd "$build"
for t in "${targets[@]}"; do
  corpus="$root/tests/fuzz/corpus/$t"
  work="$build/work-$t"
  rm -rf "$work" && mkdir -p "$work"
  echo "fuzz: $t for ${seconds}s"
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: one input may not take 2 GB.
  "./fuzz_$t" "$work" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 2>&1 | tail -15
  # Keep only inputs that add coverage: a small corpus replays in seconds.
  mkdir -p "$work.min"
  "./fuzz_$t" -merge=1 "$work.min" "$corpus" "$work" >/dev/null 2>&1
  rm -rf "$corpus" && mv "$work.min" "$corpus"
  echo "fuzz: $t corpus $(ls "$corpus" | wc -l) inputs"
done
