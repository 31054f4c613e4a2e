#!/usr/bin/env bash
# Installs what Gazelle needs to build, run and test on Debian 12. Idempotent:
# it does nothing when every package is already there.
set -euo pipefail
PKGS=(g++ cmake ninja-build ccache pkg-config make
      libsqlite3-dev sqlite3 libcpp-httplib-dev nlohmann-json3-dev libcli11-dev
      libsodium-dev libicu-dev libphonenumber-dev libprotobuf-dev libboost-dev
      libxlsxwriter-dev libgtest-dev libssl-dev libpq-dev postgresql)
if [ "${1:-}" = "--bench" ]; then PKGS+=(wrk); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "install-deps: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
