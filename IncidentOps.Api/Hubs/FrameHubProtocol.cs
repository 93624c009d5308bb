using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// SignalR's JSON protocol, except that a frame's stream item (<c>{"type":2,"invocationId":"…","item":[…]}</c>) is written
/// straight from the frame's bytes, serialized once for the connections that get it (<see cref="OpsFrame.Json"/>), into one span of the
/// connection's pipe: no JSON writer per connection (<c>JsonHubProtocol.WriteMessage</c> was 6.6 % of the API's CPU at
/// 5,000 screens), and the transport finds the message in one segment, which it sends as one WebSocket frame (a message
/// spread over segments goes out as a frame per segment; bench/README.md, session 9). The bytes are the JSON protocol's;
/// every other message, and an invocation id that would need escaping, goes through <see cref="JsonHubProtocol"/>.
/// </summary>
public sealed class FrameHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private static readonly byte[] Start = "{\"type\":2,\"invocationId\":\""u8.ToArray();
    private static readonly byte[] Item = "\",\"item\":"u8.ToArray();
    private static readonly byte[] End = [(byte)'}', 0x1e];
    private readonly JsonHubProtocol _json = new(options);

    public string Name => _json.Name;

    public int Version => _json.Version;

    public TransferFormat TransferFormat => _json.TransferFormat;

    public bool IsVersionSupported(int version) => _json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
        _json.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        if (message is StreamItemMessage { Item: OpsFrame frame, InvocationId: { } id, Headers: null or { Count: 0 } } && IsPlain(id))
        {
            var json = frame.Json.Span;
            var length = Start.Length + id.Length + Item.Length + json.Length + End.Length;
            var span = output.GetSpan(length);
            Start.CopyTo(span);
            var at = Start.Length + Encoding.ASCII.GetBytes(id, span[Start.Length..]);
            Item.CopyTo(span[at..]);
            at += Item.Length;
            json.CopyTo(span[at..]);
            End.CopyTo(span[(at + json.Length)..]);
            output.Advance(length);
            return;
        }

        _json.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var bytes = new ArrayBufferWriter<byte>();
        WriteMessage(message, bytes);
        return bytes.WrittenMemory;
    }

    /// <summary>Ids clients choose ("0", "1", …): written as they are, with no escaping to do.</summary>
    private static bool IsPlain(string id) =>
        id.Length is > 0 and <= 64 && id.AsSpan().IndexOfAnyExcept(Plain) < 0;

    private static readonly SearchValues<char> Plain = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_");
}
