using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Api.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

/// <summary>Behind an authenticating proxy, the person the proxy vouches for is who made a change, whatever the body says.</summary>
public class OperatorIdentityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Header = "X-Auth-Request-Email";

    private WebApplicationFactory<Program> BehindProxy(params string[] trustedProxies) => api.Factory.WithWebHostBuilder(web =>
    {
        web.UseSetting("Operators:UserHeader", Header);
        for (var i = 0; i < trustedProxies.Length; i++)
        {
            web.UseSetting($"Operators:TrustedProxies:{i}", trustedProxies[i]);
        }
    });

    private async Task<string> OpenAsync() =>
        (await api.PostAsync(ApiFixture.Trigger($"op-{Guid.NewGuid():N}", "Checkout latency high"))).GetProperty("incidentId").GetString()!;

    [Fact]
    public async Task The_proxy_s_user_is_recorded_and_a_request_without_it_is_refused()
    {
        var id = await OpenAsync();
        await using var factory = BehindProxy();
        using var client = factory.CreateClient();

        using var anonymous = await client.PostAsJsonAsync($"/api/v1/incidents/{id}/acknowledge", new { by = "anyone" });
        var signedIn = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/acknowledge") { Content = JsonContent.Create(new { by = "someone-else", reason = "on it" }) };
        signedIn.Headers.Add(Header, "maria@example.com");
        using var acknowledged = await client.SendAsync(signedIn);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(Header, await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var timeline = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("timeline").EnumerateArray();
        var ack = timeline.Single(e => e.GetProperty("type").GetString() == "incident.acknowledged");
        Assert.Equal("maria@example.com", ack.GetProperty("data").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task With_trusted_proxies_set_a_request_from_elsewhere_is_refused()
    {
        var id = await OpenAsync();
        await using var factory = BehindProxy("10.0.0.0/8");
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/notes") { Content = JsonContent.Create(new { text = "hi" }) };
        request.Headers.Add(Header, "maria@example.com");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("172.16.0.1", false)]
    public void Only_requests_from_a_trusted_proxy_are_believed(string remote, bool believed)
    {
        var identity = new OperatorIdentity(Options.Create(new OperatorOptions { UserHeader = Header, TrustedProxies = ["10.0.0.0/8", "192.168.1.10"] }));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Request.Headers[Header] = "maria@example.com";

        var (actor, problem) = identity.Resolve(context.Request, claimed: null);

        Assert.Equal(believed, actor == "maria@example.com");
        Assert.Equal(believed, problem is null);
    }

    [Fact]
    public void A_trusted_proxy_that_is_not_an_address_stops_the_api_at_start()
    {
        using var factory = BehindProxy("the-proxy");

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("the-proxy", error.Message, StringComparison.Ordinal);
    }
}
