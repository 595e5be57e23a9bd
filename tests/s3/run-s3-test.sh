#!/bin/sh
# Runs the s3 blob driver's test against s3rver on 127.0.0.1: starts the
# fake S3 on a free port with a fresh bucket, runs the test binary with
# SAIWU_TEST_S3_* set, stops the server. Prints the binary's output,
# ending with its "test_blob_s3: N passed, N failed" line; exits with the
# binary's status (1 when s3rver cannot be started).
#   sh tests/s3/run-s3-test.sh [binary]    (default: build/tests/test_blob_s3)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bin=${1:-build/tests/test_blob_s3}
bucket=saiwu-test

if [ ! -x "$bin" ]; then
	echo "s3: $bin is not built (make DEVELOPER=1 $bin)" >&2
	exit 1
fi
if [ ! -d tests/s3/node_modules/s3rver ]; then
	(cd tests/s3 && npm ci --no-audit --no-fund --loglevel=error) || {
		echo "s3: cannot install s3rver (npm ci in tests/s3 failed)" >&2
		exit 1
	}
fi

work=$(mktemp -d /tmp/saiwu-s3-test.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

node tests/s3/start-s3rver.mjs "$bucket" >"$work/out" 2>"$work/err" &
pid=$!
port=
i=0
while [ $i -lt 100 ]; do
	port=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$work/out")
	[ -n "$port" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ]; then
	echo "s3: s3rver did not start:" >&2
	cat "$work/err" >&2
	exit 1
fi

SAIWU_TEST_S3_ENDPOINT=http://127.0.0.1:$port \
SAIWU_TEST_S3_BUCKET=$bucket \
SAIWU_TEST_S3_ACCESS_KEY=S3RVER \
SAIWU_TEST_S3_SECRET_KEY=S3RVER \
	"$bin"
rc=$?
exit $rc
