#!/bin/bash
# gc-trace.sh OUT ROOT [extra fanout args...]: a fanout-run.sh run (bench/README.md, "Fan-out, session 17") with a trace of
# the API's garbage collector beside it (FANOUT_GC_TRACE: dotnet-trace, bench/perf/dotnet-tools.json, the GC events with
# their stacks for the API's first 156 s), and GcTrace (bench/perf/gc-trace) printing each collection's pause and what it
# promoted, and the allocations by type and stack, into OUT.gc.txt. The trace costs the API some CPU: take latencies from
# runs without it.
out=$(realpath -m "$1"); root=$2; shift 2
perf=$(cd "$(dirname "$0")" && pwd)
lock=(flock /work/heavy.lock); [ -n "${FANOUT_LOCK_HELD:-}" ] && lock=()
"${lock[@]}" dotnet build -c Release "$perf/gc-trace" -nologo -clp:ErrorsOnly > /dev/null || { echo "GcTrace did not build" >&2; exit 1; }
FANOUT_GC_TRACE=1 bash "$perf/fanout-run.sh" "$out" "$root" --seconds 60 --warm-up 90 "$@" || exit
dotnet "$perf/gc-trace/bin/Release/net10.0/GcTrace.dll" "$out.nettrace" > "$out.gc.txt" 2>&1
echo "collections and allocations: $out.gc.txt"
