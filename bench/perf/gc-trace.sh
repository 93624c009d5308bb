#!/bin/bash
# gc-trace.sh OUT ROOT [extra fanout args...]: fanout-run.sh (bench/README.md, "Fan-out, session 17") with a trace of the
# API's garbage collector beside it: dotnet-trace (bench/perf/dotnet-tools.json) records the runtime's GC events with
# their stacks (keyword 0x1 at level 5: each collection, and an allocation tick per ~100 KB allocated) for the first 156 s
# of the API (a warm-up of 90 s and a 60 s window: the trace must end before the bench stops the API, or it is cut short),
# and GcTrace (bench/perf/gc-trace) prints each collection's pause and what it promoted, and the allocations by type and
# stack, into OUT.gc.txt. The trace costs the API some CPU: take latencies from runs without it.
out=$(realpath -m "$1"); root=$2; shift 2
perf=$(cd "$(dirname "$0")" && pwd)
(cd "$perf" && dotnet tool restore > /dev/null) || { echo "dotnet-trace not restored" >&2; exit 1; }
lock=(flock /work/heavy.lock); [ -n "${FANOUT_LOCK_HELD:-}" ] && lock=()
"${lock[@]}" dotnet build -c Release "$perf/gc-trace" -nologo -clp:ErrorsOnly > /dev/null || { echo "GcTrace did not build" >&2; exit 1; }
bash "$perf/fanout-run.sh" "$out" "$root" --seconds 60 --warm-up 90 "$@" &
run=$!
api=$root/IncidentOps.Api/bin/Release/net10.0
pid=
while kill -0 $run 2>/dev/null && [ -z "$pid" ]; do pid=$(pgrep -f "^dotnet $api/IncidentOps.Api.dll" | head -1); sleep 0.5; done
[ -n "$pid" ] && (cd "$perf" && exec dotnet tool run dotnet-trace -- collect -p $pid --providers Microsoft-Windows-DotNETRuntime:0x1:5 \
  --duration 00:00:02:36 -o "$out.nettrace") > "$out.trace.log" 2>&1 &
wait $run
wait
dotnet "$perf/gc-trace/bin/Release/net10.0/GcTrace.dll" "$out.nettrace" > "$out.gc.txt" 2>&1
echo "collections and allocations: $out.gc.txt"
