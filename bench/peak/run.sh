#!/bin/sh
# Builds bench/peak/fma_peak.c into bench/target/ and runs it: the machine's fp32 FMA peak,
# one thread and one thread per core. Arguments (optional): iterations per run, runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../target"
mkdir -p "$out"
gcc -O3 -march=native -fopenmp -o "$out/fma_peak" "$here/fma_peak.c"
exec "$out/fma_peak" "$@"
