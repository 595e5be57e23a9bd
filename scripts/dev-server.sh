#!/bin/sh
# Starts saiwu for front-end work and browser tests: a fresh store in a
# temporary directory, the built front end (web/dist), demo windows (the
# registration open around today) and test mode (captcha and SMS answers
# at /api/v1/test/...). Never for production: test mode refuses it.
#   scripts/dev-server.sh [port]     (default 8090)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-8090}
dir=$(mktemp -d "${TMPDIR:-/tmp}/saiwu-dev.XXXXXX")
export SAIWU_DATA_DIR="$dir" SAIWU_WEB_DIR="$top/web/dist" SAIWU_CATALOG_DIR="$top/catalog"
export SAIWU_LISTEN="127.0.0.1:$port" SAIWU_LOG_LEVEL=warn
cd "$top"
build/saiwu migrate >/dev/null
build/saiwu catalog import >/dev/null
echo "saiwu dev server: http://127.0.0.1:$port/ (data in $dir)"
exec build/saiwu serve --demo true --test-mode true
