using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// SignalR's JSON protocol, except that a live frame's stream item (<c>{"type":2,"invocationId":…,"item":[…]}</c>) is
/// written from bytes made once per frame and invocation id instead of through a JSON writer per connection. Clients
/// choose their own invocation ids, but they are nearly all the same ("0" from the web app's first stream, "1" from the
/// bench's), so the last one is kept with the frame (<see cref="OpsFrame.StreamItem"/>) and each connection gets a copy of
/// bytes. The profile at 5,000 screens put <c>JsonHubProtocol.WriteMessage</c> at 6.6 % of the API's CPU
/// (bench/README.md, session 9). Every other message goes through <see cref="JsonHubProtocol"/> as before.
/// </summary>
public sealed class FrameHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private static readonly byte[] Start = "{\"type\":2,\"invocationId\":"u8.ToArray();
    private static readonly byte[] Item = ",\"item\":"u8.ToArray();
    private static readonly byte[] End = [(byte)'}', 0x1e];
    private static readonly JsonSerializerOptions IdEncoding = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly JsonHubProtocol _json = new(options);

    public string Name => _json.Name;

    public int Version => _json.Version;

    public TransferFormat TransferFormat => _json.TransferFormat;

    public bool IsVersionSupported(int version) => _json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
        _json.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        if (FrameOf(message) is var (frame, invocationId))
        {
            output.Write(frame.StreamItem(invocationId, StreamItem).Span);
            return;
        }

        _json.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) =>
        FrameOf(message) is var (frame, invocationId) ? frame.StreamItem(invocationId, StreamItem) : _json.GetMessageBytes(message);

    /// <summary>The stream item of a frame, as <see cref="JsonHubProtocol"/> would write it (the record separator included).</summary>
    public static byte[] StreamItem(OpsFrame frame, string invocationId)
    {
        var id = JsonSerializer.SerializeToUtf8Bytes(invocationId, IdEncoding);
        var json = frame.Json;
        var bytes = new byte[Start.Length + id.Length + Item.Length + json.Length + End.Length];
        var at = 0;
        foreach (var part in (ReadOnlyMemory<byte>[])[Start, id, Item, json, End])
        {
            part.Span.CopyTo(bytes.AsSpan(at));
            at += part.Length;
        }

        return bytes;
    }

    private static (OpsFrame Frame, string InvocationId)? FrameOf(HubMessage message) =>
        message is StreamItemMessage { Item: OpsFrame frame, InvocationId: { } invocationId, Headers: null or { Count: 0 } }
            ? (frame, invocationId)
            : null;
}
