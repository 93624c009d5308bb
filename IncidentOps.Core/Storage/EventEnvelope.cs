using System.Buffers;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Events;

namespace IncidentOps.Core.Storage;

/// <summary>How an event is written into a stream entry (the id is the entry's own id).</summary>
internal sealed record EventEnvelope(string Type, string? IncidentId, DateTimeOffset At, JsonElement Data)
{
    /// <summary>The envelope's JSON in one pass (the same text as serialising an envelope whose Data is the data's element).</summary>
    public static string Serialize(PendingEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", evt.Type);
            writer.WritePropertyName("incidentId");
            if (evt.IncidentId is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(evt.IncidentId);
            }

            writer.WritePropertyName("at");
            JsonSerializer.Serialize(writer, evt.At, OpsJson.Options);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, evt.Data, evt.Data.GetType(), OpsJson.Options);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static OpsEvent Read(string id, string json)
    {
        var envelope = OpsJson.Deserialize<EventEnvelope>(json);
        return new OpsEvent(id, envelope.Type, envelope.IncidentId, envelope.At, envelope.Data);
    }
}
