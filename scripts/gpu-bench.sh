#!/usr/bin/env bash
# GPU measurements of issue 9 in one call.
#
#   scripts/gpu-bench.sh publish   here (with the .NET SDK): a self-contained, trimmed linux-x64 publish of the CLI into
#                                  artifacts/gpu-publish (ignored by git; the GPU machine has no .NET)
#   scripts/gpu-bench.sh run       on the GPU machine, from the repository root: checks the device against the CPU on the
#                                  conformance fixtures, then `tangent bench --json --device cuda`; results in $OUT
#                                  (or ./gpu-results): gpu.txt, check.txt, bench.json (merged), bench.jsonl, bench.err
#
# With the device tool: run `scripts/gpu-bench.sh publish` here, then
#   run(command="bash scripts/gpu-bench.sh run", carry=["artifacts/gpu-publish"], timeout_s=540)
# TANGENT_GPU=cpu-simulator runs the same `run` on ILGPU's CPU accelerator (a smoke test of the publish without a GPU;
# the benchmark sizes are then far too large, so pass FIGURES=none).
set -euo pipefail
cd "$(dirname "$0")/.."
PUBLISH=artifacts/gpu-publish

publish() {
    rm -rf "$PUBLISH"
    # Partial trimming trims the framework only, and gpu-publish.targets keeps CoreLib whole: ILGPU finds the .NET
    # methods it maps to device intrinsics by reflection (a trimmed CoreLib fails kernel compilation; seen here).
    dotnet publish src/Tangent.Cli/Tangent.Cli.csproj -c Release -r linux-x64 --self-contained true \
        -p:CustomAfterMicrosoftCommonTargets="$PWD/scripts/gpu-publish.targets" -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true -p:InvariantGlobalization=true \
        -p:DebugType=none -p:GenerateDocumentationFile=false -o "$PUBLISH"
    du -sh "$PUBLISH"
}

run() {
    local out="${OUT:-gpu-results}" cli="$PUBLISH/Tangent.Cli"
    mkdir -p "$out"
    [ -x "$cli" ] || { echo "no publish at $PUBLISH: run 'scripts/gpu-bench.sh publish' first and carry $PUBLISH" >&2; exit 2; }
    export DOTNET_gcServer=0 OPENBLAS_THREAD_TIMEOUT=4
    { nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 || true; ls /usr/local/cuda/lib64/libcublas* /usr/local/cuda/lib64/libcusolver* 2>&1 || true; } | tee "$out/gpu.txt"
    check "$cli" "$out" 2>&1 | tee "$out/check.txt"
    local figures="${FIGURES:-fc_relu3_n8192_d784_f32 cntk_gap3_16x16x3_f32 cntk_gap3_32x32x3_f32 eigh_n8192_f64}"
    if [ "$figures" != none ]; then
        # One figure per process: a failure (or a slow one) does not take the others with it.
        : > "$out/bench.jsonl"
        for f in $figures; do
            echo "measuring $f ..." >&2
            timeout 240 "$cli" bench --json --device cuda "$f" >> "$out/bench.jsonl" 2>> "$out/bench.err" || echo "{\"figures\": {\"$f\": {\"failed\": \"exit $?\"}}}" >> "$out/bench.jsonl"
        done
        python3 -c "
import json, sys
figures = {}
for line in open('$out/bench.jsonl'):
    if line.strip(): figures.update(json.loads(line)['figures'])
json.dump({'figures': figures}, open('$out/bench.json', 'w'), indent=1)
"
        cat "$out/bench.json"
    fi
}

# Device against CPU on the conformance fixtures the device covers, float64 (bar 1e-12) and float32 (bar 1e-5).
check() {
    local cli="$1" out="$2" dir
    dir=$(mktemp -d)
    python3 - "$dir" <<'PY'
import json, sys, numpy as np
d = json.load(open("tests/Tangent.Tests/fixtures/conformance/analytic.json"))
# A few cases (each run is a process that compiles its kernels); the test suite covers all of them on the CPU accelerator.
covered = {"fc_relu_3_bias", "fc_erf_2", "fc_layernorm", "cnn_flatten", "cnn_gap"}
for c in d["cases"]:
    if c["name"] in covered:
        json.dump(c["spec"], open(f"{sys.argv[1]}/{c['name']}.json", "w"))
        np.save(f"{sys.argv[1]}/{c['name']}.x1.npy", np.array(c["x1"], dtype=np.float64))
        np.save(f"{sys.argv[1]}/{c['name']}.x2.npy", np.array(c["x2"], dtype=np.float64))
PY
    for spec in "$dir"/*.json; do
        local name; name=$(basename "$spec" .json)
        for dtype in float64 float32; do
            for pair in "--x2 $dir/$name.x2.npy"; do
                for dev in cpu cuda; do
                    # shellcheck disable=SC2086
                    "$cli" kernel --arch "@$spec" --x1 "$dir/$name.x1.npy" $pair --dtype $dtype --device $dev -q --out "$dir/$name.$dtype.$dev.npy" || echo "FAILED: $name $dtype $dev"
                done
                python3 -c "
import numpy as np, sys
a, b = np.load('$dir/$name.$dtype.cuda.npy'), np.load('$dir/$name.$dtype.cpu.npy')
err = np.abs(a - b).max() / np.abs(b).max(); bar = 1e-12 if '$dtype' == 'float64' else 1e-5
print(f'{\"ok  \" if err <= bar else \"FAIL\"} $name $dtype {\"x1-x2\" if \"$pair\" else \"x1-x1\"} rel diff {err:.2e} (bar {bar:.0e})')
" || echo "FAILED compare: $name $dtype"
            done
        done
    done
    rm -rf "$dir"
}

case "${1:-}" in
    publish) publish ;;
    run) run ;;
    *) echo "usage: $0 publish|run" >&2; exit 2 ;;
esac
