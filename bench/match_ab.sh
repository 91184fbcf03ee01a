#!/bin/sh
# Two builds of hafen side by side on one matching instance:
#   sh bench/match_ab.sh OLD_BUILDDIR NEW_BUILDDIR DIR [RUNS]
#
# DIR holds households.csv, units.csv and scores.npy (bench/gen_match
# writes them). Each of RUNS rounds (default 6) runs `hafen match ...
# --format json` of the old build, then of the new one, so that both meet
# the same state of a busy machine; a line per run gives the wall time
# (timed from outside, reading and writing included), the summary's
# `seconds` (the solve alone) and objective, then the medians and how many
# rounds the new build was faster. Never part of the test suite.
set -eu
[ $# -ge 3 ] || { echo "usage: sh bench/match_ab.sh OLD NEW DIR [RUNS]" >&2; exit 2; }
old=$1 new=$2 d=$3 runs=${4:-6}
for b in "$old" "$new"; do
	[ -x "$b/src/cli/hafen" ] || { echo "match_ab.sh: $b/src/cli/hafen not built" >&2; exit 1; }
done
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
field() { sed -n "s/^ *\"$1\": *\([^,]*\),*$/\1/p" "$w/out.json" | head -1; }
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for t in old new; do
		if [ "$t" = old ]; then b=$old; else b=$new; fi
		s=$(date +%s.%N)
		"$b/src/cli/hafen" match --households "$d/households.csv" \
		    --units "$d/units.csv" --scores "$d/scores.npy" \
		    --out "$w/assignment.csv" --format json > "$w/out.json"
		e=$(date +%s.%N)
		echo "$t $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }') $(field seconds) $(field objective)"
	done
done | tee "$w/runs" | awk '{ printf "%s  wall %6.2f s  solve %6.2f s  objective %s\n", $1, $2, $3, $4 }'
awk '
	function median(a, n,   i, j, t) {
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	$1 == "old" { ow[++no] = $2; os[no] = $3; next }
	{ nw[++nn] = $2; ns[nn] = $3; if ($2 < ow[nn]) faster++ }
	END {
		printf "old ('"$old"'): wall median %.2f s, solve median %.2f s\n", median(ow, no), median(os, no)
		printf "new ('"$new"'): wall median %.2f s, solve median %.2f s; faster in %d of %d\n", median(nw, nn), median(ns, nn), faster, nn
	}' "$w/runs"
