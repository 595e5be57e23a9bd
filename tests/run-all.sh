#!/bin/sh
# Every test level, in order, with one summary line each and a total:
#   format        the C sources are laid out as .clang-format says
#   unit          C unit tests (util, router, config, domain, store on SQLite)
#   unit-asan     the same under AddressSanitizer + UBSan
#   api-sqlite    HTTP tests (node:test) against build/saiwu on SQLite
#   api-asan      the same against the sanitizer build
#   unit-s3       the S3 blob driver against s3rver (npm) on 127.0.0.1
#   unit-pg       store tests against a private PostgreSQL 15 cluster
#   api-pg        HTTP tests against that cluster
# A level that cannot run counts as failed, loudly.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$top/tests/out
rm -rf "$out"
mkdir -p "$out"
summary=""
total_p=0
total_f=0
jobs=$(nproc 2>/dev/null || echo 2)

record() { # level passed failed
	summary="$summary$1: $2 passed, $3 failed
"
	total_p=$((total_p + $2))
	total_f=$((total_f + $3))
}

run_unit() { # level make-args...
	level=$1
	shift
	echo "== $level"
	if ! make -s -j"$jobs" DEVELOPER=1 "$@" all unit >"$out/$level.log" 2>&1; then
		:
	fi
	grep -v '^  CC \|^  LINK ' "$out/$level.log" | tail -n 40
	line=$(grep -E '^unit: [0-9]+ passed, [0-9]+ failed$' "$out/$level.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$level: could not run (build failed?) — see tests/out/$level.log"
		record "$level" 0 1
		return
	fi
	record "$level" "$(echo "$line" | sed -E 's/unit: ([0-9]+) passed.*/\1/')" \
		"$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')"
}

run_api() { # level binary [env assignments...]
	level=$1
	bin=$2
	shift 2
	echo "== $level"
	if [ ! -x "$bin" ]; then
		echo "$level: $bin was not built"
		record "$level" 0 1
		return
	fi
	env SAIWU_BIN="$bin" "$@" node --test --test-reporter=tap \
		tests/api/ >"$out/$level.tap" 2>&1
	rc=$?
	grep -E '^not ok|^# (tests|pass|fail|cancelled|skipped|todo) ' "$out/$level.tap"
	p=$(grep -E '^# pass [0-9]+' "$out/$level.tap" | tail -n 1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$out/$level.tap" | tail -n 1 | awk '{print $3}')
	c=$(grep -E '^# cancelled [0-9]+' "$out/$level.tap" | tail -n 1 | awk '{print $3}')
	if [ -z "$p" ] || [ -z "$f" ]; then
		echo "$level: node --test printed no result (exit $rc) — see tests/out/$level.tap"
		tail -n 20 "$out/$level.tap"
		record "$level" 0 1
		return
	fi
	f=$((f + ${c:-0}))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "$level: no test ran"
		f=1
	fi
	record "$level" "$p" "$f"
}

command -v node >/dev/null 2>&1 || {
	echo "node is missing: run scripts/install-deps.sh" >&2
	exit 1
}

echo "== format"
if ! command -v clang-format >/dev/null 2>&1; then
	echo "format: clang-format is missing (scripts/install-deps.sh installs it)"
	record format 0 1
elif make -s check-format >"$out/format.log" 2>&1; then
	record format 1 0
else
	head -n 20 "$out/format.log"
	echo "format: run 'make format' and commit"
	record format 0 1
fi

run_unit unit
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_unit unit-asan SANITIZE=1
run_api api-sqlite "$top/build/saiwu"
run_api api-asan "$top/build-san/saiwu" \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_s3() { # level binary
	level=$1
	echo "== $level"
	sh tests/s3/run-s3-test.sh "$2" >"$out/$level.log" 2>&1
	rc=$?
	grep '^not ok' "$out/$level.log"
	line=$(grep -E '^test_blob_s3: [0-9]+ passed, [0-9]+ failed$' "$out/$level.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$level: could not run — see tests/out/$level.log"
		tail -n 20 "$out/$level.log"
		record "$level" 0 1
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	record "$level" "$p" "$f"
}
run_s3 unit-s3 "$top/build/tests/test_blob_s3"

# PostgreSQL: a private cluster for this run only.
pgdir=$(mktemp -d /tmp/saiwu-pg.XXXXXX)
pgport=$((54000 + $$ % 1000))
trap 'sh "$top/tests/pg-cluster.sh" stop "$pgdir"' EXIT INT TERM
echo "== postgresql cluster in $pgdir"
if pgenv=$(sh tests/pg-cluster.sh start "$pgdir" "$pgport" 2>"$out/pg-start.log"); then
	PGHOST=$pgdir PGPORT=$pgport PGUSER=postgres
	export PGHOST PGPORT PGUSER
	createdb saiwu_unit
	echo "== unit-pg"
	if SAIWU_TEST_PG_URL="postgres://postgres@/saiwu_unit?host=$pgdir&port=$pgport" \
		./build/tests/test_store >"$out/unit-pg.log" 2>&1; then :; fi
	grep -v '^#' "$out/unit-pg.log" | grep -v 'info applied' | tail -n 20
	line=$(grep -E '^test_store: [0-9]+ passed, [0-9]+ failed$' "$out/unit-pg.log")
	if grep -q 'postgresql open' "$out/unit-pg.log" || [ -z "$line" ]; then
		record unit-pg 0 1
	else
		record unit-pg "$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')" \
			"$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')"
	fi
	run_api api-pg "$top/build/saiwu" SAIWU_TEST_STORE=pg
else
	echo "postgresql: the private cluster did not start:"
	cat "$out/pg-start.log"
	record unit-pg 0 1
	record api-pg 0 1
fi

echo
echo "== summary"
printf '%s' "$summary"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
