#!/usr/bin/env bash
# Submits SHARDS kernel shards as a job array (at most CONCURRENT at once) and a finishing job that runs when all
# of them have succeeded. Resubmitting after a failure resumes: the store keeps every verified tile.
#
#   ARCH=@spec.json X1=/scratch/train.npy STORE=/scratch/ntk SHARDS=64 OUT=/scratch/ntk.npy ./slurm-submit.sh
set -euo pipefail
: "${ARCH:?}" "${X1:?}" "${STORE:?}"
SHARDS=${SHARDS:-64}
CONCURRENT=${CONCURRENT:-16}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p logs
export ARCH X1 STORE
jid=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))%${CONCURRENT}" "$here/slurm-kernel.sbatch")
sbatch --export=ALL --dependency="afterok:${jid}" "$here/slurm-finish.sbatch"
echo "kernel array $jid: $SHARDS shards; watch with: tangent store status $STORE"
