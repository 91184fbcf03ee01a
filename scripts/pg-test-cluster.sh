#!/bin/sh
# A throw-away PostgreSQL server for hafen's tests and benchmarks.
#
#   scripts/pg-test-cluster.sh run CMD [ARG...]
#       initdb a cluster in a fresh temporary folder, start it on a free
#       loopback port (unix socket in the same folder), create the roles
#       and the database, run CMD with HAFEN_TEST_PG_URI (owner role) and
#       HAFEN_TEST_PG_APP_URI (least-privilege role) exported, then stop
#       the server and remove the folder, also when CMD fails or the script
#       is interrupted. Exits with CMD's status.
#   scripts/pg-test-cluster.sh start DIR   (for development: leaves it up)
#   scripts/pg-test-cluster.sh stop DIR
#
# The server runs as an unprivileged user: as root via runuser as
# "postgres" (PG_TEST_USER), otherwise as the calling user. Debian's
# binaries are in /usr/lib/postgresql/*/bin (PG_BIN overrides).
# PG_TEST_FSYNC=on keeps fsync on (benchmarks); tests run with it off,
# which loses nothing unless the machine itself crashes.
set -eu

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_TEST_USER=${PG_TEST_USER:-postgres}
PG_TEST_FSYNC=${PG_TEST_FSYNC:-off}

if [ ! -x "$PG_BIN/initdb" ]; then
	echo "pg-test-cluster: no PostgreSQL server binaries in '$PG_BIN'" \
	    "(Debian package postgresql)" >&2
	exit 3
fi

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_TEST_USER" -- "$@"
	else
		"$@"
	fi
}

# start DIR: cluster in DIR/data, socket in DIR, port in DIR/port
start() {
	dir=$1
	mkdir -p "$dir"
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then chown "$PG_TEST_USER" "$dir"; fi
	as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust \
	    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		return 1
	}
	tries=0
	while :; do
		port=$(( (($$ + tries * 7919) % 20000) + 30000 ))
		if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
		    -w -t 60 -o "-p $port -k $dir -c listen_addresses=127.0.0.1 \
-c fsync=$PG_TEST_FSYNC -c max_connections=100 -c shared_buffers=128MB" \
		    start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ "$tries" -ge 10 ]; then
			cat "$dir/server.log" >&2
			return 1
		fi
	done
	echo "$port" >"$dir/port"
	psql="$PG_BIN/psql -X -q -v ON_ERROR_STOP=1 -h $dir -p $port"
	# hafen_owner creates schemas and tables (hafen init, migrations);
	# hafen_app gets only what docs/postgresql.md grants
	as_pg $psql -U postgres -d postgres <<-EOF >/dev/null
	CREATE ROLE hafen_owner LOGIN;
	CREATE ROLE hafen_app LOGIN;
	CREATE DATABASE hafen OWNER hafen_owner;
	EOF
}

stop() {
	dir=$1
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
		    >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

uri() {
	# the socket folder as host: no TCP needed, and no password
	printf 'postgresql://%s@127.0.0.1:%s/hafen' "$1" "$(cat "$2/port")"
}

cmd=${1:-}
case "$cmd" in
run)
	shift
	dir=$(mktemp -d /tmp/hafen-pg-XXXXXX)
	trap 'stop "$dir"' EXIT
	trap 'exit 130' INT TERM
	start "$dir"
	HAFEN_TEST_PG_URI=$(uri hafen_owner "$dir")
	HAFEN_TEST_PG_APP_URI=$(uri hafen_app "$dir")
	PG_TEST_PSQL="$PG_BIN/psql"
	export HAFEN_TEST_PG_URI HAFEN_TEST_PG_APP_URI PG_TEST_PSQL
	set +e
	"$@"
	rc=$?
	set -e
	exit $rc
	;;
start)
	start "$2"
	echo "HAFEN_TEST_PG_URI=$(uri hafen_owner "$2")"
	echo "HAFEN_TEST_PG_APP_URI=$(uri hafen_app "$2")"
	;;
stop)
	stop "$2"
	;;
*)
	sed -n '2,18p' "$0" >&2
	exit 1
	;;
esac
