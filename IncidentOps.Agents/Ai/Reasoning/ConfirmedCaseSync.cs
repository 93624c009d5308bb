using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Brings the causes responders confirmed on resolve (<see cref="ConfirmedCases"/>, in Redis) into the case base before
/// each diagnosis, so the next incident that reads like a confirmed one finds it at once (on every worker, after a
/// restart too). Each confirmed incident is embedded once, as the engine reads an incident (<see cref="IncidentText.Semantic"/>).
/// </summary>
public sealed class ConfirmedCaseSync(ConfirmedCases confirmed, IncidentStore incidents, CaseBase cases) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _seen = -1;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var version = await confirmed.VersionAsync();
        if (version == Interlocked.Read(ref _seen))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var entry in await confirmed.AllAsync())
            {
                var source = $"confirmed:{entry.IncidentId}";
                if (cases.Has(source, entry.Category) || await incidents.GetAsync(entry.IncidentId) is not { } incident)
                {
                    continue;
                }

                cases.Add(new LabelledCase(entry.Category, entry.Remediation, IncidentText.Semantic(incident), source));
            }

            Interlocked.Exchange(ref _seen, version);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
