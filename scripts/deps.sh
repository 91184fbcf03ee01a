#!/bin/sh
# Installs the Debian packages hafen needs to build, run and test, if any is
# missing. Used by `make run` and `make test`; safe to run again.
set -eu

pkgs="gcc make meson ninja-build pkg-config libsqlite3-dev libcmocka-dev \
libcsv-dev libjansson-dev libglpk-dev python3-numpy sqlite3 g++ liblemon-dev"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "hafen: installing missing Debian packages:$missing"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
