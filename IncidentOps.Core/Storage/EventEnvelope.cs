using System.Text.Json;
using IncidentOps.Core.Events;

namespace IncidentOps.Core.Storage;

/// <summary>How an event is written into a stream entry (the id is the entry's own id).</summary>
internal sealed record EventEnvelope(string Type, string? IncidentId, DateTimeOffset At, JsonElement Data)
{
    public static string Serialize(PendingEvent evt) =>
        OpsJson.Serialize(new EventEnvelope(evt.Type, evt.IncidentId, evt.At, OpsJson.ToElement(evt.Data)));

    public static OpsEvent Read(string id, string json)
    {
        var envelope = OpsJson.Deserialize<EventEnvelope>(json);
        return new OpsEvent(id, envelope.Type, envelope.IncidentId, envelope.At, envelope.Data);
    }
}
