#!/bin/sh
# Runs libFuzzer targets, two at a time (the machine has two cores):
#   tests/fuzz/run.sh BINDIR SECONDS OUTDIR TARGET...
# Each target starts from its committed seeds (tests/fuzz/corpus/NAME/,
# which also hold the inputs of past findings, replayed first) plus what
# earlier runs in OUTDIR found, with tests/fuzz/NAME.dict when there is
# one. A crash, leak, timeout or broken invariant fails the target; its
# reproducer is kept as OUTDIR/NAME-crash-… (run BINDIR/NAME on that file
# to see it again). Prints one line per target and, last,
# "fuzz: N passed, N failed".
set -u
bindir=$1
seconds=$2
outdir=$3
shift 3
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
mkdir -p "$outdir"
parallel=${FUZZ_JOBS:-2}

one() { # target
	t=$1
	bin=$bindir/fuzz_$t
	log=$outdir/$t.log
	work=$outdir/corpus-$t
	mkdir -p "$work"
	if [ ! -x "$bin" ]; then
		echo "fuzz_$t: $bin was not built" >"$log"
		echo 1 >"$outdir/$t.rc"
		return
	fi
	set -- -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 \
		-max_len=16384 -print_final_stats=1 \
		-artifact_prefix="$outdir/$t-"
	[ -f "tests/fuzz/$t.dict" ] && set -- "$@" -dict="tests/fuzz/$t.dict"
	# New inputs go to the first directory, never to the committed seeds.
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" "$@" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
	echo $? >"$outdir/$t.rc"
}

# Two at a time, in the order given.
running=0
for t in "$@"; do
	t=${t#fuzz_}
	one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$parallel" ]; then
		wait
		running=0
	fi
done
wait

passed=0
failed=0
for t in "$@"; do
	t=${t#fuzz_}
	rc=$(cat "$outdir/$t.rc" 2>/dev/null || echo 1)
	log=$outdir/$t.log
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
	runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
	speed=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}')
	cov=$(echo "$done_line" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	ft=$(echo "$done_line" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
	if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
		passed=$((passed + 1))
		echo "fuzz_$t: ok, ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}"
	else
		failed=$((failed + 1))
		echo "fuzz_$t: FAILED (exit $rc) — log $log"
		grep -E 'ERROR|runtime error|invariant broken|SUMMARY|Test unit written' "$log" | head -n 8
		grep -E '^    #[0-9]+ ' "$log" | head -n 12
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
