#!/usr/bin/env bash
# Computes a kernel as SHARDS shards with GNU parallel, JOBS at a time, on this machine or (with
# PARALLEL_HOSTS=hosts.txt, one ssh login per line, and the store on a shared file system) across machines,
# then verifies and merges it. Run it again after any failure: finished tiles are kept and verified, the rest is done.
#
#   ARCH='dense(w=1.41,b=0.1) > relu > dense' X1=train.npy STORE=ntk-store OUT=kernel.npy ./parallel-kernel.sh
set -euo pipefail
: "${ARCH:?set ARCH to the architecture (text form or @spec.json)}"
: "${X1:?set X1 to the input file}"
STORE=${STORE:-kernel-store}
SHARDS=${SHARDS:-16}
JOBS=${JOBS:-2}
TILE=${TILE:-2048}
TANGENT=${TANGENT:-tangent}
OUT=${OUT:-}                     # empty: leave the store as it is (tangent store predict reads it directly)
EXTRA=${EXTRA:-}                 # more kernel options, e.g. "--get nngp --dtype float32 --x2 test.npy"

hosts=()
[[ -n "${PARALLEL_HOSTS:-}" ]] && hosts=(--sshloginfile "$PARALLEL_HOSTS" --workdir "$PWD")
mkdir -p "$(dirname "$STORE")"
# Each shard uses all the cores it is given: with JOBS shards per machine, give each its share.
threads=$(( $(nproc) / JOBS )); (( threads >= 1 )) || threads=1

# --retries reruns a failed shard (it resumes where it stopped); --joblog records every attempt; -q passes each
# argument through unchanged (architectures contain '>'). A failure is reported by the status below, not here.
# shellcheck disable=SC2086
seq 0 $((SHARDS - 1)) | parallel -q --jobs "$JOBS" --retries 2 --halt never --joblog "$STORE.joblog" "${hosts[@]}" \
  env DOTNET_PROCESSOR_COUNT="$threads" OPENBLAS_NUM_THREADS="$threads" $TANGENT kernel --arch "$ARCH" --x1 "$X1" $EXTRA \
  --store "$STORE" --tile "$TILE" --shard {}/"$SHARDS" --quiet || true

"$TANGENT" store status "$STORE" --verify
if [[ -n "$OUT" ]]; then "$TANGENT" store merge "$STORE" --out "$OUT"; fi
