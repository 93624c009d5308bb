using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Several events of the log sent as one hub message (a JSON array, oldest first), serialized once and shared by the
/// connections it is handed to (a turn of hundreds): with thousands of screens the cost per connection is a copy of bytes, not a serialization. A progress step
/// followed in the same frame by a later change of the same agent is left out (coalesced to the latest); the JSON is the
/// screen form of the events (<see cref="ScreenEvents"/>: each agent's latest change only, and only the fields screens read).
/// Ids ascend across the frame: the web app's reducer ignores an event at or before the last id it applied.
/// </summary>
[JsonConverter(typeof(OpsFrameConverter))]
public sealed class OpsFrame
{
    private static readonly byte[] InvocationStart = System.Text.Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"{OpsHub.FramesTarget}\",\"arguments\":[");
    private static readonly byte[] InvocationEnd = [(byte)']', (byte)'}', 0x1e];
    private readonly Lazy<byte[]> _json;
    private byte[]? _invocation;

    public OpsFrame(IReadOnlyList<OpsEvent> events)
    {
        Events = Coalesce(events);
        First = events.Count == 0 ? StreamId.Zero : StreamId.Parse(events[0].Id);
        Last = events.Count == 0 ? StreamId.Zero : StreamId.Parse(events[^1].Id);
        _json = new Lazy<byte[]>(() => JsonSerializer.SerializeToUtf8Bytes(ScreenEvents.For(Events), OpsJson.Options));
    }

    /// <summary>The events as logged, in log order, without progress steps superseded within the frame.</summary>
    public IReadOnlyList<OpsEvent> Events { get; }

    /// <summary>The id of the first event of the page this frame was made from.</summary>
    public StreamId First { get; }

    /// <summary>The id of the last event of the page this frame was made from (coalesced ones included).</summary>
    public StreamId Last { get; }

    /// <summary>The JSON array of the events' screen form, built on first use.</summary>
    public ReadOnlyMemory<byte> Json => _json.Value;

    /// <summary>
    /// The frame as the hub's JSON protocol's invocation of the client's <c>frames</c> handler (<see cref="OpsHub.WatchFrames"/>),
    /// the same bytes for every connection: built once, on first use (lanes racing to build it build the same bytes, and
    /// one is kept: no lock on the path every connection takes).
    /// </summary>
    public ReadOnlyMemory<byte> Invocation => _invocation ??= [.. InvocationStart, .. Json.Span, .. InvocationEnd];

    /// <summary>Nothing of this frame is shown on a screen (e.g. only <c>ai.call</c>s): not worth a write per connection.</summary>
    public bool ShowsNothing => Json.Length <= 2; // "[]"

    /// <summary>
    /// The events as frames of at most <paramref name="maxBytes"/> of JSON each (one event may exceed it alone), oldest
    /// first: a page of the log halved until each part fits. Each connection's transport rents buffers the size of the
    /// frame it writes, and buffers over 85 KB are allocated on the large object heap when the pool has none: frames that
    /// stay small keep a burst's per-connection copies in pooled, short-lived memory.
    /// </summary>
    public static IReadOnlyList<OpsFrame> Split(IReadOnlyList<OpsEvent> events, int maxBytes)
    {
        var frames = new List<OpsFrame>();
        Add(events);
        return frames;

        void Add(IReadOnlyList<OpsEvent> part)
        {
            var frame = new OpsFrame(part);
            if (part.Count <= 1 || frame.Json.Length <= maxBytes)
            {
                frames.Add(frame);
                return;
            }

            var half = part.Count / 2;
            Add([.. part.Take(half)]);
            Add([.. part.Skip(half)]);
        }
    }

    /// <summary>This frame without the events up to <paramref name="seen"/>, or null when nothing is left.</summary>
    public OpsFrame? After(StreamId seen)
    {
        if (Last <= seen || Events.Count == 0)
        {
            return null;
        }

        return First > seen ? this : Without(seen);
    }

    // Apart from After, and a loop rather than a lambda: a lambda capturing `seen` made After allocate its closure on every
    // call, the common one included (once per frame per connection, a sixth of the API's allocations at 5,000 screens;
    // bench/README.md, "Fan-out, session 30").
    private OpsFrame Without(StreamId seen)
    {
        var kept = new List<OpsEvent>(Events.Count);
        foreach (var evt in Events)
        {
            if (StreamId.Parse(evt.Id) > seen)
            {
                kept.Add(evt);
            }
        }

        return new OpsFrame(kept);
    }

    private static List<OpsEvent> Coalesce(IReadOnlyList<OpsEvent> events)
    {
        var latest = new HashSet<(string?, string)>();
        var kept = new List<OpsEvent>(events.Count);
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var evt = events[i];
            if (AgentOf(evt) is not { } agent)
            {
                kept.Add(evt);
                continue;
            }

            // Newest first: the first change seen of an agent is its latest; an earlier progress step of it is superseded.
            var superseded = !latest.Add((evt.IncidentId, agent.Phase)) && agent.IsProgress;
            if (!superseded)
            {
                kept.Add(evt);
            }
        }

        kept.Reverse();
        return kept;
    }

    private static (string Phase, bool IsProgress)? AgentOf(OpsEvent evt) =>
        evt.Type == EventTypes.AgentStateChanged && evt.Data.ValueKind == JsonValueKind.Object
        && evt.Data.TryGetProperty("phase", out var phase) && evt.Data.TryGetProperty("state", out var state)
            ? (phase.ToString(), state.ValueKind == JsonValueKind.String && state.GetString() == "processing")
            : null;
}

/// <summary>Writes a frame's pre-serialized JSON as it is (the hub's JSON protocol calls it per connection).</summary>
public sealed class OpsFrameConverter : JsonConverter<OpsFrame>
{
    public override OpsFrame Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<List<OpsEvent>>(ref reader, options) ?? []);

    public override void Write(Utf8JsonWriter writer, OpsFrame value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
}
