#!/bin/sh
# The matching benchmark of issue 4: sh bench/match.sh BUILDDIR [WORKDIR]
#
# Generates seeded instances (bench/gen_match.c), runs `hafen match` and the
# peers (LEMON's NetworkSimplex and CostScaling, GLPK) on the same files,
# and prints medians of wall time and peak memory (/usr/bin/time -v), the
# optima side by side, and the floor (one pass over the score matrix,
# bench/match_floor.c). Never part of the test suite: it takes minutes.
#
# Environment: RUNS (hafen runs per size, default 5), PEER_RUNS (LEMON runs
# per size and algorithm, default 3), SIZES (transportation household
# counts, 400 units each, default "20000 50000"), NATIONAL (households of
# the national instance, default 150000), CORRIDORS (their corridors, in %
# of a unit's share: "90:108 50:108" by default, the first binding),
# HAFEN_TIMEOUT (seconds after which a run of hafen match is stopped and
# reported failed, default 300). SIZES="" CORRIDORS="" leaves out the
# transportation and national instances: the Land's month (and GLPK's
# small instance) alone.
set -eu
b=${1:-build-bench}
hafen="$b/src/cli/hafen"
gen="$b/bench/gen_match"
floor="$b/bench/match_floor"
lemon="$b/bench/peer_lemon"
glpk="$b/bench/peer_glpk"
runs=${RUNS:-5}
peer_runs=${PEER_RUNS:-3}
sizes=${SIZES-"20000 50000"}
national=${NATIONAL:-150000}
tmo=${HAFEN_TIMEOUT:-300}
corridors=${CORRIDORS-"90:108 50:108"}
if [ $# -ge 2 ]; then
	w=$2
	mkdir -p "$w"
else
	w=$(mktemp -d)
	trap 'rm -rf "$w"' EXIT
fi
for x in "$gen" "$floor"; do
	[ -x "$x" ] || { echo "match.sh: $x not built" >&2; exit 1; }
done
have_hafen_match=0
if [ -x "$hafen" ] && "$hafen" match --help >/dev/null 2>&1; then
	have_hafen_match=1
else
	echo "match.sh: $hafen has no 'match' command: peers only" >&2
fi

median() { # numbers on stdin -> median
	sort -g | awk '{a[NR] = $1} END {
		if (NR == 0) print "-";
		else if (NR % 2) print a[(NR + 1) / 2];
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# timed OUT CMD...: runs CMD once, its stdout to OUT; appends the wall time
# (seconds, from date) to $w/wall and the peak RSS (KiB, /usr/bin/time -v)
# to $w/peak.
timed() {
	out=$1
	shift
	t0=$(date +%s%N)
	if ! /usr/bin/time -v -o "$w/time.txt" "$@" >"$out" 2>"$w/err.txt"; then
		return 1
	fi
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{printf "%.4f\n", ($2 - $1) / 1e9}' >>"$w/wall"
	awk -F': ' '/Maximum resident set size/ {print $2}' "$w/time.txt" \
	    >>"$w/peak"
	awk -F': ' '/(User|System) time \(seconds\)/ {t += $2}
	    END {print t}' "$w/time.txt" >>"$w/cpu"
}

# series LABEL N CMD...: N runs; prints label, median wall, median peak;
# leaves the last stdout in $w/last. Returns 1 (after saying so) if a run
# fails.
series() {
	label=$1
	n=$2
	shift 2
	: >"$w/wall"
	: >"$w/peak"
	: >"$w/cpu"
	i=0
	while [ "$i" -lt "$n" ]; do
		if ! timed "$w/last" "$@"; then
			printf '  %-28s FAILED: %s\n' "$label" \
			    "$(grep -h -i -E 'exited|signal' "$w/time.txt" |
			    head -1) $(head -c 400 "$w/err.txt" | tr '\n' ' ')"
			return 1
		fi
		i=$((i + 1))
	done
	wall=$(median <"$w/wall")
	peak=$(median <"$w/peak")
	cpu=$(median <"$w/cpu")
	printf '  %-28s wall %8.3f s  cpu %7.2f s  peak %7.1f MB' \
	    "$label" "$wall" "$cpu" \
	    "$(echo "$peak" | awk '{print $1 * 1024 / 1e6}')"
	printf '  (median of %d; wall: %s)\n' "$n" \
	    "$(tr '\n' ' ' <"$w/wall" | sed 's/ $//')"
}

field() { # field KEY FILE: value of KEY=... in a peer's result line
	tr ' ' '\n' <"$2" | awk -F= -v k="$1" '$1 == k {print $2; exit}'
}

# hafen_json KEY FILE: a value of hafen's JSON summary ("-" if none)
hafen_json() {
	python3 -c 'import json, sys
try:
    v = json.load(open(sys.argv[2])).get(sys.argv[1])
except ValueError:
    v = None
print("-" if v is None else repr(v) if isinstance(v, float) else v)' "$1" "$2"
}

run_hafen() { # run_hafen LABEL N DIR: `hafen match` N times on DIR
	echo '{}' >"$w/hafen.json"
	series "$1" "$2" timeout -s INT "$tmo" "$hafen" match \
	    --households "$3/households.csv" \
	    --units "$3/units.csv" --scores "$3/scores.npy" \
	    --out "$w/assignment.csv" --format json || return 1
	cp "$w/last" "$w/hafen.json"
	printf '  %-28s objective %s  bound %s  gap %s  split %s  solver %s s\n' \
	    "hafen match (result)" "$(hafen_json objective "$w/hafen.json")" \
	    "$(hafen_json bound "$w/hafen.json")" \
	    "$(hafen_json gap "$w/hafen.json")" \
	    "$(hafen_json split_in_relaxation "$w/hafen.json")" \
	    "$(hafen_json seconds "$w/hafen.json")"
}

run_floor() { # run_floor DIR
	"$floor" "$1/scores.npy" >"$w/floor"
	printf '  %-28s one pass %s s, read from page cache %s s (%s bytes)\n' \
	    "floor" "$(field pass_s "$w/floor")" "$(field read_s "$w/floor")" \
	    "$(field bytes "$w/floor")"
}

echo "== matching (issue 4), $(nproc) cores, RUNS=$runs PEER_RUNS=$peer_runs," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   wall: elapsed seconds; cpu: user + system seconds (less disturbed" \
    "by other work on the machine); peak: maximum resident set size"

echo "-- a Land's month: 300 households x 15 units (aim <= 20 ms)"
"$gen" --households 300 --units 15 --seed 1 "$w/land" >/dev/null
run_floor "$w/land"
if [ "$have_hafen_match" = 1 ]; then
	run_hafen "hafen match" $((runs * 2 + 1)) "$w/land" || true
	# the wall above includes starting date, time and timeout (several
	# ms at this size); bench_start forks and execs hafen alone
	if [ -x "$b/bench/bench_start" ]; then
		printf '  %-28s %s\n' "hafen match (fork, exec)" \
		    "$("$b/bench/bench_start" $((runs * 10 + 1)) "$hafen" \
		    match --households "$w/land/households.csv" \
		    --units "$w/land/units.csv" \
		    --scores "$w/land/scores.npy" \
		    --out "$w/assignment.csv" --format json)"
	fi
	# the solve alone, in process, on twelve seeded months: steadier
	# than the whole command for comparing changes to the solver
	if [ -x "$b/bench/bench_match" ]; then
		months=""
		for s in 1 2 3 4 5 6 7 8 9 10 11 12; do
			"$gen" --households 300 --units 15 --seed "$s" \
			    "$w/month$s" >/dev/null
			months="$months $w/month$s"
		done
		echo "  the solve alone (bench_match $((runs * 2 + 1))," \
		    "seeds 1-12):"
		# shellcheck disable=SC2086 # the directories, one word each
		"$b/bench/bench_match" $((runs * 2 + 1)) $months | tail -n 1
	fi
fi

for n in $sizes; do
	echo "-- transportation: $n households x 400 units, integer scores"
	d="$w/t$n"
	"$gen" --transport --households "$n" --units 400 --seed 1 "$d" \
	    >/dev/null
	run_floor "$d"
	opts=""
	best=""
	bestc=""
	if [ -x "$lemon" ]; then
		for a in ns cs; do
			series "LEMON $a" "$peer_runs" "$lemon" --algo "$a" "$d"
			o=$(field optimum "$w/last")
			printf '  %-28s optimum %s  solver alone %s s\n' \
			    "LEMON $a (result)" "$o" "$(field run_s "$w/last")"
			opts="$opts $o"
			if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then
				best=$wall
			fi
			if [ -z "$bestc" ] || awk "BEGIN {exit !($cpu < $bestc)}"; then
				bestc=$cpu
			fi
		done
	fi
	if [ "$have_hafen_match" = 1 ] &&
	    run_hafen "hafen match" "$runs" "$d"; then
		hw=$wall
		hc=$cpu
		ho=$(hafen_json objective "$w/hafen.json")
		opts="$opts $ho"
		if [ -n "$best" ]; then
			printf '  %-28s %s\n' "fastest peer / hafen" \
			    "$(awk "BEGIN {printf \"wall %.1f x, cpu %.1f x\",
			    $best / $hw, $bestc / $hc}")"
		fi
	fi
	# identical optimum: every value the same whole number
	if echo "$opts" | tr ' ' '\n' | grep . | awk '
		{ if ($1 != int($1)) bad = 1; v[$1 + 0] = 1 }
		END { for (k in v) c++; exit !(c == 1 && !bad) }'; then
		printf '  %-28s yes:%s\n' "identical optimum" "$opts"
	else
		printf '  %-28s NO:%s\n' "identical optimum" "$opts"
	fi
done

if [ -x "$glpk" ]; then
	echo "-- GLPK (too slow for 20,000 x 400): 500 households x 100 units"
	d="$w/g500"
	"$gen" --transport --households 500 --units 100 --seed 1 "$d" \
	    >/dev/null
	"$glpk" --algo relax4 "$d" 2>/dev/null | sed 's/^/  /'
	opts=""
	series "GLPK simplex" 1 "$glpk" --algo simplex "$d"
	opts="$opts $(field optimum "$w/last")"
	series "GLPK okalg" 1 "$glpk" --algo okalg "$d"
	opts="$opts $(field optimum "$w/last")"
	if [ -x "$lemon" ]; then
		series "LEMON ns" "$peer_runs" "$lemon" --algo ns "$d"
		opts="$opts $(field optimum "$w/last")"
	fi
	if [ "$have_hafen_match" = 1 ]; then
		run_hafen "hafen match" "$runs" "$d" || true
		opts="$opts $(hafen_json objective "$w/hafen.json")"
	fi
	printf '  %-28s%s\n' "optima" "$opts"
fi

for c in $corridors; do
	echo "-- national: $national households x 400 units, dense float32" \
	    "scores, 4 dimensions, needs, corridor $c % of the share" \
	    "(aim <= 3 s, <= 2 x matrix, gap <= 0.01 %)"
	d="$w/national-$c"
	"$gen" --households "$national" --units 400 --seed 1 --corridor "$c" \
	    "$d" | sed 's/^/  /'
	run_floor "$d"
	if [ "$have_hafen_match" = 1 ] &&
	    run_hafen "hafen match" "$runs" "$d"; then
		printf '  %-28s %s\n' "peak / score matrix" "$(awk "BEGIN {
			printf \"%.2f\", $peak * 1024 / ($national * 400 * 4)}")"
	fi
done
