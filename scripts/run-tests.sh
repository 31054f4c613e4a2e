#!/usr/bin/env bash
# Runs every test of a build (ctest) on both backends: the pg.* API tests need a PostgreSQL
# server, so a throw-away cluster (scripts/pg-cluster.sh) is started in a temporary directory,
# its URL exported as GAZELLE_TEST_PG_URL, and the cluster stopped and removed on exit.
#   scripts/run-tests.sh [BUILD_DIR [CTEST_ARGS...]]     e.g. scripts/run-tests.sh build -R '^pg\.'
# With GAZELLE_TEST_PG_URL already set (a superuser URL), that server is used and no cluster is
# started. Exits with ctest's status.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "${1:-build}" && pwd)
shift || true

cluster=""
cleanup() {
  if [ -n "$cluster" ]; then bash "$root/scripts/pg-cluster.sh" stop "$cluster" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${GAZELLE_TEST_PG_URL:-}" ]; then
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/gazelle-pg-XXXXXX")
  # When run as root the cluster runs as the postgres OS user: it must reach the directory.
  chmod 755 "$cluster"
  if ! url=$(bash "$root/scripts/pg-cluster.sh" start "$cluster"); then
    echo "run-tests: could not start a PostgreSQL cluster in $cluster" >&2
    cat "$cluster/initdb.log" "$cluster/server.log" 2>/dev/null | tail -20 >&2 || true
    exit 1
  fi
  export GAZELLE_TEST_PG_URL="$url"
  echo "run-tests: throw-away PostgreSQL cluster at $url"
else
  echo "run-tests: PostgreSQL at GAZELLE_TEST_PG_URL=$GAZELLE_TEST_PG_URL"
fi

cd "$build_dir"
set +e
ctest --output-on-failure -j 2 "$@"
rc=$?
set -e
exit $rc
