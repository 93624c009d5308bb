using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace IncidentOps.Bench.Load;

/// <summary>
/// One screen, as cheap as a client can be, so that thousands of them and the API can share two cores: a raw TCP socket
/// speaking WebSocket (RFC 6455: the upgrade, masked frames out, unmasked frames in) and the SignalR JSON protocol by hand
/// (handshake, one <c>StreamInvocation</c> of <c>WatchFrames</c> or <c>SubscribeFrames</c>, pings), read by an <see cref="EpollReactor"/> thread,
/// no JSON parsing. What it takes from a frame: the id of each event (ids of later frames must be
/// higher: nothing doubled or reordered across frames) and the dedup key after each <c>"alert.received"</c>, passed on
/// with the time the frame arrived and the time the alert's event was appended to the log (the milliseconds of its id:
/// Redis stamps it with the machine's clock), which splits an alert's latency into intake and fan-out. Written by hand
/// because the SignalR client parses every frame into objects and <c>ClientWebSocket</c> costs a thread-pool work item and
/// two <c>recv</c> calls per frame, which at 5,000 clients would measure the load generator instead of the hub.
/// </summary>
public sealed class RawHubClient : EpollReactor.IReadable, IAsyncDisposable
{
    /// <summary>An alert's dedup key, when its frame arrived (a <see cref="Stopwatch"/> timestamp), and how many ms after its append.</summary>
    public delegate void AlertReceived(ReadOnlySpan<byte> dedupKey, long at, long msSinceAppended);

    private const string OpsHubPath = "/hubs/ops";
    private const byte RecordSeparator = 0x1e;
    private const byte Final = 0x80;
    private const byte Continuation = 0x0;
    private const byte Text = 0x1;
    private const byte Binary = 0x2;
    private const byte CloseFrame = 0x8;
    private const byte PingFrame = 0x9;
    private const byte PongFrame = 0xA;
    private static readonly byte[] AlertMarker = "\"alert.received\""u8.ToArray();
    private static readonly byte[] DedupMarker = "\"dedupKey\":\""u8.ToArray();
    private static readonly byte[] IdMarker = "{\"id\":\""u8.ToArray();
    private static readonly byte[] ItemStart = "{\"type\":2,"u8.ToArray();
    private static readonly byte[] FramesStart = "{\"type\":1,\"target\":\"frames\","u8.ToArray();
    private static readonly byte[] CompletionMarker = "\"type\":3,"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly EpollReactor _reactor;
    private readonly AlertReceived _alert;
    private readonly Lock _receiving = new();
    private readonly Lock _sending = new();
    private byte[] _wire = ArrayPool<byte>.Shared.Rent(16384);
    private int _wireLength;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(4096);
    private int _pendingLength;
    private (long Ms, long Seq) _highest;
    private long _registration;
    private bool _closed;

    private RawHubClient(Socket socket, EpollReactor reactor, AlertReceived alert)
    {
        _socket = socket;
        _reactor = reactor;
        _alert = alert;
    }

    public int OutOfOrder { get; private set; }

    /// <summary>Events received (written by the receive side only).</summary>
    public long Events => Volatile.Read(ref _events);

    private long _events;

    /// <summary>Stream items (frames) received (written by the receive side only).</summary>
    public long Frames => Volatile.Read(ref _frames);

    private long _frames;

    /// <summary>Bytes of WebSocket payload received (written by the receive side only).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    private long _bytes;

    /// <summary>Set when the hub ended the stream with a resync (or any error); the text of the completion.</summary>
    public string? Ended { get; private set; }

    public bool Resynced => Ended?.Contains("resync", StringComparison.Ordinal) == true;

    /// <summary>The hub closed the connection (with or without the close handshake) rather than ending the stream.</summary>
    public bool Dropped => Ended is { } ended && !Resynced && (ended.StartsWith("closed by the hub", StringComparison.Ordinal) || ended.StartsWith("connection lost", StringComparison.Ordinal));

    /// <summary>
    /// Connects (blocking: call it on a thread that may wait), upgrades to a WebSocket, subscribes from
    /// <paramref name="afterId"/> with the hub's <paramref name="method"/> (<c>WatchFrames</c> or <c>SubscribeFrames</c>), and (unless <paramref name="read"/> is false) starts reading. A small
    /// <paramref name="receiveBufferBytes"/> makes a client the hub finds stalled sooner.
    /// </summary>
    public static RawHubClient Connect(
        Uri api, string apiKey, string afterId, string method, EpollReactor reactor, AlertReceived alert, bool read = true, int? receiveBufferBytes = null)
    {
        if (api.Scheme != Uri.UriSchemeHttp)
        {
            throw new NotSupportedException($"The bench's screens speak plain WebSocket; {api} is not http.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferBytes is { } bytes)
        {
            socket.ReceiveBufferSize = bytes;
        }

        socket.Connect(api.Host, api.Port);
        var client = new RawHubClient(socket, reactor, alert);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        socket.Send(Encoding.ASCII.GetBytes(
            $"GET {OpsHubPath} HTTP/1.1\r\nHost: {api.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nX-Api-Key: {apiKey}\r\n\r\n"));
        client.ReadUpgrade();
        client.SendText("{\"protocol\":\"json\",\"version\":1}\u001e"u8);
        client.SendText(Encoding.UTF8.GetBytes($"{{\"type\":4,\"invocationId\":\"1\",\"target\":\"{method}\",\"arguments\":[\"{afterId}\"]}}\u001e"));
        if (read)
        {
            client.StartReading();
        }

        return client;
    }

    /// <summary>Starts reading (a stalled client calls it late, and finds what the hub did meanwhile).</summary>
    public void StartReading()
    {
        lock (_receiving)
        {
            // Bytes that came with the upgrade's answer are taken before the first wait on the socket.
            Deframe(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (!_closed)
            {
                _registration = _reactor.Watch(_socket.Handle, this);
            }
        }
    }

    /// <summary>Keeps the connection alive: the hub drops a client it has not heard from for 30 s.</summary>
    public void SendPing() => SendText(Ping);

    /// <summary>The upgrade's answer: a 101, read up to the blank line (what follows is already WebSocket).</summary>
    private void ReadUpgrade()
    {
        while (_wire.AsSpan(0, _wireLength).IndexOf(HeaderEnd) is var end && end < 0)
        {
            var read = _socket.Receive(_wire.AsSpan(_wireLength));
            if (read == 0 || _wireLength + read == _wire.Length)
            {
                throw new IOException("The hub closed the connection or sent an oversized answer during the WebSocket upgrade.");
            }

            _wireLength += read;
        }

        var header = _wire.AsSpan(0, _wireLength).IndexOf(HeaderEnd) + HeaderEnd.Length;
        var status = Encoding.ASCII.GetString(_wire, 0, _wire.AsSpan(0, header).IndexOf((byte)'\r'));
        if (!status.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException($"The hub refused the WebSocket upgrade: {status}");
        }

        _wire.AsSpan(header, _wireLength - header).CopyTo(_wire);
        _wireLength -= header;
    }

    /// <summary>Called by the reactor when the socket has bytes (or was closed): one <c>recv</c>, then every whole frame.</summary>
    public void OnReadable()
    {
        lock (_receiving)
        {
            if (_closed)
            {
                return;
            }

            if (_wire.Length - _wireLength < 4096)
            {
                Grow(ref _wire, _wireLength);
            }

            var read = _socket.Receive(_wire.AsSpan(_wireLength), SocketFlags.None, out var error);
            if (read <= 0 || error != SocketError.Success)
            {
                Close(error == SocketError.Success ? "connection lost: the hub closed the socket" : $"connection lost: {error}");
                return;
            }

            _wireLength += read;
            Deframe(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Takes every whole WebSocket frame off the wire: data into the SignalR records, a close ends the client.</summary>
    private void Deframe(long at, long nowUnixMs)
    {
        var consumed = 0;
        while (!_closed && Frame(_wire.AsSpan(consumed, _wireLength - consumed)) is ({ } opcode, var headerLength, var payloadLength))
        {
            var payload = _wire.AsSpan(consumed + headerLength, payloadLength);
            consumed += headerLength + payloadLength;
            switch (opcode)
            {
                case Text or Binary or Continuation:
                    while (_pending.Length - _pendingLength < payload.Length)
                    {
                        Grow(ref _pending, _pendingLength);
                    }

                    payload.CopyTo(_pending.AsSpan(_pendingLength));
                    _pendingLength += payload.Length;
                    Volatile.Write(ref _bytes, _bytes + payload.Length);
                    break;
                case CloseFrame:
                    Close("closed by the hub");
                    break;
                case PingFrame:
                    Send(PongFrame, payload);
                    break;
            }
        }

        _wire.AsSpan(consumed, _wireLength - consumed).CopyTo(_wire);
        _wireLength -= consumed;
        TakeRecords(at, nowUnixMs);
    }

    /// <summary>The opcode and lengths of the whole frame at the start of <paramref name="wire"/>, or none while it is partial.</summary>
    private static (byte? Opcode, int HeaderLength, int PayloadLength) Frame(ReadOnlySpan<byte> wire)
    {
        if (wire.Length < 2)
        {
            return (null, 0, 0);
        }

        var (header, length) = (wire[1] & 0x7f) switch
        {
            126 when wire.Length >= 4 => (4, (long)BinaryPrimitives.ReadUInt16BigEndian(wire[2..])),
            127 when wire.Length >= 10 => (10, (long)BinaryPrimitives.ReadUInt64BigEndian(wire[2..])),
            126 or 127 => (0, 0L),
            var small => (2, (long)small),
        };
        if ((wire[1] & 0x80) != 0)
        {
            throw new IOException("The hub sent a masked frame (RFC 6455: a server never masks).");
        }

        return header > 0 && wire.Length - header >= length ? ((byte)(wire[0] & 0x0f), header, (int)length) : (null, 0, 0);
    }

    private static void Grow(ref byte[] buffer, int used)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }

    private void SendText(ReadOnlySpan<byte> payload) => Send(Text, payload);

    /// <summary>One masked frame (a client must mask, RFC 6455 5.3); a closed connection is the receive side's to report.</summary>
    private void Send(byte opcode, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[(payload.Length < 126 ? 6 : 8) + payload.Length];
        frame[0] = (byte)(Final | opcode);
        var at = 2;
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            at = 4;
        }

        var mask = frame.AsSpan(at, 4);
        RandomNumberGenerator.Fill(mask);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[at + 4 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        lock (_sending)
        {
            try
            {
                _socket.Send(frame);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Closed by the hub (e.g. after a resync) or by us: the receive side reports it.
            }
        }
    }

    /// <summary>Ends the client's reading (under the receive lock) for <paramref name="why"/>: no more events from the reactor.</summary>
    private void Close(string why)
    {
        Ended ??= why;
        StopReading();
    }

    private void StopReading()
    {
        _closed = true;
        if (_registration != 0)
        {
            _reactor.Remove(_registration, _socket.Handle);
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
        // A frame's invocation or stream item starts so (the hub writes them so): no scan of its bytes for the kind of record.
        if (!record.StartsWith(FramesStart) && !record.StartsWith(ItemStart))
        {
            if (record.IndexOf(CompletionMarker) >= 0)
            {
                Ended = Encoding.UTF8.GetString(record);
            }

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

    public ValueTask DisposeAsync()
    {
        lock (_receiving)
        {
            StopReading();
            _socket.Dispose();
            ArrayPool<byte>.Shared.Return(_wire);
            ArrayPool<byte>.Shared.Return(_pending);
        }

        return ValueTask.CompletedTask;
    }
}
