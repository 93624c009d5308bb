using System.Diagnostics;
using IncidentOps.Testing;
using StackExchange.Redis;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// A redis-server as deployed: AOF on (<c>appendfsync everysec</c>) in a data folder of its own, on a fixed port so it
/// can be killed and started again from its AOF where the API expects it. Signals are real: SIGKILL, SIGSTOP, SIGCONT.
/// </summary>
public sealed class DurableRedis : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("incidentops-faults-").FullName;
    private Process? _process;

    public int Port { get; } = Ports.Free();

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts the server; with <paramref name="appendOnly"/> false it loads <c>dump.rdb</c> from its folder instead of an AOF.</summary>
    public async Task StartAsync(bool appendOnly = true)
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir,
                     "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "everysec", "--save", "" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await using var probe = await Eventually.ResultAsync(
            async () => await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=true,connectTimeout=500"),
            TimeSpan.FromSeconds(30), "redis-server to load its AOF and accept connections");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await probe.GetDatabase().ExecuteAsync("PING")).ToString() == "PONG";
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("LOADING", StringComparison.Ordinal))
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "redis-server to load its AOF and answer PING");
    }

    /// <summary>An RDB snapshot (BGSAVE, waited for) copied to <paramref name="file"/>: what a backup takes.</summary>
    public async Task SnapshotAsync(string file)
    {
        await using var connection = await ConnectAsync();
        var server = connection.GetServer(ConnectionString);
        var before = await server.LastSaveAsync();
        await server.SaveAsync(SaveType.BackgroundSave);
        await Eventually.TrueAsync(async () => await server.LastSaveAsync() > before
            && !(await server.InfoAsync("persistence")).SelectMany(g => g).Any(p => p.Key == "rdb_bgsave_in_progress" && p.Value == "1"),
            TimeSpan.FromSeconds(30), "BGSAVE to finish");
        File.Copy(Path.Combine(_dir, "dump.rdb"), file, overwrite: true);
    }

    /// <summary>Puts a snapshot where a fresh server started with appendonly no will load it.</summary>
    public void PlaceSnapshot(string file) => File.Copy(file, Path.Combine(_dir, "dump.rdb"), overwrite: true);

    /// <summary>SIGKILL: no shutdown, no final fsync; what the AOF has is what survives.</summary>
    public void Kill()
    {
        _process!.Kill();
        _process.WaitForExit();
    }

    public void Stop() => Signal("STOP");

    public void Continue() => Signal("CONT");

    public async Task<ConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=false,allowAdmin=true");

    private void Signal(string signal) => Signals.Send(_process!, signal);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Signal("CONT");
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
