using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>The redis-server the bench measures against: the one given, or a private one (no persistence) it starts and stops.</summary>
public sealed class BenchRedis : IAsyncDisposable
{
    private Process? _process;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public static async Task<BenchRedis> StartAsync(string? endpoint)
    {
        var redis = new BenchRedis();
        if (endpoint is null)
        {
            var port = FreePort();
            endpoint = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            redis._process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        }

        redis.Connection = await ConnectAsync(endpoint);
        return redis;
    }

    /// <summary>Connects to a redis-server that may still be starting (up to ~5 s), with the bench's generous timeouts.</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string endpoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync($"{endpoint},abortConnect=true,connectTimeout=500,syncTimeout=30000,asyncTimeout=30000,allowAdmin=true");
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
