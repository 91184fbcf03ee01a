#!/bin/sh
# Runs the benchmarks on a release build: sh bench/run.sh BUILDDIR
set -eu
b=${1:-build-bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== the start of a command: hafen --help beside /bin/true"
sh "$(dirname "$0")/start.sh" "$b"
echo "== core: ledger and quota table (issue 2), 3 runs"
for run in 1 2 3; do
	/usr/bin/time -f "peak memory: %M KiB" \
	    "$b/bench/bench_core" 1000000 "$out/core.db"
done
echo "== allocation (issue 3)"
"$b/bench/bench_allocate" "$out"
echo "== serve: the overview API under load (issue 6), 10 s"
sh "$(dirname "$0")/serve.sh" "$b" 10 4
echo "== PostgreSQL (issue 7): a throw-away server with fsync on"
PG_TEST_FSYNC=on sh scripts/pg-test-cluster.sh run sh bench/pg.sh "$b"
echo "== XLSX module alone (issue 5): write and read 1,000,000 rows"
/usr/bin/time -f "peak memory: %M KiB" \
    "$b/bench/bench_xlsx" 1000000 "$out/bench.xlsx"
echo "== import (issue 5): 1,000,000 admissions from CSV and XLSX"
"$b/bench/bench_import" 1000000 "$out"
echo "== matching (issue 4)"
sh bench/match.sh "$b"
