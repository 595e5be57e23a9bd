#!/bin/sh
# `make run`: migrate, import the catalog, and serve on 127.0.0.1:8080.
# Settings come from the environment (SAIWU_*) as for `saiwu serve`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=build/saiwu
if [ -d web/dist ] && [ -z "${SAIWU_WEB_DIR:-}" ]; then
	export SAIWU_WEB_DIR="$top/web/dist"
fi
$bin migrate
$bin catalog import
echo
$bin user ensure-admin
echo
echo "saiwu: open http://${SAIWU_LISTEN:-127.0.0.1:8080}/ — stop with Ctrl-C"
echo "      the organisers' console (管理后台) is at /console: sign in as the demo admin"
echo "      演示 (demo) mode: registration is open around today; the catalog keeps"
echo "      the real 2026 dates, which a production configuration uses unchanged."
echo
exec $bin serve --demo true
