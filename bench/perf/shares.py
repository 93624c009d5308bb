"""shares.py PERF_DATA: the share of a process's CPU samples by thread and by what the stack was doing.

Reads `perf script` of a recording of the API (record-api.sh). A sample counts for a row when the row's marker is
anywhere on its stack, so rows overlap where a stack holds both (the tail's read holds its Publish). perf's own report
groups by leaf function; these rows are the hub's parts as bench/README.md names them ("Fan-out, session 15").
"""
import collections
import subprocess
import sys

ROWS = {
    "Kestrel's socket sends (SocketConnection.DoSend)": "SocketConnection+<DoSend>",
    "the WebSocket transport (WebSocketsServerTransport)": "WebSocketsServerTransport",
    "the tail queueing a frame (OpsEventBroadcaster.Publish)": "OpsEventBroadcaster::Publish",
    "the tail's read of ops:events, Publish included (ReadTracedAfterAsync)": "ReadTracedAfterAsync",
    "the screen form (ScreenEvents.For)": "ScreenEvents::For",
    "page faults of fresh memory": "exc_page_fault",
    "intake (Kestrel's HTTP requests)": "HttpProtocol",
    "OpenTelemetry": "OpenTelemetry",
    "byte copies in the kernel (_copy_from_iter)": "_copy_from_iter",
    "byte copies in user space (memmove)": "__memmove",
}

script = subprocess.run(["perf", "script", "-i", sys.argv[1]], capture_output=True, text=True, check=True).stdout
rows, threads, total, stack, thread = collections.Counter(), collections.Counter(), 0, [], ""
for line in script.splitlines() + [""]:
    if line.startswith((" ", "\t")):
        stack.append(line)
    elif line.strip():
        thread = line[:16].strip().rstrip("0123456789 ")
    elif stack:
        total += 1
        threads[thread] += 1
        text = "\n".join(stack)
        rows.update(name for name, marker in ROWS.items() if marker in text)
        stack = []

print(f"{total} samples")
for name, count in threads.most_common(8):
    print(f"{100 * count / total:5.1f} %  thread {name}")
for name in ROWS:
    print(f"{100 * rows[name] / total:5.1f} %  {name}")
