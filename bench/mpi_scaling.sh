#!/bin/sh
# 2 local MPI ranks against 1 process on a run and on a sweep (docs/performance.md, "Under
# mpirun"). Prints each configuration's wall times and their median. Usage:
#   bench/mpi_scaling.sh build/tools/salesim [repeats]
set -eu
S=${1:-build/tools/salesim}
N=${2:-5}
SC=$(dirname "$0")/../scenarios/nexacorp.yaml
OUT=$(mktemp -d)
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
MPI="mpirun --allow-run-as-root -np 2"
RUN="run $SC --paths 2000 --quiet --json $OUT/r.json"
SWEEP="sweep $SC --plan push-activity --vary prospecting.target_hours=8:18:2 --paths 1000 --quiet -o $OUT/s.h5"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_of() {  # seconds of wall time of "$@"
  t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
  awk "BEGIN { printf \"%.2f\", $t1 - $t0 }"
}
for what in RUN SWEEP; do
  eval args=\$$what
  for config in "1 rank, 1 thread" "1 rank, 2 threads" "2 ranks, 1 thread each"; do
    times=""
    for i in $(seq "$N"); do
      case $config in
        "1 rank, 1 thread") t=$(time_of $S $args --threads 1) ;;
        "1 rank, 2 threads") t=$(time_of $S $args --threads 2) ;;
        *) t=$(time_of $MPI $S $args) ;;
      esac
      times="$times $t"
    done
    med=$(echo $times | tr ' ' '\n' | median)
    echo "$what | $config | median $med s | runs:$times"
  done
done
rm -rf "$OUT"
