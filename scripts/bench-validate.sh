#!/usr/bin/env bash
# Benchmark `lmspack validate` (release build):
#   1. N bare SCORM 2004 4th Edition manifests validated by lmspack in one process, against
#      `xmllint --schema` (scripts/xmllint-check.sh) on the same files in one run: times and ratio.
#      lmspack also runs the version, identifier, reference and sequencing rules; xmllint only XSD.
#   2. Peak RSS validating a SIZE_MB zip of stored (incompressible) media, generated in /tmp.
#
#   scripts/bench-validate.sh [N] [SIZE_MB]      defaults: 1000 manifests, a 1024 MB package
#
# Needs xmllint (libxml2-utils), python3 and GNU time (/usr/bin/time) or python3's os.wait4.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
size_mb=${2:-1024}

cargo build --release --locked --quiet
bin=$PWD/target/release/lmspack
command -v xmllint >/dev/null || { echo "$0: xmllint missing: apt-get install libxml2-utils" >&2; exit 2; }

tmp=$(mktemp -d /tmp/bench-validate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }

# --- 1. N manifests: lmspack vs xmllint --------------------------------------------------------
mkdir "$tmp/m"
src=fixtures/manifests/scorm2004-4th.xml
for i in $(seq 1 "$n"); do
  sed "s/identifier=\"com.example.sample-course\"/identifier=\"com.example.course-$i\"/" "$src" >"$tmp/m/$i.xml"
done
files=("$tmp"/m/*.xml)

"$bin" validate "${files[@]:0:1}" --format json >/dev/null # warm the page cache
t0=$(now)
"$bin" validate "${files[@]}" --format json >"$tmp/lmspack.json"
t1=$(now)
scripts/xmllint-check.sh scorm2004-4th "${files[@]}" 2>"$tmp/xmllint.log"
t2=$(now)
valid_l=$(python3 -c 'import json,sys; print(sum(p["valid"] for p in json.load(open(sys.argv[1]))["packages"]))' "$tmp/lmspack.json")
valid_x=$(grep -c ' validates$' "$tmp/xmllint.log" || true)
lm=$(ms "$t0" "$t1")
xl=$(ms "$t1" "$t2")
echo "== $n SCORM 2004 4th Edition manifests ($(wc -c <"$src") bytes each), one process each"
echo "lmspack validate:   ${lm} ms  ($valid_l valid; XSD + every rule)"
echo "xmllint --schema:   ${xl} ms  ($valid_x valid; XSD only)"
python3 -c "import sys; l, x = int(sys.argv[1]), int(sys.argv[2]); print(f'ratio xmllint/lmspack: {x / max(l, 1):.2f} (above 1: lmspack is faster)')" "$lm" "$xl"

# --- 2. Peak RSS on a large package of stored media ---------------------------------------------
echo "== peak RSS validating a ${size_mb} MB zip of stored media"
python3 - "$tmp/big.zip" "$size_mb" <<'PY'
import os, sys, zipfile
path, size_mb = sys.argv[1], int(sys.argv[2])
chunk = 64 << 20
count = max(1, (size_mb << 20) // chunk)
names = [f"media/video-{i:03}.mp4" for i in range(count)]
files = "".join(f'<file href="{n}"/>' for n in names)
manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="BIG" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>Big</title>
    <item identifier="ITEM" identifierref="RES"><title>Video</title></item>
  </organization></organizations>
  <resources><resource identifier="RES" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/>{files}
  </resource></resources>
</manifest>
"""
block = os.urandom(1 << 20)  # incompressible; stored, as video is
with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
    z.writestr("imsmanifest.xml", manifest)
    z.writestr("index.html", "<!doctype html><title>Big</title>")
    for i, name in enumerate(names):
        with z.open(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), "w", force_zip64=True) as f:
            for j in range(chunk >> 20):
                f.write(bytes([i & 255, j & 255]) + block[2:])
print(f"{path}: {os.path.getsize(path) >> 20} MB, {count} stored entries of {chunk >> 20} MB")
PY
python3 - "$bin" "$tmp/big.zip" <<'PY'
import os, subprocess, sys, time
start = time.monotonic()
p = subprocess.Popen([sys.argv[1], "validate", sys.argv[2], "--format", "json"], stdout=subprocess.PIPE)
out = p.stdout.read()
_, status, usage = os.wait4(p.pid, 0)
took = time.monotonic() - start
code = os.waitstatus_to_exitcode(status)
print(f"lmspack validate: exit {code}, {took:.1f} s, peak RSS {usage.ru_maxrss / 1024:.1f} MB (goal: < 100 MB)")
if code != 0:
    print(out.decode(), file=sys.stderr)
    sys.exit(1)
PY
