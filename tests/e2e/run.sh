#!/usr/bin/env bash
# Real-browser tests of the learner runtime: Debian's Chromium + scorm-again (the LMS API) +
# axe-core, a mock cmi5 LMS and the Ralph LRS, driven by playwright-core under `node --test`.
# Installs what it needs.
# Usage: tests/e2e/run.sh            (E2E_COURSE=<module id>[,...] limits the course/ modules)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# playwright-core drives the system Chromium; its own browser download is never used.
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || apt_install chromium
command -v unzip >/dev/null || apt_install unzip
command -v npm >/dev/null || apt_install nodejs npm

cd "$here"
# npm ci only when node_modules is missing or older than the lockfile (npm ci wipes it).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Ralph, the LRS of the Tin Can tests, in a virtualenv of its own (PyPI; 5.1.0 omits `requests`).
if [ -z "${RALPH_BIN:-}" ] && [ ! -x .venv/bin/ralph ]; then
  python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'ralph-malph[lrs,cli]==5.1.0' requests
fi

if [ -z "${LMSPACK_BIN:-}" ]; then
  (cd "$repo" && cargo build --locked --quiet)
  export LMSPACK_BIN="$repo/target/debug/lmspack"
fi

# Hard bound on the whole run; --test-timeout bounds each test file (node runs a file as one
# test), each test has its own timeout too. (The journey files of issue 18 add about 3 minutes.)
exec timeout -k 10 900 node --test --test-concurrency=1 --test-timeout=180000 test/
