#!/bin/bash
# record-api.sh BENCH_OUTPUT PERF_DATA [SECONDS] [AFTER]: samples the API's CPU with call stacks while a fanout bench runs.
# Waits until the bench's output (written to BENCH_OUTPUT) holds AFTER ("connected and subscribed": the clients are
# subscribed; with fanout --warm-up, "before the measured window" records the warm window), then records the API process
# (perf, 499 Hz; Debian: apt-get install linux-perf) for SECONDS (8). Run the bench with --api-setting DOTNET_PerfMapEnabled=1 and
# --api-setting DOTNET_EnableWriteXorExecute=0, or perf cannot name the JIT's code (bench/README.md, "Fan-out, session 15").
set -euo pipefail
output=$1; data=$2; seconds=${3:-8}; after=${4:-connected and subscribed}
until grep -q "$after" "$output" 2>/dev/null; do sleep 0.5; done
pid=$(pgrep -f "^dotnet .*IncidentOps.Api.dll" | head -1) # the API itself, not a script whose arguments name it
sleep 1
perf record -F 499 -g -p "$pid" -o "$data" -- sleep "$seconds"
