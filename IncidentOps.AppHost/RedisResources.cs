using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using IncidentOps.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace IncidentOps.AppHost;

/// <summary>Debian's <c>redis-server</c> run as an executable resource, for machines with no container runtime.</summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}

public static class RedisResources
{
    /// <summary>
    /// The <c>redis</c> resource: Aspire's Redis container when a container runtime answers, otherwise
    /// Debian's redis-server with AOF on and its data under the AppHost; neither is a start-up failure
    /// with one line that says what to install. <c>Redis:Mode</c> (auto | container | executable) forces a choice.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddIncidentOpsRedis(this IDistributedApplicationBuilder builder)
    {
        var mode = builder.Configuration["Redis:Mode"] ?? "auto";
        if (builder.ExecutionContext.IsPublishMode || mode == "container" || (mode == "auto" && ContainerRuntimeAnswers()))
        {
            return builder.AddRedis(ResourceNames.Redis).WithDataVolume().WithPersistence();
        }

        if (mode != "executable" && mode != "auto")
        {
            throw new DistributedApplicationException($"Redis:Mode must be auto, container or executable (got '{mode}').");
        }

        if (FindOnPath("redis-server") is null)
        {
            throw new DistributedApplicationException(
                "IncidentOps needs Redis: install a container runtime (Docker or Podman) or Debian's redis-server (sudo apt-get install redis-server).");
        }

        // everysec (default): a machine crash can lose the last second of accepted writes; always: none, at a measured cost
        // (bench/README.md); no: the OS decides (up to ~30 s on Linux). A process crash loses nothing with any of them.
        var appendFsync = builder.Configuration["Redis:AppendFsync"] ?? "everysec";
        if (appendFsync is not ("everysec" or "always" or "no"))
        {
            throw new DistributedApplicationException($"Redis:AppendFsync must be everysec, always or no (got '{appendFsync}').");
        }

        var dataDirectory = Path.GetFullPath(builder.Configuration["Redis:DataDirectory"] ?? ".redis-data", builder.AppHostDirectory);
        Directory.CreateDirectory(dataDirectory);

        var redis = new RedisServerResource(ResourceNames.Redis, dataDirectory);
        var healthCheckKey = $"{ResourceNames.Redis}-ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(redis), failureStatus: null, tags: null));

        return builder.AddResource(redis)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false, port: builder.Configuration.GetValue<int?>("Redis:Port"))
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add(appendFsync);
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                context.Args.Add("--save");
                context.Args.Add(string.Empty);
            })
            .WithHealthCheck(healthCheckKey);
    }

    private static bool ContainerRuntimeAnswers()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            if (FindOnPath(runtime) is null)
            {
                continue;
            }

            try
            {
                using var probe = Process.Start(new ProcessStartInfo(runtime, "info")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (probe is null)
                {
                    continue;
                }

                if (probe.WaitForExit(TimeSpan.FromSeconds(5)) && probe.ExitCode == 0)
                {
                    return true;
                }

                if (!probe.HasExited)
                {
                    probe.Kill(entireProcessTree: true);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return false;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private sealed class RedisPingHealthCheck(RedisServerResource redis) : IHealthCheck
    {
        private ConnectionMultiplexer? _connection;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken);
                _connection ??= await ConnectionMultiplexer.ConnectAsync($"{connectionString},abortConnect=false,connectTimeout=2000");
                var latency = await _connection.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception ex) when (ex is RedisException or InvalidOperationException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        }
    }
}
