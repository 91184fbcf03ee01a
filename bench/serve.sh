#!/bin/sh
# The overview API under load: hafen serve on a demo database on loopback,
# one signed-in viewer, wrk with 256 connections against
# GET /api/quota?parent=01&period=2023 (Schleswig-Holstein's 15 units).
# Usage: bench/serve.sh [BUILD_DIR] [SECONDS] [THREADS]
set -eu
build=${1:-build-bench}
secs=${2:-10}
threads=${3:-4}
hafen="$build/src/cli/hafen"
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db="$tmp/bench.db"
"$hafen" --db "$db" init --demo >/dev/null
printf 'bench-passwort-123\n' | "$hafen" --db "$db" user add bench --role viewer >/dev/null
"$hafen" --db "$db" serve --listen 127.0.0.1:0 --threads "$threads" >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while ! grep -q 'http://' "$tmp/out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$tmp/err"; exit 1; }; sleep 0.05
done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/out")
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d '{"user":"bench","password":"bench-passwort-123"}' \
	"http://127.0.0.1:$port/api/login" | sed -n 's/^Set-Cookie: \(hafen_session=[^;]*\).*/\1/p')
url="http://127.0.0.1:$port/api/quota?parent=01&period=2023"
curl -sf -H "Cookie: $cookie" "$url" >/dev/null
echo "hafen serve --threads $threads; wrk -t${WRK_THREADS:-2} -c256 -d${secs}s --latency $url"
wrk -t${WRK_THREADS:-2} -c256 -d"${secs}s" --latency -H "Cookie: $cookie" "$url"
