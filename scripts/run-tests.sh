#!/usr/bin/env bash
# Runs every test of a build (ctest) on both backends: the pg.* API tests need a PostgreSQL
# server, so a throw-away cluster (scripts/pg-cluster.sh) is started in a temporary directory,
# its URL exported as GAZELLE_TEST_PG_URL, and the cluster stopped and removed on exit.
#   scripts/run-tests.sh [BUILD_DIR [CTEST_ARGS...]]     e.g. scripts/run-tests.sh build -R '^pg\.'
# With GAZELLE_TEST_PG_URL already set (a superuser URL), that server is used and no cluster is
# started. The e-mail tests' Dovecot and Postfix (scripts/mail-servers.sh) are started and
# stopped the same way, unless GAZELLE_TEST_MAIL_IMAP is set (or GAZELLE_TEST_MAIL=off: none,
# the e-mail tests skip themselves; the servers need root). Tests that read a public data set
# find it in GAZELLE_DATA_DIR (default ../shared/data from the repository root) and skip
# themselves when it is absent (tests/data_sets.h); the summary at the end says how many did, and
# which files they missed. Exits with ctest's status.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "${1:-build}" && pwd)
shift || true

cluster=""
mail=""
cleanup() {
  if [ -n "$cluster" ]; then bash "$root/scripts/pg-cluster.sh" stop "$cluster" || true; fi
  if [ -n "$mail" ]; then bash "$root/scripts/mail-servers.sh" stop "$mail" || true; fi
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

# The e-mail tests (EmailTransport*) speak IMAP and SMTP to a throw-away Dovecot and Postfix
# (scripts/mail-servers.sh), unless GAZELLE_TEST_MAIL_IMAP already names servers to use.
# GAZELLE_TEST_MAIL=off starts none (they need root): the e-mail tests then skip themselves.
if [ "${GAZELLE_TEST_MAIL:-}" = "off" ]; then
  echo "run-tests: no mail servers (GAZELLE_TEST_MAIL=off): the EmailTransport tests skip themselves"
elif [ -z "${GAZELLE_TEST_MAIL_IMAP:-}" ]; then
  mail=$(mktemp -d "${TMPDIR:-/tmp}/gazelle-mail-XXXXXX")
  if ! exports=$(bash "$root/scripts/mail-servers.sh" start "$mail"); then
    echo "run-tests: could not start the mail servers (Dovecot, Postfix) in $mail" >&2
    for log in "$mail"/*.log; do
      [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }
    done
    exit 1
  fi
  eval "$exports"
  echo "run-tests: throw-away mail servers at $GAZELLE_TEST_MAIL_IMAP (IMAP), $GAZELLE_TEST_MAIL_SUBMISSION (submission)"
else
  echo "run-tests: mail servers at GAZELLE_TEST_MAIL_IMAP=$GAZELLE_TEST_MAIL_IMAP"
fi

cd "$build_dir"
mkdir -p Testing
junit="$build_dir/Testing/run-tests.junit.xml"
rm -f "$junit"
set +e
ctest --output-on-failure -j 2 --output-junit "$junit" "$@"
rc=$?
set -e

# Tests skipped for a missing public data set: skipped test cases whose output carries the marker
# of tests/data_sets.h ("[missing data set] CDNOW: cdnow/CDNOW_sample.txt is not in DIR (…)").
data_dir="${GAZELLE_DATA_DIR:-../shared/data}"
case "$data_dir" in /*) ;; *) data_dir="$root/$data_dir" ;; esac
data_dir=$(realpath -m "$data_dir")
if [ -f "$junit" ]; then
  awk -v dir="$data_dir" '
    /<testcase / { skipped = 0; missing = "" }
    /<skipped/ { skipped = 1 }
    /\[missing data set\]/ && missing == "" {
      m = $0; sub(/.*\[missing data set\] /, "", m); sub(/ \(set GAZELLE_DATA_DIR.*/, "", m); missing = m
    }
    /<\/testcase>/ { if (skipped && missing != "") { n++; what[missing]++ } }
    END {
      if (n == 0) { printf "run-tests: no test skipped for a missing data set (GAZELLE_DATA_DIR: %s)\n", dir; exit }
      printf "run-tests: %d test%s skipped for a missing data set (set GAZELLE_DATA_DIR; docs/testing.md, \"Public data sets\"):\n", n, (n > 1 ? "s" : "")
      for (w in what) printf "  %s — %d test%s\n", w, what[w], (what[w] > 1 ? "s" : "")
    }' "$junit"
fi
exit $rc
