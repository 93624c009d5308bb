using System.Net.WebSockets;
using System.Text;
using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Tests;

/// <summary>
/// The hub connection's socket shared by SignalR's transport and the hub's frame sends: what reaches the wire is whole
/// messages, never one of the hub's inside a SignalR message sent in fragments, and in the order they were sent.
/// </summary>
public class FrameSocketTests
{
    [Fact]
    public async Task A_frame_sent_while_SignalR_is_between_fragments_goes_out_after_SignalR_s_last_fragment()
    {
        var wire = new RecordingSocket();
        var socket = new FrameSocket(wire);

        await socket.SendAsync(Bytes("signalr-part-1"), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        var frame = socket.SendMessageAsync(Bytes("frame")).AsTask();
        Assert.False(frame.IsCompleted); // held: the wire is in the middle of SignalR's message

        await socket.SendAsync(Bytes("signalr-part-2"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await frame.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["signalr-part-1", "signalr-part-2 (end)", "frame (end)"], wire.Sent);
    }

    [Fact]
    public async Task A_frame_the_socket_takes_at_once_completes_at_once_and_SignalR_s_next_message_follows_it()
    {
        var wire = new RecordingSocket();
        var socket = new FrameSocket(wire);

        var frame = socket.SendMessageAsync(Bytes("frame-1"));
        Assert.True(frame.IsCompletedSuccessfully);
        await socket.SendAsync(Bytes("ping"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await socket.SendMessageAsync(Bytes("frame-2"));

        Assert.Equal(["frame-1 (end)", "ping (end)", "frame-2 (end)"], wire.Sent);
    }

    [Fact]
    public async Task While_a_frame_waits_for_a_slow_client_SignalR_s_message_waits_behind_it()
    {
        var wire = new RecordingSocket();
        var socket = new FrameSocket(wire);
        var slow = new TaskCompletionSource();
        wire.NextSend = slow.Task;

        var frame = socket.SendMessageAsync(Bytes("frame")).AsTask();
        var ping = socket.SendAsync(Bytes("ping"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).AsTask();
        Assert.False(frame.IsCompleted);
        Assert.False(ping.IsCompleted);
        Assert.Equal(["frame (end)"], wire.Sent);

        slow.SetResult();
        await Task.WhenAll(frame, ping).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["frame (end)", "ping (end)"], wire.Sent);
    }

    [Fact]
    public async Task A_failed_send_of_SignalR_s_does_not_leave_the_socket_locked_for_the_hub()
    {
        var wire = new RecordingSocket();
        var socket = new FrameSocket(wire);
        wire.NextSend = Task.FromException(new WebSocketException("connection reset"));

        await Assert.ThrowsAsync<WebSocketException>(async () =>
            await socket.SendAsync(Bytes("part-1"), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None));
        await socket.SendMessageAsync(Bytes("frame")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["part-1", "frame (end)"], wire.Sent);
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A socket that records what it was given to send; a send can be held pending (a client not reading).</summary>
    private sealed class RecordingSocket : WebSocket
    {
        public List<string> Sent { get; } = [];

        public Task? NextSend { get; set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Open;

        public override string? SubProtocol => null;

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer, messageType, endOfMessage ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.None, cancellationToken);

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(Encoding.UTF8.GetString(buffer.Span) + (messageFlags.HasFlag(WebSocketMessageFlags.EndOfMessage) ? " (end)" : ""));
            }

            var send = NextSend ?? Task.CompletedTask;
            NextSend = null;
            return new ValueTask(send);
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Abort()
        {
        }

        public override void Dispose()
        {
        }
    }
}
