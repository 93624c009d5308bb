using System.Net.WebSockets;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// The WebSocket under a hub connection, shared by SignalR's transport and the hub's own frame sends
/// (<see cref="SendMessageAsync"/>): a frame is written to the socket by the thread that hands it out, without SignalR's
/// per-connection pipe, stream loop and transport loop in between (~a fifth of the API's CPU at 5,000 screens;
/// bench/README.md, "Fan-out, session 32"). One gate orders the two: a message of either is written whole before the next
/// begins, a SignalR message sent as several fragments included. The hub's sends pass no cancellation token, so the
/// socket takes its fast path; SignalR's token (its send timeout) still aborts a send of SignalR's that hangs.
/// Hand-written because no library wraps a server WebSocket so; every member passes through to the socket SignalR accepted.
/// </summary>
public sealed class FrameSocket(WebSocket inner) : WebSocket
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // A SignalR message begun and not ended (sent as several fragments): the gate is held until its last fragment.
    private bool _midMessage;

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    /// <summary>
    /// Sends one whole text message of the hub's. Completes synchronously when the socket took it at once (the common case);
    /// otherwise when it is written, after any message of SignalR's in progress.
    /// </summary>
    public ValueTask SendMessageAsync(ReadOnlyMemory<byte> message)
    {
        if (!_gate.Wait(0))
        {
            return SendAfterGateAsync(message);
        }

        ValueTask sending;
        try
        {
            sending = inner.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch
        {
            _gate.Release();
            throw;
        }

        if (sending.IsCompleted)
        {
            _gate.Release();
            return sending;
        }

        return ReleaseAfterAsync(sending);
    }

    private async ValueTask SendAfterGateAsync(ReadOnlyMemory<byte> message)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await inner.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask ReleaseAfterAsync(ValueTask sending)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer, messageType, endOfMessage ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.None, cancellationToken);

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken)
    {
        // SignalR's transport is this socket's only other sender, one message at a time: the gate is taken at a message's
        // first fragment and kept to its last.
        if (!_midMessage)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var ended = messageFlags.HasFlag(WebSocketMessageFlags.EndOfMessage);
        try
        {
            await inner.SendAsync(buffer, messageType, messageFlags, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _midMessage = false;
            _gate.Release();
            throw;
        }

        _midMessage = !ended;
        if (ended)
        {
            _gate.Release();
        }
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => inner.Abort();

    // The gate is not disposed: a send of the hub's still pending releases it afterwards (it holds no wait handle).
    public override void Dispose() => inner.Dispose();
}
