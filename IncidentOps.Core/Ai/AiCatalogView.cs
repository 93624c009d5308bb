namespace IncidentOps.Core.Ai;

/// <summary>
/// The pure merge behind the catalog listing: every <see cref="AiCatalog"/> entry, its configuration as the agents
/// published it, and the usage of the models it covers. No I/O, so each state can be tested without Redis.
/// </summary>
public static class AiCatalogView
{
    public static IReadOnlyList<AiCatalogStatus> Build(
        AiConfiguration? configuration,
        IReadOnlyList<AiModelUsage> usage,
        IReadOnlyDictionary<string, IReadOnlyList<AiHourPoint>> hoursByPair,
        IReadOnlyList<DateTimeOffset> hours) =>
        [.. AiCatalog.All.Select(entry => Status(entry, configuration?.Services.FirstOrDefault(s => s.Id == entry.Id), configuration is not null, usage, hoursByPair, hours))];

    private static AiCatalogStatus Status(
        AiCatalogEntry entry, AiConfiguredService? configured, bool reported, IReadOnlyList<AiModelUsage> usage,
        IReadOnlyDictionary<string, IReadOnlyList<AiHourPoint>> hoursByPair, IReadOnlyList<DateTimeOffset> hours)
    {
        // A routing tier is one model of bedrock-runtime; any other entry is its whole service.
        var mine = usage.Where(u => u.Service == entry.Service && (entry.Tier is null || u.Model == configured?.Model)).ToList();
        var series = hours.Select(hour =>
        {
            var points = mine.Select(m => hoursByPair.GetValueOrDefault($"{m.Service}|{m.Model}")?.FirstOrDefault(p => p.Hour == hour)).OfType<AiHourPoint>().ToList();
            return new AiHourPoint(hour, points.Sum(p => p.Calls), points.Sum(p => p.Errors), Math.Round(points.Sum(p => p.CostUsd), 6));
        }).ToList();
        var (state, reason) = StateOf(entry, configured, reported, mine);
        return new AiCatalogStatus(
            entry.Id, entry.Name, entry.Service, configured?.Model, state, reason, entry.Setting,
            Sum(mine.Select(m => m.LastHour)), Sum(mine.Select(m => m.AllTime)), series);
    }

    private static (string State, string Reason) StateOf(AiCatalogEntry entry, AiConfiguredService? configured, bool reported, List<AiModelUsage> usage)
    {
        if (!reported && entry.Service != AiServices.Local)
        {
            return (AiServiceStates.Unknown, "the agents worker has not reported its AI configuration yet");
        }

        if (entry.Service != AiServices.Local && configured is not { Configured: true })
        {
            return (AiServiceStates.NotConfigured, $"not configured: set {entry.Setting}");
        }

        if (usage.Count == 0)
        {
            return (AiServiceStates.Healthy, $"configured ({configured?.Detail ?? "always on"}); no calls yet");
        }

        var worst = usage.MaxBy(u => u.Health)!;
        var state = worst.Health switch
        {
            AiHealth.Down => AiServiceStates.Down,
            AiHealth.Degraded => AiServiceStates.Degraded,
            _ => AiServiceStates.Healthy,
        };
        return (state, usage.Count == 1 ? worst.HealthReason : $"{worst.Model}: {worst.HealthReason}");
    }

    public static AiUsageFigures Sum(IEnumerable<AiUsageFigures> figures)
    {
        var list = figures.ToList();
        return list.Count == 0
            ? AiUsageFigures.Empty
            : new AiUsageFigures(
                list.Sum(f => f.Calls), list.Sum(f => f.Errors), list.Sum(f => f.InputTokens), list.Sum(f => f.OutputTokens),
                Math.Round(list.Sum(f => f.CostUsd), 6),
                // Percentiles do not add: a group reports its slowest member's (said in the report's definitions).
                list.Max(f => f.LatencyP50Ms), list.Max(f => f.LatencyP95Ms), list.Sum(f => f.Fallbacks));
    }
}
