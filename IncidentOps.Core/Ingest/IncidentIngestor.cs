using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// The Events v2 (PagerDuty-shaped) path: trigger goes through correlation; acknowledge moves the
/// incident that holds the alert; resolve resolves the alert, and the incident with its last alert
/// (PagerDuty semantics).
/// </summary>
public sealed class IncidentIngestor(AlertCorrelator correlator, IncidentCommands commands, IncidentStore store)
{
    /// <summary>The ingestor and its parts over one store, outside dependency injection (tools, tests).</summary>
    public static IncidentIngestor Create(IncidentStore store, TimeProvider time, CorrelationOptions? options = null) =>
        new(new AlertCorrelator(store, time, Microsoft.Extensions.Options.Options.Create(options ?? new CorrelationOptions())),
            new IncidentCommands(store, time), store);

    public async Task<IngestOutcome> IngestAsync(ValidEvent evt, string? traceparent, CancellationToken cancellationToken = default)
    {
        var incoming = AlertNormaliser.ToIncoming(evt);
        switch (evt.Action)
        {
            case EventAction.Trigger:
                return await correlator.IngestAsync(incoming, traceparent, cancellationToken: cancellationToken);
            case EventAction.Resolve:
                return await correlator.IngestAsync(incoming, traceparent, resolveIncidentWhenAllResolved: true, cancellationToken);
            default:
                var id = await store.FindAsync(RedisKeys.Dedup(incoming.Source, incoming.Fingerprint));
                if (id is null)
                {
                    return new(IngestStatus.NotFound, null, incoming.Fingerprint, null, $"No incident has alert '{incoming.Fingerprint}'.");
                }

                // The actor is the source, never the routing key: that is the sender's ingest token, and every reader sees the actor.
                var result = await commands.ApplyAsync(id, IncidentAction.Acknowledge, AlertNormaliser.GenericSource, "acknowledged by the sending tool", traceparent);
                return result.Status switch
                {
                    CommandStatus.Done => new(IngestStatus.Acknowledged, id, incoming.Fingerprint, result.Incident!.Status, "Incident acknowledged."),
                    CommandStatus.Conflict => new(IngestStatus.Ignored, id, incoming.Fingerprint, result.Incident!.Status, result.Message),
                    _ => new(IngestStatus.NotFound, null, incoming.Fingerprint, null, result.Message),
                };
        }
    }
}
