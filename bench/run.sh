#!/bin/sh
# make bench: the baselines (N0 nginx, S_full1/S_b100 raw SQLite, D0 disk,
# P_ins pgbench) and saiwu's scenarios G1–G8 on SQLite and PostgreSQL, in
# one go on this machine, ending in one table (bench/harness.mjs) that is
# also written to bench/results/<date>-<host>.md and .json.
#
#   sh bench/run.sh                     everything (about 10–15 minutes)
#   sh bench/run.sh G1 G3               only those scenarios (and the
#                                       baselines they are measured against)
#   sh bench/run.sh --quick G1 G3       smoke run: 3 s a point, a tenth of
#                                       the data (figures are not a measurement)
#   sh bench/run.sh --store sqlite      one store (sqlite, pg or both)
#   sh bench/run.sh --runs 3            median of 3 runs a point (the
#                                       protocol of perf-reliability §7.2)
#   sh bench/run.sh --duration 30       seconds a wrk point (default 10)
#
# SAIWU_BIN is the server (default build/saiwu, or $O/saiwu); the two C
# helpers are compiled into $O/bench. Everything listens on 127.0.0.1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
O=${O:-build}
case "$O" in /*) ;; *) O="$top/$O" ;; esac
SAIWU_BIN=${SAIWU_BIN:-$O/saiwu}
export SAIWU_BIN

for t in wrk nginx sqlite3 node cc; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "bench: $t not found (scripts/install-deps.sh installs it)" >&2
		exit 1
	fi
done
if [ ! -x "$SAIWU_BIN" ]; then
	echo "bench: $SAIWU_BIN not found: run make first" >&2
	exit 1
fi

# The harness's own C programs: the SQLite baseline, and the session
# minter (the server's own src/crypto, so its tokens are real sessions).
tools="$O/bench"
mkdir -p "$tools"
CFLAGS_BENCH="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wformat=2 -Wvla -Werror"
# shellcheck disable=SC2086
cc $CFLAGS_BENCH -o "$tools/sqlite-probe" bench/tools/sqlite-probe.c \
	$(pkg-config --cflags --libs sqlite3)
# shellcheck disable=SC2086
cc $CFLAGS_BENCH -Isrc -o "$tools/mint-sessions" bench/tools/mint-sessions.c \
	src/crypto/crypto.c src/util/str.c $(pkg-config --cflags --libs libsodium) -lpthread

# G6 holds 1,200 connections open on the client side as well.
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true
exec node bench/harness.mjs --tools "$tools" "$@"
