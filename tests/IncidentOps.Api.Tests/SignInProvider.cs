extern alias identity;

using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using IdentityEntry = identity::IncidentOps.Identity.Model.UserDirectory;

namespace IncidentOps.Api.Tests;

/// <summary>
/// The real development OIDC provider (IncidentOps.Identity) on Kestrel, on a port of its own: the API fetches its
/// metadata and keys over HTTP, and tests sign the seeded users in through its token endpoint.
/// </summary>
public sealed class SignInProvider : IAsyncDisposable
{
    private readonly WebApplicationFactory<IdentityEntry> _factory;
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    private SignInProvider(WebApplicationFactory<IdentityEntry> factory, Uri authority, OffsetClock clock)
    {
        _clock = clock;
        _factory = factory;
        Authority = authority;
        Http = new HttpClient { BaseAddress = authority };
    }

    public Uri Authority { get; }

    public HttpClient Http { get; }

    /// <summary>How far the provider's clock (OpenIddict's) is from now: hours in the past issue tokens that have already expired.</summary>
    public TimeSpan ClockOffset
    {
        get => _clock.Offset;
        set => _clock.Offset = value;
    }

    private readonly OffsetClock _clock = new();

    public static SignInProvider Start()
    {
        var clock = new OffsetClock();
        var port = Ports.Free();
        var factory = new WebApplicationFactory<IdentityEntry>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseUrls($"http://127.0.0.1:{port}");
            web.UseSetting("Identity:SignInAttemptsPerMinute", "100000");
            web.UseSetting("Identity:WebOrigins:0", "http://localhost:3000");
            web.ConfigureTestServices(services => services.Configure<OpenIddictServerOptions>(o => o.TimeProvider = clock));
        });
        factory.UseKestrel();
        factory.StartServer();
        return new SignInProvider(factory, new Uri($"http://127.0.0.1:{port}/"), clock);
    }

    /// <summary>An access token of the seeded user with this role, signed in with the password grant (cached).</summary>
    public async Task<string> TokenAsync(string role) => _tokens.TryGetValue(role, out var cached) ? cached : _tokens[role] = await SignInAsync(role, $"{role}-password");

    public async Task<string> SignInAsync(string username, string password)
    {
        using var response = await Http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "incidentops-cli",
            ["username"] = username,
            ["password"] = password,
            ["scope"] = "openid profile roles incidentops-api",
        }));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"Sign-in of {username} failed: {json}");
        return json.GetProperty("access_token").GetString()!;
    }

    private sealed class OffsetClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }
}
