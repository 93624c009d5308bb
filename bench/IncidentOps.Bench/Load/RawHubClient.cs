using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace IncidentOps.Bench.Load;

/// <summary>
/// One screen, as cheap as a client can be, so that thousands of them and the API can share two cores: a raw WebSocket
/// speaking the SignalR JSON protocol by hand (handshake, one <c>StreamInvocation</c> of <c>SubscribeFrames</c>, pings),
/// one receive loop, no JSON parsing. What it takes from a frame: the id of each event (ids of later frames must be
/// higher: nothing doubled or reordered across frames) and the dedup key after each <c>"alert.received"</c>, passed on
/// with the time the frame arrived and the time the alert's event was appended to the log (the milliseconds of its id:
/// Redis stamps it with the machine's clock), which splits an alert's latency into intake and fan-out. Written by hand because the SignalR client parses every frame into objects, which at
/// 5,000 clients would measure the load generator instead of the hub.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    /// <summary>An alert's dedup key, when its frame arrived (a <see cref="Stopwatch"/> timestamp), and how many ms after its append.</summary>
    public delegate void AlertReceived(ReadOnlySpan<byte> dedupKey, long at, long msSinceAppended);

    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] AlertMarker = "\"alert.received\""u8.ToArray();
    private static readonly byte[] DedupMarker = "\"dedupKey\":\""u8.ToArray();
    private static readonly byte[] IdMarker = "{\"id\":\""u8.ToArray();
    private static readonly byte[] ItemMarker = "\"type\":2,"u8.ToArray();
    private static readonly byte[] CompletionMarker = "\"type\":3,"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly AlertReceived _alert;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(4096);
    private int _pendingLength;
    private (long Ms, long Seq) _highest;
    private Task _reading = Task.CompletedTask;

    private RawHubClient(ClientWebSocket socket, AlertReceived alert)
    {
        _socket = socket;
        _alert = alert;
    }

    public int OutOfOrder { get; private set; }

    /// <summary>Events received (written by the receive loop only).</summary>
    public long Events => Volatile.Read(ref _events);

    private long _events;

    /// <summary>Stream items (frames) received (written by the receive loop only).</summary>
    public long Frames => Volatile.Read(ref _frames);

    private long _frames;

    /// <summary>Bytes received (written by the receive loop only).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    private long _bytes;

    /// <summary>Set when the hub ended the stream with a resync (or any error); the text of the completion.</summary>
    public string? Ended { get; private set; }

    public bool Resynced => Ended?.Contains("resync", StringComparison.Ordinal) == true;

    /// <summary>The hub closed the connection (with or without the close handshake) rather than ending the stream.</summary>
    public bool Dropped => Ended is { } ended && !Resynced && (ended.StartsWith("closed by the hub", StringComparison.Ordinal) || ended.StartsWith("connection lost", StringComparison.Ordinal));

    /// <summary>A handler for every client: no connection pool, and a small receive buffer when a stalled client is wanted.</summary>
    public static HttpMessageInvoker Invoker(int? receiveBufferBytes = null) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (receiveBufferBytes is { } bytes)
            {
                socket.ReceiveBufferSize = bytes;
            }

            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });

    /// <summary>Connects, subscribes from <paramref name="afterId"/>, and (unless <paramref name="read"/> is false) starts reading.</summary>
    public static async Task<RawHubClient> ConnectAsync(
        Uri api, string apiKey, string afterId, HttpMessageInvoker invoker, AlertReceived alert, bool read = true)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", apiKey);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var ws = new UriBuilder(new Uri(api, "/hubs/ops")) { Scheme = api.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(ws, invoker, CancellationToken.None);
        var client = new RawHubClient(socket, alert);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray());
        await client.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":4,\"invocationId\":\"1\",\"target\":\"SubscribeFrames\",\"arguments\":[\"{afterId}\"]}}\u001e"));
        if (read)
        {
            client.StartReading();
        }

        return client;
    }

    /// <summary>Starts the receive loop (a stalled client calls it late, and finds what the hub did meanwhile).</summary>
    public void StartReading() => _reading = Task.Run(ReadAsync);

    /// <summary>Keeps the connection alive: the hub drops a client it has not heard from for 30 s.</summary>
    public Task PingAsync() => _socket.State == WebSocketState.Open ? SendAsync(Ping) : Task.CompletedTask;

    private async Task SendAsync(byte[] bytes)
    {
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed by the hub (e.g. after a resync) or by us: the receive loop reports it.
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_pending.Length - _pendingLength < 2048)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(_pending.Length * 2);
                    _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(_pending);
                    _pending = bigger;
                }

                var result = await _socket.ReceiveAsync(_pending.AsMemory(_pendingLength), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Ended ??= "closed by the hub";
                    return;
                }

                _pendingLength += result.Count;
                Volatile.Write(ref _bytes, _bytes + result.Count);
                TakeRecords(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Ended ??= _stop.IsCancellationRequested ? null : $"connection lost: {ex.Message}";
        }
    }

    /// <summary>Handles every complete SignalR record received so far; keeps a partial one for the next receive.</summary>
    private void TakeRecords(long at, long nowUnixMs)
    {
        var buffer = _pending.AsSpan(0, _pendingLength);
        var consumed = 0;
        while (buffer[consumed..].IndexOf(RecordSeparator) is var end and >= 0)
        {
            Take(buffer.Slice(consumed, end), at, nowUnixMs);
            consumed += end + 1;
        }

        buffer[consumed..].CopyTo(_pending);
        _pendingLength -= consumed;
    }

    private void Take(ReadOnlySpan<byte> record, long at, long nowUnixMs)
    {
        if (record.IndexOf(CompletionMarker) >= 0)
        {
            Ended = Encoding.UTF8.GetString(record);
            return;
        }

        if (record.IndexOf(ItemMarker) < 0)
        {
            return; // the handshake answer, a ping
        }

        Volatile.Write(ref _frames, _frames + 1);
        var previous = _highest;
        for (var rest = record; rest.IndexOf(IdMarker) is var start and >= 0; rest = rest[(start + IdMarker.Length)..])
        {
            var id = rest[(start + IdMarker.Length)..];
            if (Utf8Parser.TryParse(id, out long ms, out var read) && id[read] == (byte)'-' && Utf8Parser.TryParse(id[(read + 1)..], out long seq, out _))
            {
                Volatile.Write(ref _events, _events + 1);
                if ((ms, seq).CompareTo(previous) <= 0)
                {
                    OutOfOrder++;
                }

                _highest = (ms, seq).CompareTo(_highest) > 0 ? (ms, seq) : _highest;
            }
        }

        for (var offset = 0; record[offset..].IndexOf(AlertMarker) is var start and >= 0;)
        {
            // The alert's own id is the last one before its type.
            var appended = record[..(offset + start)].LastIndexOf(IdMarker) is var idAt and >= 0
                && Utf8Parser.TryParse(record[(idAt + IdMarker.Length)..], out long idMs, out _) ? idMs : nowUnixMs;
            offset += start + AlertMarker.Length;
            var rest = record[offset..];
            if (rest.IndexOf(DedupMarker) is var key and >= 0)
            {
                var value = rest[(key + DedupMarker.Length)..];
                _alert(value[..value.IndexOf((byte)'"')], at, nowUnixMs - appended);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _reading;
        _socket.Dispose();
        _stop.Dispose();
        ArrayPool<byte>.Shared.Return(_pending);
    }
}
