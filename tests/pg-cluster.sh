#!/bin/sh
# Starts or stops a private PostgreSQL 15 cluster for the tests: initdb in
# DIR, listening on a unix socket in DIR only (no TCP), as the postgres
# user when run as root.
#   tests/pg-cluster.sh start DIR PORT   prints PGHOST/PGPORT/PGUSER lines
#   tests/pg-cluster.sh stop DIR
set -eu
bin=/usr/lib/postgresql/15/bin
cmd=$1
dir=$2

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	port=$3
	if [ ! -x "$bin/initdb" ]; then
		echo "pg-cluster: $bin/initdb not found (Debian package postgresql-15)" >&2
		exit 1
	fi
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U postgres \
		-E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	# Durability settings are off: the cluster lives for one test run.
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories=$dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	echo "PGHOST=$dir"
	echo "PGPORT=$port"
	echo "PGUSER=postgres"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac
