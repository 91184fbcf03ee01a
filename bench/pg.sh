#!/bin/sh
# The PostgreSQL benchmarks (issue 7), on the server pg-test-cluster.sh
# started (fsync on): sh bench/pg.sh BUILDDIR. bench/run.sh runs it as
#   PG_TEST_FSYNC=on sh scripts/pg-test-cluster.sh run sh bench/pg.sh BUILDDIR
set -eu
b=${1:-build-bench}
uri=$HAFEN_TEST_PG_URI
fresh() { # a new empty schema's URI (runs in a subshell: no counter)
	s=bench$(date +%s%N)
	"$PG_TEST_PSQL" -X -q -d "$uri" -c "CREATE SCHEMA $s"
	echo "$uri?options=-csearch_path%3D$s"
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== core on PostgreSQL: ledger and quota table, 3 runs"
for run in 1 2 3; do
	/usr/bin/time -f "peak memory: %M KiB" \
	    "$b/bench/bench_core" 1000000 "$(fresh)"
done
echo "== concurrent writers, 10 s each: PostgreSQL, then SQLite"
for spec in "8 1" "8 100" "1 1"; do
	# shellcheck disable=SC2086
	"$b/bench/bench_writers" "$(fresh)" $spec 10
	# shellcheck disable=SC2086
	"$b/bench/bench_writers" "$out/w.db" $spec 10
done
