#!/usr/bin/env bash
# Benchmark: lmspack build against `zip -r -6 -X` of the same rendered tree, measured in one run.
#
#   scripts/bench.sh [MODULES] [PAGES] [MEDIA_MB]      (default 10 modules × 20 pages, 200 MB media)
#
# It generates a synthetic media-heavy course (incompressible media, like real JPEG/MP4), builds it with
# the release binary, unzips the packages to get the rendered tree, then times, best of 3:
#   - zip -r -6 -X of that tree (the baseline), and zip -r -0 -X (storing only);
#   - lmspack build (render + zip + validate) of the synthetic course, one target;
#   - lmspack build of the bundled course, every target; a rebuild after a one-page edit; lmspack check.
# and prints each time with its ratio to the baseline. Goal: synthetic ratio < 1.0, bundled < 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=${1:-10}; pages=${2:-20}; media_mb=${3:-200}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cargo build --release --locked --quiet
bin=$PWD/target/release/lmspack

python3 - "$work/synth" "$modules" "$pages" "$media_mb" <<'PY'
import os, random, sys
root, modules, pages, media_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(42)
per_file = (media_mb << 20) // (modules * 4)
os.makedirs(root)
names = [f"m{i:02}" for i in range(modules)]
open(f"{root}/course.yaml", "w").write(
    "id: synth\ntitle: Synthetic\nlanguage: en\nversion: 1.0.0\ndescription: Benchmark.\n"
    "authors: [bench]\nlicence: MIT\nmodules: [" + ", ".join(names) + "]\n")
words = "library digital leader data impact people service community learn share".split()
for m in names:
    os.makedirs(f"{root}/{m}/pages"); os.makedirs(f"{root}/{m}/media")
    for k, ext in enumerate(["jpg", "mp4", "png", "mp3"]):
        with open(f"{root}/{m}/media/f{k}.{ext}", "wb") as f:
            f.write(rnd.randbytes(per_file))
    open(f"{root}/{m}/module.yaml", "w").write(
        f"id: {m}\ntitle: Module {m}\ndescription: d\nduration: 20\nobjectives: [o]\nmastery_score: 80\n"
        "completion: both\npages: [" + ", ".join(f"pages/p{p:02}.md" for p in range(pages)) + "]\n")
    for p in range(pages):
        body = "\n\n".join(" ".join(rnd.choice(words) for _ in range(120)) for _ in range(8))
        media = f"\n\n![figure](../media/f{p % 4}.jpg)\n" if p % 4 == 0 else ""
        media += f"\n[Listen](../media/f3.mp3)\n\n[Watch](../media/f1.mp4)\n\n![p](../media/f2.png)\n" if p == 1 else ""
        quiz = (f"\n```single-choice\nid: {m}-q{p}\nprompt: Which?\noptions:\n  - text: A\n    correct: true\n"
                f"  - text: B\n```\n")
        open(f"{root}/{m}/pages/p{p:02}.md", "w").write(f"---\nid: p{p}\ntitle: Page {p}\n---\n{body}{media}{quiz}")
PY

best() { # best wall time of 3 runs of "$@", in seconds
  local b=""
  for _ in 1 2 3; do
    local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    b=$(python3 -c "import sys; t=$e-$s; b='$b'; print(t if not b else min(t, float(b)))")
  done
  echo "$b"
}

"$bin" build "$work/synth" --out "$work/dist" --target scorm12 --quiet
mkdir -p "$work/tree"
for z in "$work"/dist/*.zip; do d="$work/tree/$(basename "$z" .zip)"; mkdir -p "$d"; unzip -q "$z" -d "$d"; done
size=$(du -sm "$work/tree" | cut -f1)

zip6=$(best bash -c "cd '$work/tree' && rm -f '$work/z6.zip' && zip -q -r -6 -X '$work/z6.zip' .")
zip0=$(best bash -c "cd '$work/tree' && rm -f '$work/z0.zip' && zip -q -r -0 -X '$work/z0.zip' .")
synth=$(best "$bin" build "$work/synth" --out "$work/dist" --target scorm12 --quiet)
bundled=$(best "$bin" build course --out "$work/dist-course" --target all --quiet)
check=$(best "$bin" check course)
# A one-page edit, then a rebuild: what an author waits for in the edit loop.
cp -r course "$work/edit"
page="$work/edit/01-digital-leadership/pages/01-welcome.md"
edit_build() { echo "" >> "$page"; "$bin" build "$work/edit" --out "$work/dist-edit" --target all --quiet; }
edit=$(best edit_build)

python3 - "$zip6" "$zip0" "$synth" "$bundled" "$check" "$edit" "$size" "$modules" "$pages" <<'PY'
import sys
zip6, zip0, synth, bundled, check, edit = map(float, sys.argv[1:7])
size, modules, pages = sys.argv[7:10]
print(f"synthetic course: {modules} modules x {pages} pages, rendered tree {size} MB, {__import__('os').cpu_count()} cores")
print(f"{'zip -r -6 -X (baseline)':42} {zip6:7.3f} s  ratio 1.000")
print(f"{'zip -r -0 -X (store only)':42} {zip0:7.3f} s  ratio {zip0/zip6:.3f}")
print(f"{'lmspack build, scorm12 (render+zip+validate)':42} {synth:7.3f} s  ratio {synth/zip6:.3f}  (goal < 1.0)")
print(f"{'lmspack build course/, every target':42} {bundled:7.3f} s  (goal < 1 s)")
print(f"{'rebuild course/ after a one-page edit':42} {edit:7.3f} s  (goal < 0.2 s)")
print(f"{'lmspack check course/':42} {check:7.3f} s  (goal < 0.1 s)")
PY
