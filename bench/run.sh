#!/bin/sh
# Runs the benchmarks on a release build: sh bench/run.sh BUILDDIR
set -eu
b=${1:-build-bench}
out=$(mktemp -d)
echo "== core: ledger and quota table (issue 2)"
/usr/bin/time -f "peak memory: %M KiB" "$b/bench/bench_core" 1000000 "$out/core.db"
rm -rf "$out"
