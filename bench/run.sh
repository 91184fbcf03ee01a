#!/bin/sh
# Runs the benchmarks on a release build: sh bench/run.sh BUILDDIR
set -eu
b=${1:-build-bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== core: ledger and quota table (issue 2), 3 runs"
for run in 1 2 3; do
	/usr/bin/time -f "peak memory: %M KiB" \
	    "$b/bench/bench_core" 1000000 "$out/core.db"
done
echo "== allocation (issue 3)"
"$b/bench/bench_allocate" "$out"
echo "== matching (issue 4)"
sh bench/match.sh "$b"
