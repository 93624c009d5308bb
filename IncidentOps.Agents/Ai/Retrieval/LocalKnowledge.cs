using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>
/// The local engine's search: the shipped runbooks plus resolved incidents (with what the agents concluded
/// about them), in one Lucene index rebuilt at most every <see cref="RetrievalOptions.RefreshSeconds"/>.
/// </summary>
public sealed class LocalKnowledge(IncidentStore store, IOptions<AiOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private KnowledgeIndex? _index;
    private DateTimeOffset _builtAt;
    private IReadOnlyList<Runbook>? _runbooks;

    private RetrievalOptions Settings => options.Value.Retrieval;

    public IReadOnlyList<Runbook> Runbooks => _runbooks ??= Runbook.LoadFolder(
        Path.IsPathRooted(Settings.RunbookFolder) ? Settings.RunbookFolder : Path.Combine(AppContext.BaseDirectory, Settings.RunbookFolder));

    public async Task<RetrievedKnowledge> SearchAsync(string query, int? max, CancellationToken cancellationToken)
    {
        var index = await IndexAsync(cancellationToken);
        var all = index.Search(query, max ?? Settings.MaxResults);
        var good = all.Where(m => m.Score >= Settings.MinScore).ToList();
        return new RetrievedKnowledge(good, good.Count == 0, "local", Settings.MinScore);
    }

    public Runbook? RunbookOf(RetrievalMatch match) =>
        match.Kind == RetrievalKind.Runbook ? Runbooks.FirstOrDefault(r => $"runbook:{r.File}" == match.Source) : null;

    public void Dispose()
    {
        _index?.Dispose();
        _rebuild.Dispose();
    }

    private async Task<KnowledgeIndex> IndexAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_index is { } fresh && now - _builtAt < TimeSpan.FromSeconds(Settings.RefreshSeconds))
        {
            return fresh;
        }

        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            if (_index is { } built && now - _builtAt < TimeSpan.FromSeconds(Settings.RefreshSeconds))
            {
                return built;
            }

            var documents = Runbooks.Select(r => new KnowledgeDocument(
                RetrievalKind.Runbook, r.Title, $"runbook:{r.File}", r.Text, Snippet(r.Text))).ToList();
            documents.AddRange(await ResolvedIncidentsAsync());
            // The previous index is not disposed here: a search may still be reading it. It holds only
            // managed memory (RAMDirectory), so the GC reclaims it once the last reader lets go.
            _index = new KnowledgeIndex(documents);
            _builtAt = now;
            return _index;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    private async Task<List<KnowledgeDocument>> ResolvedIncidentsAsync()
    {
        var resolved = new List<Incident>();
        await foreach (var incident in store.AllAsync())
        {
            if (incident.Status is IncidentStatus.Resolved or IncidentStatus.Closed)
            {
                resolved.Add(incident);
            }
        }

        var documents = new List<KnowledgeDocument>();
        foreach (var incident in resolved.OrderByDescending(i => i.DetectedAt).Take(Settings.MaxIncidents))
        {
            var runs = await store.GetRunsAsync(incident.Id);
            var conclusions = runs.Values
                .Where(r => r.Result is { } result && result.TryGetProperty("summary", out _))
                .Select(r => $"{r.Phase}: {r.Result!.Value.GetProperty("summary").GetString()}")
                .ToList();
            var minutes = incident.ResolvedAt is { } at ? $" Resolved in {(at - incident.DetectedAt).TotalMinutes:0} min." : string.Empty;
            var text = string.Join('\n', incident.Alerts.Select(a => $"{a.Summary} {string.Join(' ', a.Labels.Values)} {string.Join(' ', a.Annotations.Values)}").Concat(conclusions));
            documents.Add(new KnowledgeDocument(
                RetrievalKind.ResolvedIncident, incident.Title, $"incident:{incident.Id}", text,
                (conclusions.Count > 0 ? string.Join(" ", conclusions) : incident.Title) + minutes));
        }

        return documents;
    }

    private static string Snippet(string markdown)
    {
        var paragraph = markdown.Split("\n\n").Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#')) ?? string.Empty;
        return paragraph.Length <= 300 ? paragraph : paragraph[..297] + "...";
    }
}
