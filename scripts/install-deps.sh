#!/bin/sh
# Installs the Debian packages saiwu needs to build, run and test, and the
# front end's npm packages from its lockfile. Safe to run again: it only
# installs what is missing. Without root it prints the apt-get line and stops.
set -eu

# One list for build, run and test: CI starts from a bare Debian 12 image.
# clang with libclang-rt-14-dev (libFuzzer and clang's sanitizer
# runtimes) builds the fuzz targets.
PKGS="build-essential pkg-config make git ca-certificates curl clang-format
libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15
libjansson-dev libsodium-dev libgd-dev fonts-dejavu-core
libcurl4-openssl-dev libmagic-dev libclamav-dev clamav-daemon
libcairo2-dev libpango1.0-dev libqrencode-dev zlib1g-dev
chromium fonts-noto-cjk poppler-utils unzip
wrk nginx
clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
# Node.js may come from outside Debian on developer machines; only ask
# Debian for it when no node is on PATH at all.
if ! command -v node >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "saiwu needs these Debian packages:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# nginx is only N0, the benchmark's baseline, run by bench/harness.mjs
	# as its own child on a loopback port: its package must not start the
	# system service on port 80. Where no policy-rc.d says so already (a
	# container without systemd runs the init script), one refuses every
	# service start for the length of this install.
	policy=/usr/sbin/policy-rc.d
	made_policy=""
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# scripts/install-deps.sh: no service starts during the install\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		made_policy=1
	fi
	# shellcheck disable=SC2086
	if ! apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
		if [ -n "$made_policy" ]; then rm -f "$policy"; fi
		exit 1
	fi
	if [ -n "$made_policy" ]; then rm -f "$policy"; fi
	# Under systemd the unit may still have been enabled: when this run
	# installed nginx, it is not meant to be a service here.
	case " $missing " in
	*" nginx "*)
		if [ -d /run/systemd/system ]; then
			systemctl disable --now nginx >/dev/null 2>&1 || true
		fi
		;;
	esac
fi

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$top/web/package-lock.json" ]; then
	stamp="$top/web/node_modules/.saiwu-lock"
	if [ ! -f "$stamp" ] || ! cmp -s "$top/web/package-lock.json" "$stamp"; then
		(cd "$top/web" && npm ci --no-audit --no-fund --loglevel=error)
		cp "$top/web/package-lock.json" "$stamp"
	fi
fi
# tests/s3: s3rver, the fake S3 the s3 blob driver is tested against.
# tests/e2e: playwright-core (drives Debian's chromium) and axe-core.
for d in tests/api tests/s3 tests/e2e; do
	if [ -f "$top/$d/package-lock.json" ]; then
		stamp="$top/$d/node_modules/.saiwu-lock"
		if [ ! -f "$stamp" ] || ! cmp -s "$top/$d/package-lock.json" "$stamp"; then
			(cd "$top/$d" && npm ci --no-audit --no-fund --loglevel=error)
			cp "$top/$d/package-lock.json" "$stamp"
		fi
	fi
done
