using System.Text.Json;
using IncidentOps.Api.Access;
using IncidentOps.Api.Hubs;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// A dashboard's live connection, as the web client behaves: WebSockets to the hub, <c>Subscribe(afterId)</c> (or
/// <c>SubscribeFrames</c>, or <c>WatchFrames</c> with a <c>frames</c> handler), and when the connection is lost a new one
/// that subscribes again from the last event id it saw. It keeps every event it is sent, duplicates and disorder
/// included, so the test can count them.
/// </summary>
public sealed class ResumingHubClient(Uri server, string apiKey, string method) : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _received = [];
    private Task _run = Task.CompletedTask;
    private string _lastId = "0-0";
    private int _connections;

    /// <summary>Connections made; more than one means it lost one and came back.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Why each lost connection ended.</summary>
    public List<string> Losses { get; } = [];

    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public string LastId
    {
        get
        {
            lock (_received)
            {
                return _lastId;
            }
        }
    }

    /// <summary>Starts following the log after <paramref name="afterId"/>; completes once the first connection is up.</summary>
    public async Task StartAsync(string afterId)
    {
        _lastId = afterId;
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _run = Task.Run(() => RunAsync(connected));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task RunAsync(TaskCompletionSource connected)
    {
        while (!_stop.IsCancellationRequested)
        {
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server, OpsHub.Path), options =>
                {
                    // Straight to WebSockets: through a round-robin balancer, negotiate and connect could reach different replicas.
                    options.Transports = HttpTransportType.WebSockets;
                    options.SkipNegotiation = true;
                    options.Headers[ApiKeyAuthenticationHandler.Header] = apiKey;
                })
                .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
                .Build();
            hub.On<HubEvent[]>(OpsHub.FramesTarget, frame =>
            {
                foreach (var evt in frame)
                {
                    Add(evt);
                }
            });
            try
            {
                await hub.StartAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                connected.TrySetResult();
                if (method == nameof(OpsHub.WatchFrames))
                {
                    // The stream carries no items: it ends with the connection, or with a resync.
                    await foreach (var _ in hub.StreamAsync<HubEvent[]>(method, LastId, _stop.Token))
                    {
                    }
                }
                else if (method == nameof(OpsHub.SubscribeFrames))
                {
                    await foreach (var frame in hub.StreamAsync<HubEvent[]>(nameof(OpsHub.SubscribeFrames), LastId, _stop.Token))
                    {
                        foreach (var evt in frame)
                        {
                            Add(evt);
                        }
                    }
                }
                else
                {
                    await foreach (var evt in hub.StreamAsync<HubEvent>(nameof(OpsHub.Subscribe), LastId, _stop.Token))
                    {
                        Add(evt);
                    }
                }

                Losses.Add("the stream completed");
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Losses.Add(ex.GetType().Name);
            }

            // The web client's backoff between attempts (a retry, not a wait for a result).
            await Task.Delay(RetryDelay, CancellationToken.None);
        }
    }

    private void Add(HubEvent evt)
    {
        lock (_received)
        {
            _received.Add(evt.Id);
            if (StreamId.Parse(evt.Id) > StreamId.Parse(_lastId))
            {
                _lastId = evt.Id;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private sealed record HubEvent(string Id, string Type);
}
