#!/usr/bin/env bash
# Fuzz `lmspack validate`'s zip + XML path with cargo-fuzz (libFuzzer) for SECONDS (default 60).
# Not part of CI or of scripts/test.sh. Needs a nightly toolchain (rustup toolchain install nightly)
# and cargo-fuzz (installed here if missing).
#
#   scripts/fuzz-validate.sh [SECONDS] [JOBS]
#
# The corpus is seeded from fixtures/ (every zip of fixtures/validator/zips/, and every descriptor
# of fixtures/validator/ and fixtures/manifests/ as the input of each mode of the target, see
# fuzz/fuzz_targets/validate_zip.rs) into fuzz/corpus/validate_zip/, and grows there between runs.
# Crashes land in fuzz/artifacts/validate_zip/; reproduce one with
#   cargo +nightly fuzz run validate_zip fuzz/artifacts/validate_zip/crash-…
# Prints the executions run and the crashes found.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
jobs=${2:-1}
target=validate_zip

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "$0: cargo-fuzz needs nightly Rust: rustup toolchain install nightly" >&2
  echo "$0: (without it, run the property tests longer: PROPTEST_CASES=100000 cargo test --release --test validate_props)" >&2
  exit 2
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

corpus=fuzz/corpus/$target
artifacts=fuzz/artifacts/$target
mkdir -p "$corpus" "$artifacts"
seed() { # MODE-BYTE FILE
  local out
  out="$corpus/seed-$1-$(basename "$(dirname "$2")")-$(basename "$2")"
  { printf "\\x$1"; cat "$2"; } >"$out"
}
for z in fixtures/validator/zips/*.zip; do seed 00 "$z"; done
while IFS= read -r -d '' f; do
  case "$(basename "$f")" in
    imsmanifest.xml) seed 01 "$f"; seed 00 "$f" ;;
    cmi5.xml) seed 02 "$f" ;;
    tincan.xml) seed 03 "$f" ;;
  esac
done < <(find fixtures/validator fixtures/manifests -name '*.xml' -print0)
for f in fixtures/manifests/*.xml; do
  case "$(basename "$f")" in
    scorm12.xml) set=00 ;; scorm2004-3rd.xml) set=01 ;; scorm2004-4th.xml) set=02 ;;
    cmi5.xml) set=03 ;; tincan.xml) set=04 ;; *) continue ;;
  esac
  { printf '\x04'; printf "\\x$set"; cat "$f"; } >"$corpus/seed-xsd-$(basename "$f")"
done

before=$(find "$artifacts" -type f | wc -l)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
parallel=()
[ "$jobs" -le 1 ] || parallel=(-jobs="$jobs" -workers="$jobs")
set +e
cargo +nightly fuzz run "$target" "$corpus" -- \
  -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
  -print_final_stats=1 "${parallel[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# With -jobs, each job logs to fuzz-N.log in the working directory.
runs=$(cat "$log" fuzz-*.log 2>/dev/null | grep -o 'stat::number_of_executed_units: *[0-9]*' | awk '{s += $2} END {print s + 0}')
rm -f fuzz-*.log
after=$(find "$artifacts" -type f | wc -l)
echo "fuzz-validate: ${secs}s, $runs executions, $((after - before)) new crash(es) in $artifacts (exit $status)"
exit "$status"
