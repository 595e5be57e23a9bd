#!/bin/sh
# Runs each unit test binary from the repository root and sums their
# "N passed, N failed" lines into one.
set -u
passed=0 failed=0 broken=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^#' | grep -v ' passed, ' | sed 's/^/  /'
	line=$(printf '%s\n' "$out" | grep -E '^[a-z0-9_]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "  $t: crashed or printed no summary (exit $rc)"
		broken=$((broken + 1))
		continue
	fi
	echo "  $line"
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && broken=$((broken + 1))
done
failed=$((failed + broken))
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
