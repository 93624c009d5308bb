using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>
/// The local engine's search: the shipped runbooks plus resolved incidents (with what the agents concluded about them)
/// in one Lucene index. It is built once, from the newest <see cref="RetrievalOptions.MaxIncidents"/> resolved incidents;
/// after that it follows <c>ops:events</c> from where the build started, at most every <see cref="RetrievalOptions.RefreshSeconds"/>,
/// and indexes each incident resolved or closed since on its own: a search never waits for a rebuild. It never holds
/// more than <see cref="RetrievalOptions.MaxIncidents"/> incidents: each new one past that lets the oldest go.
/// </summary>
public sealed class LocalKnowledge(IncidentStore store, OpsEventLog events, IOptions<AiOptions> options, TimeProvider time) : IDisposable
{
    private const int EventPage = 1_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KnowledgeIndex? _index;
    private StreamId _cursor = StreamId.Zero;
    private DateTimeOffset _caughtUpAt;
    private IReadOnlyList<Runbook>? _runbooks;

    private RetrievalOptions Settings => options.Value.Retrieval;

    public IReadOnlyList<Runbook> Runbooks => _runbooks ??= Runbook.LoadFolder(
        Path.IsPathRooted(Settings.RunbookFolder) ? Settings.RunbookFolder : Path.Combine(AppContext.BaseDirectory, Settings.RunbookFolder));

    /// <summary>How many documents (runbooks and resolved incidents) the index holds; 0 before the first search builds it.</summary>
    public int Count => _index?.Count ?? 0;

    public async Task<RetrievedKnowledge> SearchAsync(string query, int? max, CancellationToken cancellationToken)
    {
        var index = await CurrentAsync(cancellationToken);
        var good = index.Search(query, max ?? Settings.MaxResults, Settings.MinScore);
        return new RetrievedKnowledge(good, good.Count == 0, "local", Settings.MinScore);
    }

    public Runbook? RunbookOf(RetrievalMatch match) =>
        match.Kind == RetrievalKind.Runbook ? Runbooks.FirstOrDefault(r => $"runbook:{r.File}" == match.Source) : null;

    public void Dispose()
    {
        _index?.Dispose();
        _gate.Dispose();
    }

    /// <summary>The index, built on first use and caught up with the incidents resolved since (one caller catches up; the others search what is there).</summary>
    private async Task<KnowledgeIndex> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_index is { } ready && (now - _caughtUpAt < TimeSpan.FromSeconds(Settings.RefreshSeconds) || _gate.CurrentCount == 0))
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_index is not null && now - _caughtUpAt >= TimeSpan.FromSeconds(Settings.RefreshSeconds) && await events.TrimmedAfterAsync(_cursor))
            {
                // Retention trimmed ops:events past the cursor: the resolutions in between cannot be read, so rebuild
                // from the stored incidents (a resync). The old index is not disposed: a concurrent search may hold it.
                _index = null;
            }

            if (_index is null)
            {
                // The cursor is taken before the scan: an incident resolved during it is indexed twice (an upsert), never missed.
                _cursor = StreamId.Parse(await events.LastIdAsync());
                _index = new KnowledgeIndex([.. Runbooks.Select(ToDocument), .. await ResolvedIncidentsAsync()], Settings.MaxIncidents);
            }
            else if (now - _caughtUpAt >= TimeSpan.FromSeconds(Settings.RefreshSeconds))
            {
                await CatchUpAsync(_index);
            }

            _caughtUpAt = now;
            return _index;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpAsync(KnowledgeIndex index)
    {
        var changed = false;
        while (true)
        {
            var page = await events.ReadAfterAsync(_cursor, EventPage);
            foreach (var evt in page.Where(e => e.IncidentId is not null && e.Type is EventTypes.IncidentResolved or EventTypes.IncidentClosed))
            {
                if (await store.GetAsync(evt.IncidentId!) is { Status: IncidentStatus.Resolved or IncidentStatus.Closed } incident)
                {
                    index.Upsert(await ToDocumentAsync(incident));
                    changed = true;
                }
            }

            if (page.Count > 0)
            {
                _cursor = StreamId.Parse(page[^1].Id);
            }

            if (page.Count < EventPage)
            {
                break;
            }
        }

        if (changed)
        {
            index.Refresh();
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
        // The newest MaxIncidents, given to the index oldest first (the order in which it lets them go past its cap).
        foreach (var incident in resolved.OrderByDescending(i => i.DetectedAt).Take(Settings.MaxIncidents).Reverse())
        {
            documents.Add(await ToDocumentAsync(incident));
        }

        return documents;
    }

    private async Task<KnowledgeDocument> ToDocumentAsync(Incident incident)
    {
        var runs = await store.GetRunsAsync(incident.Id);
        var conclusions = runs.Values
            .Where(r => r.Result is { ValueKind: System.Text.Json.JsonValueKind.Object } result && result.TryGetProperty("summary", out _))
            .Select(r => $"{r.Phase}: {r.Result!.Value.GetProperty("summary").GetString()}")
            .ToList();
        var minutes = incident.ResolvedAt is { } at ? $" Resolved in {(at - incident.DetectedAt).TotalMinutes:0} min." : string.Empty;
        var text = string.Join('\n', incident.Alerts.Select(a => $"{a.Summary} {string.Join(' ', a.Labels.Values)} {string.Join(' ', a.Annotations.Values)}").Concat(conclusions));
        return new KnowledgeDocument(
            RetrievalKind.ResolvedIncident, incident.Title, $"incident:{incident.Id}", text,
            (conclusions.Count > 0 ? string.Join(" ", conclusions) : incident.Title) + minutes);
    }

    private static KnowledgeDocument ToDocument(Runbook runbook) =>
        new(RetrievalKind.Runbook, runbook.Title, $"runbook:{runbook.File}", runbook.Text, Snippet(runbook.Text));

    private static string Snippet(string markdown)
    {
        var paragraph = markdown.Split("\n\n").Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#')) ?? string.Empty;
        return paragraph.Length <= 300 ? paragraph : paragraph[..297] + "...";
    }
}
