#!/bin/sh
# make bench: the benchmark scenarios that exist so far, each printing its
# figures and its ratio to a baseline measured in the same run. The full
# harness of DESIGN §7 (N0 nginx, S_full1, wrk scenarios G1–G9) is the
# benchmarks issue's work; until it lands only these run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
node bench/g5-uploads.mjs "$@"
node bench/g8-export.mjs
