#!/usr/bin/env python3
"""fanout-table.py OUT...: one markdown row per run of fanout-run.sh (OUT named HHMMSS-LABEL; its .txt, .proc and
.counters.csv): the bench's figures, and from the counters and /proc the GC, JIT and page faults of the measured window
(bench/README.md, "Fan-out, session 17", names the columns; session 18 added the load generator's own stalls: its GC
collections, pause and how late a 5 ms wake-up came, p99 and max)."""
import csv, re, sys, os, datetime

def f(pat, s, g=1, default='?'):
    m = re.search(pat, s)
    return m.group(g) if m else default

def proc_window(path):
    # lines: epoch phase minflt majflt utime stime rsskB; window = first sample of phase 2 .. first sample of phase 3
    rows = [l.split() for l in open(path)] if os.path.exists(path) else []
    rows = [r for r in rows if len(r) >= 7]
    # a cold run (--warm-up 0) prints no warm-up line: its window opens once the clients are subscribed (phase 1)
    p2 = next((r for r in rows if r[1] == '2'), None) or next((r for r in rows if r[1] == '1'), None)
    p3 = next((r for r in rows if r[1] == '3'), None)
    if not p2 or not p3:
        return None
    dt = float(p3[0]) - float(p2[0])
    tck = os.sysconf('SC_CLK_TCK')
    p1 = next((r for r in rows if r[1] == '1'), None)
    return dict(tw=float(p1[0]) if p1 else float(p2[0]), t0=float(p2[0]), t1=float(p3[0]), dt=dt, minflt=(int(p3[2]) - int(p2[2])) / dt,
                cpu=((int(p3[4]) + int(p3[5])) - (int(p2[4]) + int(p2[5]))) / tck / dt,
                sys=(int(p3[5]) - int(p2[5])) / tck / dt)

def counter_rows(path):
    # every sample of the counters file once: (epoch seconds, counter name, value); names of .NET 9+ System.Runtime meter
    if not os.path.exists(path):
        return None
    rows = []
    with open(path) as fh:
        for row in csv.DictReader(fh):
            try:
                ts = datetime.datetime.strptime(row['Timestamp'][:19], '%m/%d/%Y %H:%M:%S').replace(tzinfo=datetime.timezone.utc).timestamp()
                rows.append((ts, row['Counter Name'], float(row['Mean/Increment'])))
            except Exception:
                continue
    return rows

def counters(rows, t0, t1):
    # the samples between t0 and t1 (epoch seconds), by counter name
    if rows is None:
        return None
    out = {}
    for ts, name, v in rows:
        if t0 <= ts <= t1:
            out.setdefault(name, []).append(v)
    return out

for prefix in sys.argv[1:]:
    prefix = prefix.removesuffix('.txt')
    s = open(prefix + '.txt').read()
    label = os.path.basename(prefix).split('-', 1)[1]
    start = f(r'^start (\S+)', s); l0 = f(r'^start .*load average: ([\d.]+)', s)
    l1 = f(r'\nend .*load average: ([\d.]+)', s); busy = f(r' busy ([\d.]+)', s)
    st = re.search(r'\| [\d.]+/s for \d+ s \| \d+ \| (\w+) \| (\d+) \| (\d+) \| (\d+) \|', s)
    bu = re.search(r'\| burst \| \d+ \| \w+ in ([\d.]+) s \| (\d+) \| (\d+) \|', s)
    post = re.search(r'watch: p50 (\d+) ms, p99 (\d+) ms', s)
    cpu = re.search(r'load generator \(these clients \+ the POSTs\) ([\d.]+) cores, API ([\d.]+), hub process = API, agents ([\d.]+)', s)
    work = re.search(r'([\d.]+) frames per client per second, ([\d.]+) events per frame; .*?, ([\d.]+) µs per frame', s)
    peak = f(r'peak (\d+ MiB)', s)
    ok = re.search(r'alerts missed: (\d+); events out of order or doubled: (\d+); resyncs of reading clients: (\d+)', s)
    failed = f(r'\(timeouts, 503\): (\d+)', s)
    pw = proc_window(prefix + '.proc')
    rows = counter_rows(prefix + '.counters.csv') if pw else None
    c = counters(rows, pw['t0'], pw['t1']) if pw else None
    cw = counters(rows, pw['tw'] + 3, pw['t1']) if pw else None
    gcw = '?'
    if cw:
        ps = [v for k, vs in cw.items() if k.startswith('dotnet.gc.pause.time') for v in vs]
        n = sum(v for k, vs in cw.items() if k.startswith('dotnet.gc.collections') for v in vs)
        gcw = f"{n:.0f}; {sum(ps)*1000:.0f} ms, max {max(ps, default=0)*1000:.0f}"
    gc = '?'; jit = '?'
    if c:
        def tot(key):
            return sum(v for k, vs in c.items() if k.startswith(key) for v in vs)
        g0 = tot('dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen0]'); g1 = tot('dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen1]'); g2 = tot('dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen2]')
        pause = tot('dotnet.gc.pause.time')
        alloc = tot('dotnet.gc.heap.total_allocated')
        gc = f"{g0:.0f}/{g1:.0f}/{g2:.0f}; {pause*1000/pw['dt']:.0f} ms/s; {alloc/pw['dt']/2**20:.0f} MiB/s"
        jit = f"{tot('dotnet.jit.compilation.time')*1000/pw['dt']:.0f}"
    stall = re.search(r"own stalls .*?: GC ([\d/]+) \(gen0/1/2\), paused (\d+) ms in all; a 5 ms wake-up late by p50 [\d.]+ / p99 ([\d.]+) ms, \d+ times by 50 ms or more, longest (\d+) ms", s)
    stalls = f"{stall.group(1)}; {stall.group(2)} ms; p99 {stall.group(3)}, max {stall.group(4)} ms" if stall else '–'
    flt = f"{pw['minflt']:.0f}/s; {pw['cpu']:.2f} ({pw['sys']:.2f} sys)" if pw else '?'
    clean = ok is not None and ok.groups() == ('0', '0', '0') and failed == '0' and st.group(1) == 'yes'
    verdict = 'ok' if clean else 'CHECK: ' + (ok.group(0) if ok else 'no delivery line') + ', failed ' + failed
    print(f"| {start} ({l0} → {l1}; {busy}) | {label} | {st.group(2)} / **{st.group(3)}** / {st.group(4)} | {bu.group(1)} s; {bu.group(3)} | {post.group(1)} / {post.group(2)} | "
          f"{cpu.group(2)} / {cpu.group(3)} / {cpu.group(1)} | {work.group(1)}; {work.group(3)} | {gc} | {gcw} | {jit} | {flt} | {peak} | {stalls} | {verdict} |")
