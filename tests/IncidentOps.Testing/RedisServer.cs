using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Xunit;

namespace IncidentOps.Testing;

/// <summary>
/// A real redis-server on a free loopback port, one per fixture, so test classes running in
/// parallel never see each other's data. Started and stopped by the fixture.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public IDatabase Db => Connection.GetDatabase();

    public async Task InitializeAsync()
    {
        Port = Ports.Free();
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "local" })
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("The tests need redis-server on PATH (apt-get install redis-server; .ci/run installs it).", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Connection = await Eventually.ResultAsync(
            async () => await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=true,connectTimeout=500"),
            TimeSpan.FromSeconds(15),
            "redis-server to accept connections");
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    /// <summary>
    /// Every key with its type and size, to show a refused request stored nothing. The audit trail is left out: a
    /// refused request is rightly recorded there.
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        var server = Connection.GetServer(ConnectionString);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            if (key == IncidentOps.Core.Storage.RedisKeys.Audit)
            {
                continue;
            }

            var type = await Db.KeyTypeAsync(key);
            var size = type switch
            {
                RedisType.Stream => await Db.StreamLengthAsync(key),
                RedisType.List => await Db.ListLengthAsync(key),
                RedisType.Hash => await Db.HashLengthAsync(key),
                RedisType.Set => await Db.SetLengthAsync(key),
                RedisType.SortedSet => await Db.SortedSetLengthAsync(key),
                _ => 1,
            };
            keys.Add($"{key}:{type}:{size}");
        }

        keys.Sort(StringComparer.Ordinal);
        return string.Join('\n', keys);
    }
}
