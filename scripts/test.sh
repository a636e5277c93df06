#!/usr/bin/env bash
# The one command that runs every test (README: "Run every test"). It installs what it needs.
#   1. cargo test: unit, snapshot, CLI, property and integration tests (in-process XSD validation);
#   2. a second opinion: xmllint validates every manifest built from course/ and fixtures/;
#   3. the learner runtime in real Chromium against a real SCORM API (scorm-again), with axe-core.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v xmllint >/dev/null || apt_install libxml2-utils
command -v unzip >/dev/null || apt_install unzip

cargo test --all-targets --locked

echo "== xmllint: every manifest, cmi5.xml and tincan.xml built from course/ and fixtures/"
cargo build --locked --quiet
bin=target/debug/lmspack
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for src in course fixtures/minimal fixtures/every-block; do
  for mode in module course; do
    out="$tmp/$(echo "$src" | tr / _)-$mode"
    "$bin" build "$src" --out "$out" --target all --package "$mode" --quiet
    for zip in "$out"/*.zip; do
      dir="${zip%.zip}"
      case "$zip" in
        *-scorm12.zip) set=scorm12 desc=imsmanifest.xml ;;
        *-scorm2004.zip) set=scorm2004-4th desc=imsmanifest.xml ;;
        *-cmi5.zip) set=cmi5 desc=cmi5.xml ;;
        *-xapi.zip) set=tincan desc=tincan.xml ;;
        *-web.zip) continue ;; # a plain web site: no descriptor to validate
        *) echo "unknown package kind: $zip" >&2; exit 1 ;;
      esac
      mkdir -p "$dir" && unzip -q -o "$zip" "$desc" -d "$dir"
      if ! log=$(scripts/xmllint-check.sh "$set" "$dir/$desc" 2>&1); then
        echo "$log" >&2
        echo "FAIL $set  ${zip#"$tmp"/}" >&2
        exit 1
      fi
      echo "ok  $set  ${zip#"$tmp"/}"
    done
  done
done
echo "== browser e2e: real Chromium + scorm-again + axe-core (tests/e2e)"
bash tests/e2e/run.sh

echo "== node unit tests: runtime formatters, preview's strict SCORM API"
node --test runtime/test/ runtime/preview/test/

echo "all tests passed"
