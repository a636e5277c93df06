#!/usr/bin/env bash
# Benchmark `lmspack validate` (release build):
#   1. N bare SCORM 2004 4th Edition manifests validated by lmspack in one process, against
#      `xmllint --schema` (scripts/xmllint-check.sh) on the same files in one run: times and ratio.
#      lmspack also runs the version, identifier, reference and sequencing rules; xmllint only XSD.
#   2. Peak RSS validating a SIZE_MB zip of stored (incompressible) media, generated in /tmp.
#
#   scripts/bench-validate.sh [N] [SIZE_MB] [RUNS]  defaults: 1000 manifests, a 1024 MB package,
#                                                   5 runs of each tool
#
# Needs xmllint (libxml2-utils), python3 and GNU time (/usr/bin/time) or python3's os.wait4.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
size_mb=${2:-1024}
runs=${3:-5}

cargo build --release --locked --quiet
bin=$PWD/target/release/lmspack
command -v xmllint >/dev/null || { echo "$0: xmllint missing: apt-get install libxml2-utils" >&2; exit 2; }

tmp=$(mktemp -d /tmp/bench-validate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT


# --- 1. N manifests: lmspack vs xmllint --------------------------------------------------------
mkdir "$tmp/m"
src=fixtures/manifests/scorm2004-4th.xml
for i in $(seq 1 "$n"); do
  sed "s/identifier=\"com.example.sample-course\"/identifier=\"com.example.course-$i\"/" "$src" >"$tmp/m/$i.xml"
done
files=("$tmp"/m/*.xml)

"$bin" validate "${files[@]:0:1}" --format json >/dev/null # warm the page cache
# The two tools run alternately, RUNS times each, on the same files; medians are compared, so a
# noisy neighbour on a shared machine slows both rather than one.
python3 - "$runs" "$bin" "$tmp" "${files[@]}" <<'PY'
import json, os, statistics, subprocess, sys, time
runs, binary, tmp, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def run(cmd, out):
    start = time.perf_counter()
    with open(out, "wb") as o, open(out + ".err", "wb") as e:
        p = subprocess.Popen(cmd, stdout=o, stderr=e)
        _, _, usage = os.wait4(p.pid, 0)
    return (time.perf_counter() - start) * 1000, (usage.ru_utime + usage.ru_stime) * 1000
lm_cmd = [binary, "validate", *files, "--format", "json"]
xl_cmd = ["scripts/xmllint-check.sh", "scorm2004-4th", *files]
lm, xl = [], []
for _ in range(runs):
    lm.append(run(lm_cmd, f"{tmp}/lmspack.json"))
    xl.append(run(xl_cmd, f"{tmp}/xmllint.out"))
valid_l = sum(p["valid"] for p in json.load(open(f"{tmp}/lmspack.json"))["packages"])
valid_x = open(f"{tmp}/xmllint.out.err").read().count(" validates\n")
med = lambda rows, i: statistics.median(r[i] for r in rows)
print(f"== {len(files)} SCORM 2004 4th Edition manifests, one process each, median of {runs} alternating runs")
print(f"lmspack validate:  {med(lm, 0):7.1f} ms wall, {med(lm, 1):7.1f} ms CPU  ({valid_l} valid; reading, XSD and every rule)")
print(f"xmllint --schema:  {med(xl, 0):7.1f} ms wall, {med(xl, 1):7.1f} ms CPU  ({valid_x} valid; XSD only)")
print(f"ratio xmllint/lmspack (wall): {med(xl, 0) / med(lm, 0):.2f} (above 1: lmspack is faster)")
if valid_l != len(files) or valid_x != len(files):
    sys.exit("a manifest was found invalid: the benchmark's input is broken")
PY

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
