#!/bin/sh
# The start of the hafen command: sh bench/start.sh BUILDDIR [OTHER_HAFEN]
#
# `hafen --help`, RUNS times (default 201, bench/bench_start.c), beside
# /bin/true (the floor: a program that links only libc) and, given,
# another hafen binary (the build of an earlier commit). With the
# libraries each maps at start (ldd).
set -eu
b=${1:-build-bench}
runs=${RUNS:-201}
bs="$b/bench/bench_start"
if [ $# -gt 0 ]; then shift; fi
for h in /bin/true "$b/src/cli/hafen" "$@"; do
	printf '%-44s ldd: %2s  %s\n' "$h" \
	    "$(ldd "$h" | grep -c '=>')" "$("$bs" "$runs" "$h" --help)"
done
