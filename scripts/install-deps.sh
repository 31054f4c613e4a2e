#!/usr/bin/env bash
# Installs what Gazelle needs to build, run and test on Debian 12. Idempotent:
# it does nothing when every package is already there.
set -euo pipefail
PKGS=(g++ cmake ninja-build ccache pkg-config make
      libsqlite3-dev sqlite3 libcpp-httplib-dev nlohmann-json3-dev libcli11-dev
      libsodium-dev libicu-dev libphonenumber-dev libprotobuf-dev libboost-dev
      libxlsxwriter-dev libgtest-dev libssl-dev libpq-dev postgresql
      libnlopt-cxx-dev libminizip-dev libexpat1-dev libtcmalloc-minimal4
      libpango1.0-dev libcairo2-dev fonts-dejavu-core poppler-utils
      libgmime-3.0-dev libcurl4-openssl-dev libxml2-dev postfix dovecot-imapd dovecot-lmtpd
      chromium nginx-light)
if [ "${1:-}" = "--bench" ]; then PKGS+=(wrk valgrind); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The web interface (web/) builds with Node.js ≥ 20.19 and npm; a Node.js from elsewhere
# (e.g. NodeSource, which bundles npm) is fine, so only a missing command is installed.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "install-deps: installing ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# Postfix is only started by the tests, with their own configuration (scripts/mail-servers.sh):
# installed unconfigured, it neither asks a question nor listens on port 25.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
