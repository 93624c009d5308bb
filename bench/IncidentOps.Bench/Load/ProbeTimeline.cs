using System.Globalization;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench.Load;

/// <summary>
/// Where one new incident's time went, from its POST to the probe seeing its fourth agent COMPLETED, read afterwards from the
/// incident's timeline in Redis (each entry's id is the <c>ops:events</c> id, i.e. Redis's clock in ms; the bench runs on the
/// same machine, so its clock is the same one): the POST until the incident was committed (with its urgent work item, in the
/// same script), until the worker wrote the detection phase's first state (queue wait, pick-up, lease, reads), each phase
/// from its first state to COMPLETED, the gaps between phases, and from the last COMPLETED to the probe noticing.
/// </summary>
public sealed record ProbeTimeline(double PostToOpenedMs, double OpenedToPickedUpMs, IReadOnlyDictionary<AgentPhase, double> PhaseMs, double BetweenPhasesMs, double CompletedToSeenMs)
{
    public static readonly string[] Stages = ["POST → committed", "committed → detection started", "detection", "diagnosis", "prediction", "resolution", "between phases", "last COMPLETED → seen"];

    public IEnumerable<double> Values =>
        [PostToOpenedMs, OpenedToPickedUpMs, .. Enum.GetValues<AgentPhase>().Select(p => PhaseMs.GetValueOrDefault(p, double.NaN)), BetweenPhasesMs, CompletedToSeenMs];

    /// <summary>Reads the incident's timeline; null when it does not show all four phases COMPLETED.</summary>
    public static async Task<ProbeTimeline?> ReadAsync(IDatabase db, string incidentId, DateTimeOffset posted, DateTimeOffset seen)
    {
        if (await FirstAnalysisAsync(db, incidentId) is not { } first)
        {
            return null;
        }

        var (opened, phases) = first;
        var last = phases.Max(p => p.End);
        var working = phases.Sum(p => p.End - p.Start);
        return new ProbeTimeline(
            opened - posted.ToUnixTimeMilliseconds(),
            phases[0].Start - opened,
            phases.ToDictionary(p => p.Phase, p => p.End - p.Start),
            last - phases[0].Start - working,
            seen.ToUnixTimeMilliseconds() - last);
    }

    /// <summary>
    /// When the incident opened and, per phase, when its first analysis started and first COMPLETED it (ms, Redis's clock);
    /// null when the timeline does not show all four. Reads the first <paramref name="entries"/> of the timeline only
    /// (a storm's incident gathers thousands of alert entries after its first analysis).
    /// </summary>
    public static async Task<(double Opened, List<(AgentPhase Phase, double Start, double End)> Phases)?> FirstAnalysisAsync(IDatabase db, string incidentId, int entries = 2_000)
    {
        var events = (await db.ListRangeAsync(RedisKeys.Timeline(incidentId), 0, entries - 1))
            .Select(e => e.ToString())
            .Where(e => e.Contains(EventTypes.AgentStateChanged, StringComparison.Ordinal) || e.Contains(EventTypes.IncidentOpened, StringComparison.Ordinal))
            .Select(OpsJson.Deserialize<OpsEvent>)
            .ToList();
        var opened = events.FirstOrDefault(e => e.Type == EventTypes.IncidentOpened);
        var states = events.Where(e => e.Type == EventTypes.AgentStateChanged)
            .Select(e => (At: Ms(e.Id), Phase: e.Data.GetProperty("phase").Deserialize<AgentPhase>(OpsJson.Options), State: e.Data.GetProperty("state").Deserialize<AgentState>(OpsJson.Options)))
            .ToList();
        var phases = Enum.GetValues<AgentPhase>()
            .Select(p => (Phase: p, Start: states.Where(s => s.Phase == p).Select(s => s.At).DefaultIfEmpty(double.NaN).Min(),
                End: states.Where(s => s.Phase == p && s.State == AgentState.Completed).Select(s => s.At).DefaultIfEmpty(double.NaN).Min()))
            .ToList();
        return opened is null || phases.Any(p => double.IsNaN(p.Start) || double.IsNaN(p.End)) ? null : (Ms(opened.Id), phases);
    }

    /// <summary>A table of p50 and max per stage over the probes.</summary>
    public static void Print(TextWriter output, string title, IReadOnlyList<ProbeTimeline> timelines)
    {
        if (timelines.Count == 0)
        {
            return;
        }

        output.WriteLine($"  {title} ({timelines.Count} incidents), ms:");
        output.WriteLine($"| stage | {string.Join(" | ", Stages)} |");
        output.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" --- |", Stages.Length))}");
        var columns = Enumerable.Range(0, Stages.Length).Select(i => timelines.Select(t => t.Values.ElementAt(i)).Where(v => !double.IsNaN(v)).Order().ToList()).ToList();
        output.WriteLine($"| p50 | {string.Join(" | ", columns.Select(c => Machine.Ms(Percentiles.Of(c, 50))))} |");
        output.WriteLine($"| max | {string.Join(" | ", columns.Select(c => Machine.Ms(c.LastOrDefault(double.NaN))))} |");
    }

    private static double Ms(string streamId) => double.Parse(streamId.AsSpan(0, streamId.IndexOf('-')), CultureInfo.InvariantCulture);
}
