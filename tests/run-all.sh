#!/bin/sh
# Every test level, in order, with one summary line each and a total:
#   format        the C sources are laid out as .clang-format says
#   unit          C unit tests (util, router, config, domain, store on SQLite)
#   unit-asan     the same under AddressSanitizer + UBSan
#   api-sqlite    HTTP tests (node:test) against build/saiwu on SQLite
#   api-asan      the same against the sanitizer build
#   crash         10 rounds of tests/crash/crashtest.mjs against build/saiwu:
#                 kill -9 under mixed load, restart, nothing acknowledged
#                 lost (`make crashtest` runs 200)
#   unit-s3       the S3 blob driver against s3rver (npm) on 127.0.0.1
#   unit-pg       store tests against a private PostgreSQL 15 cluster
#   api-pg        HTTP tests against that cluster
#   web-unit      the front end's vitest tests (web/src/**/*.test.js)
#   e2e           the built front end (web/dist) in headless chromium against
#                 build/saiwu in test mode (node:test + playwright-core)
#   fuzz          the libFuzzer targets (tests/fuzz/, clang, ASan+UBSan) built
#                 into build-fuzz/ and run 30 s each from their committed
#                 corpus, three at a time; reproducers in tests/out/fuzz/
# A level that cannot run counts as failed, loudly.
#   tests/run-all.sh                 every level
#   tests/run-all.sh web-unit e2e    only the levels named (unit-pg and
#                                    api-pg share one cluster)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
levels=" $* "
for l in $levels; do
	case " format unit unit-asan api-sqlite api-asan crash unit-s3 unit-pg api-pg web-unit e2e fuzz " in
	*" $l "*) ;;
	*)
		echo "run-all.sh: unknown level '$l'" >&2
		exit 2
		;;
	esac
done
out=$top/tests/out
rm -rf "$out"
mkdir -p "$out"
summary=""
total_p=0
total_f=0
# Seconds each level took, with its build and set-up (make test's budget
# is 20 minutes on two cores: this says where it goes).
times=""
last=$(date +%s)
jobs=$(nproc 2>/dev/null || echo 2)

# Whether a level is to run: all of them when none was named.
want() {
	[ "$levels" = "  " ] && return 0
	case "$levels" in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

record() { # level passed failed
	summary="$summary$1: $2 passed, $3 failed
"
	now=$(date +%s)
	times="$times${times:+, }$1 $((now - last)) s"
	last=$now
	total_p=$((total_p + $2))
	total_f=$((total_f + $3))
}

run_unit() { # level make-args...
	level=$1
	shift
	want "$level" || return 0
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

# Counts a node:test TAP file into the summary; rc is node's exit status.
record_tap() { # level tapfile rc
	grep -E '^not ok|^# (tests|pass|fail|cancelled|skipped|todo) ' "$2"
	p=$(grep -E '^# pass [0-9]+' "$2" | tail -n 1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$2" | tail -n 1 | awk '{print $3}')
	c=$(grep -E '^# cancelled [0-9]+' "$2" | tail -n 1 | awk '{print $3}')
	if [ -z "$p" ] || [ -z "$f" ]; then
		echo "$1: node --test printed no result (exit $3) — see tests/out/$(basename "$2")"
		tail -n 20 "$2"
		record "$1" 0 1
		return
	fi
	f=$((f + ${c:-0}))
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "$1: no test ran"
		f=1
	fi
	record "$1" "$p" "$f"
}

run_api() { # level binary [env assignments...]
	level=$1
	bin=$2
	shift 2
	want "$level" || return 0
	echo "== $level"
	if [ ! -x "$bin" ]; then
		echo "$level: $bin was not built"
		record "$level" 0 1
		return
	fi
	# Each file starts servers of its own (own port, data directory and
	# database), and most of the time they wait on sockets and timers:
	# three files at a time keep two cores busy (node's default is one
	# file per core less one, i.e. one at a time here).
	env SAIWU_BIN="$bin" "$@" node --test --test-concurrency="${SAIWU_TEST_CONCURRENCY:-3}" \
		--test-reporter=tap tests/api/ >"$out/$level.tap" 2>&1
	record_tap "$level" "$out/$level.tap" $?
}

command -v node >/dev/null 2>&1 || {
	echo "node is missing: run scripts/install-deps.sh" >&2
	exit 1
}

if want format; then
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
fi

run_unit unit
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_unit unit-asan SANITIZE=1
run_api api-sqlite "$top/build/saiwu"
run_api api-asan "$top/build-san/saiwu" \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# SIGKILL under load, 10 times: every acknowledged write survives the
# restart (tests/crash/crashtest.mjs; about 45 s).
run_crash() {
	want crash || return 0
	echo "== crash"
	if [ ! -x build/saiwu ]; then
		echo "crash: build/saiwu was not built"
		record crash 0 1
		return
	fi
	SAIWU_BIN="$top/build/saiwu" timeout 300 node tests/crash/crashtest.mjs \
		--rounds 10 >"$out/crash.log" 2>&1
	rc=$?
	[ "$rc" -eq 124 ] && echo "crash: did not finish within 5 minutes"
	grep -E 'FAILED|^    |^crashtest: ' "$out/crash.log" | grep -v '^      ' | head -n 40
	line=$(grep -E '^crashtest: [0-9]+ rounds passed, [0-9]+ failed$' "$out/crash.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "crash: the crash test printed no result (exit $rc) — see tests/out/crash.log"
		tail -n 20 "$out/crash.log"
		record crash 0 1
		return
	fi
	p=$(echo "$line" | sed -E 's/crashtest: ([0-9]+) rounds.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	record crash "$p" "$f"
}
run_crash

# web/src/**/*.test.js under vitest (happy-dom).
run_web_unit() {
	want web-unit || return 0
	echo "== web-unit"
	if [ ! -d web/node_modules ]; then
		echo "web-unit: web/node_modules is missing: run scripts/install-deps.sh"
		record web-unit 0 1
		return
	fi
	# A hung test file must not hold up the run: 10 minutes at most.
	(cd web && NO_COLOR=1 timeout 600 npx vitest run) >"$out/web-unit.log" 2>&1
	rc=$?
	[ "$rc" -eq 124 ] && echo "web-unit: vitest did not finish within 10 minutes"
	sed 's/\x1b\[[0-9;]*m//g' "$out/web-unit.log" >"$out/web-unit.txt"
	grep -E 'FAIL|✗|×|^ *Test Files |^ *Tests ' "$out/web-unit.txt" | head -n 40
	line=$(grep -E '^ *Tests +' "$out/web-unit.txt" | tail -n 1)
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | awk '{print $1}')
	f=$(echo "$line" | grep -oE '[0-9]+ failed' | awk '{print $1}')
	if [ -z "$p" ] && [ -z "$f" ]; then
		echo "web-unit: vitest printed no result (exit $rc) — see tests/out/web-unit.log"
		tail -n 20 "$out/web-unit.txt"
		record web-unit 0 1
		return
	fi
	p=${p:-0}
	f=${f:-0}
	# A test file that does not even load counts no test, yet fails.
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	record web-unit "$p" "$f"
}

# The front end as built from the sources now: rebuilt when a source is
# newer than web/dist (make test builds it first; this catches a direct run).
run_e2e() {
	want e2e || return 0
	echo "== e2e"
	if [ ! -x build/saiwu ]; then
		echo "e2e: build/saiwu was not built"
		record e2e 0 1
		return
	fi
	if [ ! -f web/dist/index.html ] ||
		[ -n "$(find web/src web/index.html web/public web/vite.config.js web/package.json \
			-newer web/dist/index.html 2>/dev/null | head -n 1)" ]; then
		if ! make -s web >"$out/e2e-web-build.log" 2>&1; then
			tail -n 20 "$out/e2e-web-build.log"
			echo "e2e: the front end did not build — see tests/out/e2e-web-build.log"
			record e2e 0 1
			return
		fi
	fi
	# Each test has its own time limit; this is for a browser that hangs.
	# Two files at a time (each starts its own server and browser): 6.5 →
	# 5.1 min on two cores; four at a time was slower.
	SAIWU_BIN="$top/build/saiwu" timeout 900 node --test --test-reporter=tap \
		--test-concurrency="${SAIWU_E2E_CONCURRENCY:-2}" tests/e2e/ >"$out/e2e.tap" 2>&1
	rc=$?
	[ "$rc" -eq 124 ] && echo "e2e: the browser tests did not finish within 15 minutes"
	record_tap e2e "$out/e2e.tap" $rc
	[ -d "$out/screenshots" ] && echo "e2e: screenshots in tests/out/screenshots/"
}

run_s3() { # level binary
	level=$1
	want "$level" || return 0
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
if want unit-pg || want api-pg; then
	pgdir=$(mktemp -d /tmp/saiwu-pg.XXXXXX)
	pgport=$((54000 + $$ % 1000))
	trap 'sh "$top/tests/pg-cluster.sh" stop "$pgdir"' EXIT INT TERM
	echo "== postgresql cluster in $pgdir"
	if pgenv=$(sh tests/pg-cluster.sh start "$pgdir" "$pgport" 2>"$out/pg-start.log"); then
		PGHOST=$pgdir PGPORT=$pgport PGUSER=postgres
		export PGHOST PGPORT PGUSER
		createdb saiwu_unit
		if want unit-pg; then
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
		fi
		run_api api-pg "$top/build/saiwu" SAIWU_TEST_STORE=pg
	else
		echo "postgresql: the private cluster did not start:"
		cat "$out/pg-start.log"
		want unit-pg && record unit-pg 0 1
		want api-pg && record api-pg 0 1
	fi
fi

# libFuzzer targets: a short run each; `make fuzz` runs them longer.
run_fuzz() {
	want fuzz || return 0
	echo "== fuzz"
	if ! command -v clang >/dev/null 2>&1; then
		echo "fuzz: clang is missing (scripts/install-deps.sh installs it)"
		record fuzz 0 1
		return
	fi
	if ! make -s -j"$jobs" FUZZ=1 fuzz-bins >"$out/fuzz-build.log" 2>&1; then
		grep -v '^  CC \|^  FUZZ ' "$out/fuzz-build.log" | tail -n 20
		echo "fuzz: the targets did not build — see tests/out/fuzz-build.log"
		record fuzz 0 1
		return
	fi
	targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
	# shellcheck disable=SC2086
	# Three at a time: nine targets in three rounds of 30 s instead of
	# five (a smoke run; `make fuzz` gives each a core for longer).
	FUZZ_JOBS=${FUZZ_JOBS:-3} sh tests/fuzz/run.sh build-fuzz/fuzz \
		"${SAIWU_FUZZ_SECONDS:-30}" "$out/fuzz" $targets >"$out/fuzz.log" 2>&1
	cat "$out/fuzz.log"
	line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed$' "$out/fuzz.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "fuzz: the runner printed no result — see tests/out/fuzz.log"
		record fuzz 0 1
		return
	fi
	record fuzz "$(echo "$line" | sed -E 's/fuzz: ([0-9]+) passed.*/\1/')" \
		"$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')"
}

run_web_unit
run_e2e
run_fuzz

echo
echo "== summary"
printf '%s' "$summary"
echo "time: $times"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
