using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using TraceLog = Microsoft.Diagnostics.Tracing.Etlx.TraceLog;

// GcTrace TRACE.nettrace [TOP]: from a trace of the runtime's GC events (keyword 0x1, level 5), each collection (when, what
// kind, its pause, what it promoted and through which roots) and the sampled allocations (GCAllocationTick, one per ~100 KB)
// by type and by the first frames of their stacks. PerfView reads the same events; this prints them as text beside the
// bench's own output. TraceEvent's GC analysis does the bookkeeping.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: GcTrace TRACE.nettrace [TOP]");
    return 2;
}

var top = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using var log = new TraceLog(etlx);
using var source = log.Events.GetSource();
var start = log.SessionStartTime.ToUniversalTime();
var byType = new Dictionary<string, long>();
var byStack = new Dictionary<string, long>();
source.Clr.GCAllocationTick += tick =>
{
    var type = tick.TypeName + (tick.AllocationKind == GCAllocationKind.Large ? " (large object heap)" : "");
    byType[type] = byType.GetValueOrDefault(type) + tick.AllocationAmount64;
    var frames = new List<string>();
    for (var frame = tick.CallStack(); frame is not null && frames.Count < 6; frame = frame.Caller)
    {
        frames.Add(frame.CodeAddress.FullMethodName is { Length: > 0 } name ? name : frame.CodeAddress.ModuleName + "!?");
    }

    var key = type + "\n      " + string.Join("\n      ", frames);
    byStack[key] = byStack.GetValueOrDefault(key) + tick.AllocationAmount64;
};
source.NeedLoadedDotNetRuntimes();
source.Process();

foreach (var process in source.Processes())
{
    if (process.LoadedDotNetRuntime() is not { } runtime)
    {
        continue;
    }

    Console.WriteLine($"process {process.ProcessID}: {runtime.GC.GCs.Count} collections");
    Console.WriteLine("| UTC | # | gen | kind | pause ms | suspend ms | promoted MB | through the older generation's cards, MB | heap before → after MB | gen1 / gen2 after MB |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    foreach (var gc in runtime.GC.GCs)
    {
        // MarkRootType.MarkOlder: what the objects of older generations point to (cards), summed over the heaps.
        var throughCards = gc.PerHeapMarkTimes?.Values.Sum(heap => heap.MarkPromoted.Length > (int)MarkRootType.MarkOlder ? heap.MarkPromoted[(int)MarkRootType.MarkOlder] : 0) ?? 0;
        Console.WriteLine($"| {start.AddMilliseconds(gc.StartRelativeMSec):HH:mm:ss.f} | {gc.Number} | {gc.Generation} | {gc.Type} | {gc.PauseDurationMSec:F0} | {gc.SuspendDurationMSec:F1} | "
            + $"{gc.PromotedMB:F0} | {throughCards / 1e6:F0} | {gc.HeapSizeBeforeMB:F0} → {gc.HeapSizeAfterMB:F0} | {gc.GenSizeAfterMB(Gens.Gen1):F0} / {gc.GenSizeAfterMB(Gens.Gen2):F0} |");
    }
}

Console.WriteLine($"\nsampled allocations: {byType.Values.Sum() / 1e6:F0} MB");
foreach (var (type, bytes) in byType.OrderByDescending(kv => kv.Value).Take(top))
{
    Console.WriteLine($"{bytes / 1e6,8:F1} MB {type}");
}

Console.WriteLine("\nby stack (the allocating frame first):");
foreach (var (stack, bytes) in byStack.OrderByDescending(kv => kv.Value).Take(top))
{
    Console.WriteLine($"{bytes / 1e6,8:F1} MB {stack}");
}

return 0;
