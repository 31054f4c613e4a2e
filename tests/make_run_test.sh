#!/usr/bin/env bash
# `make run` builds only what it runs and leaves a clone as committed (docs/web.md, Makefile):
# what `make -n run` would do, read without doing it — the server target alone is built (not the
# test programs and the benchmark tools), and the web packages are installed without writing
# package-lock.json back. `make build` still builds everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run=$(make -n -C "$root" run BUILD_DIR=/nonexistent-build)
build=$(make -n -C "$root" build BUILD_DIR=/nonexistent-build)
fail=0
check() { if ! grep -qE -- "$2" <<<"$1"; then echo "make_run_test: $3" >&2; fail=1; fi; }
check "$run" '^cmake --build /nonexistent-build -j 2 --target gazelle$' "make run does not build the gazelle target alone"
if grep -qE -- '^cmake --build /nonexistent-build -j 2$' <<<"$run"; then
  echo "make_run_test: make run builds every target" >&2; fail=1
fi
check "$run" 'npm install --no-save' "make run's npm install may rewrite web/package-lock.json (no --no-save)"
if grep -qE -- 'npm (install|i)( |$)' <<<"$run" && grep -E -- 'npm (install|i)( |$)' <<<"$run" | grep -qv -- '--no-save'; then
  echo "make_run_test: an npm install without --no-save" >&2; fail=1
fi
check "$build" '^cmake --build /nonexistent-build -j 2$' "make build no longer builds everything"
[ $fail -eq 0 ] && echo "make_run_test: make run builds only the server and keeps package-lock.json"
exit $fail
