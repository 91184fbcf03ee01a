#!/bin/sh
# Installs the Debian packages hafen needs to build, run and test, if any is
# missing. Used by `make run` and `make test`; safe to run again.
set -eu

pkgs="gcc make meson ninja-build pkg-config libsqlite3-dev libcmocka-dev \
libcsv-dev libjansson-dev libglpk-dev sqlite3 libpq-dev postgresql \
libmicrohttpd-dev libsodium-dev chromium nodejs curl wrk \
libzip-dev libexpat1-dev libxlsxwriter-dev python3-openpyxl python3-numpy \
g++ liblemon-dev"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
# the browser tests fetch playwright-core with npm; Debian's npm depends on
# Debian's nodejs, so where another nodejs package (nodesource's, which
# bundles npm) is installed, its npm is used instead
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

echo "hafen: installing missing Debian packages:$missing"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
