#!/bin/sh
# Runs the browser tests: installs playwright-core from the lock file if it
# is missing (npm ci), then drives Debian's Chromium. Usage: run.sh HAFEN OUTDIR
set -eu
hafen=$(realpath "$1")
mkdir -p "$2"
out=$(realpath "$2")
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ]; then
	npm ci --no-audit --no-fund --silent >&2
fi
exec node test_dashboard.mjs "$hafen" "$out"
