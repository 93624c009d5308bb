#!/bin/bash
# fanout-run.sh OUT ROOT [extra fanout args...]: one warm fanout run (5,000 screens, 50 alerts/s, agents on, --warm-up 30)
# of the build in ROOT under the heavy lock, writing OUT.txt (uptime before and after, the bench's output, the machine's
# busy cores over the run from /proc/stat), OUT.counters.csv (dotnet-counters System.Runtime of the API each second:
# GC collections and pauses, allocation, JIT time; the version in bench/perf/dotnet-tools.json, restored here) and
# OUT.proc (each second: epoch, the bench's phase (0 setting up, 1 subscribed and warming, 2 the measured window,
# 3 after), the API's minor and major faults, user and system ticks, resident KiB). bench/README.md, "Fan-out, session 17". With `--published DIR` among
# the extra args the API is started (and found) at DIR/IncidentOps.Api/IncidentOps.Api.dll, e.g. a ReadyToRun publish
# (bench/README.md, "ReadyToRun, session 19").
# FANOUT_LOCK_HELD=1: the caller already holds the lock (a series of runs under one hold). FANOUT_GC_TRACE=1: also record
# the API's GC events into OUT.nettrace (dotnet-trace, its first 156 s; bench/perf/gc-trace.sh reads them).
out=$(realpath -m "$1"); root=$2; shift 2
perf=$(cd "$(dirname "$0")" && pwd)
(cd "$perf" && dotnet tool restore > /dev/null) || echo "dotnet-counters not restored: the GC columns will be empty" >&2
export FANOUT_PERF_DIR=$perf
lock=(flock /work/heavy.lock); [ -n "${FANOUT_LOCK_HELD:-}" ] && lock=()
exec "${lock[@]}" bash -c '
out=$1; root=$2; shift 2
api=$root/IncidentOps.Api/bin/Release/net10.0
prev=; for a in "$@"; do [ "$prev" = --published ] && [ -f "$a/IncidentOps.Api/IncidentOps.Api.dll" ] && api=$(realpath "$a")/IncidentOps.Api; prev=$a; done
echo "start $(date -u +%T) $(uptime)" > $out.txt
read -r _ u n s i w x y z _ < /proc/stat; b0=$((u+n+s+x+y+z)); t0=$((b0+i+w))
dotnet run -c Release --no-build --project $root/bench/IncidentOps.Bench -- fanout --subscribers 5000 --seconds 10 --rate 50 --burst 200 --agents true --hub-apart false --warm-up 30 --root $root "$@" >> $out.txt 2>&1 &
bench=$!
pid=
while kill -0 $bench 2>/dev/null && [ -z "$pid" ]; do pid=$(pgrep -f "^dotnet $api/IncidentOps.Api.dll" | head -1); sleep 0.2; done
if [ -n "$pid" ]; then
  (cd $FANOUT_PERF_DIR && exec dotnet tool run dotnet-counters -- collect -p $pid --refresh-interval 1 --format csv --counters System.Runtime -o $out.counters.csv) > /dev/null 2>&1 &
  counters=$!
  trace=
  if [ -n "${FANOUT_GC_TRACE:-}" ]; then
    # Keyword 0x1 at level 5: each collection, and an allocation tick with its stack per ~100 KB allocated. It must end
    # before the bench stops the API (a trace cut short cannot be read): 156 s is a 90 s warm-up and the 60 s window.
    (cd $FANOUT_PERF_DIR && exec dotnet tool run dotnet-trace -- collect -p $pid --providers Microsoft-Windows-DotNETRuntime:0x1:5 --duration 00:00:02:36 -o $out.nettrace) > $out.trace.log 2>&1 &
    trace=$!
  fi
  while kill -0 $bench 2>/dev/null && [ -r /proc/$pid/stat ]; do
    phase=0
    grep -q "connected and subscribed" $out.txt && phase=1
    grep -q "before the measured window" $out.txt && phase=2
    grep -q "load average after" $out.txt && phase=3
    st=$(sed "s/.*) //" /proc/$pid/stat 2>/dev/null) && echo "$(date +%s.%N) $phase $(echo $st | awk "{print \$8, \$10, \$12, \$13}") $(awk "/VmRSS/{print \$2}" /proc/$pid/status 2>/dev/null)" >> $out.proc
    sleep 1
  done
  kill $counters 2>/dev/null
  [ -n "$trace" ] && wait $trace
fi
wait $bench; rc=$?
read -r _ u n s i w x y z _ < /proc/stat; b1=$((u+n+s+x+y+z)); t1=$((b1+i+w))
echo "end $(date -u +%T) $(uptime) busy $(python3 -c "print(round(2*($b1-$b0)/($t1-$t0),2))") rc $rc" >> $out.txt
' fanout-run "$out" "$root" "$@"
