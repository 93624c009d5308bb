using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace IncidentOps.Api.Tests;

/// <summary>
/// Credentials that must not work: each is a 401 on a write, changes nothing, and is in the audit trail with why.
/// </summary>
public class BadCredentialTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Expired_foreign_forged_unsigned_tampered_and_revoked_credentials_are_401_change_nothing_and_are_audited()
    {
        var id = (await api.PostAsync(ApiFixture.Trigger($"badcred-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!;
        var good = await api.SignIn.SignInAsync("responder", "responder-password");

        api.SignIn.ClockOffset = TimeSpan.FromHours(-3);
        var expired = await api.SignIn.SignInAsync("responder", "responder-password");
        api.SignIn.ClockOffset = TimeSpan.Zero;

        await using var otherIssuer = SignInProvider.Start();
        var foreign = await otherIssuer.SignInAsync("admin", "admin-password");

        var admin = await api.As("admin");
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "to be revoked", role = "responder" });
        var key = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var revoke = await admin.DeleteAsync($"/api/v1/admin/api-keys/{key.GetProperty("key").GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var corpus = new (string Name, Action<HttpRequestHeaders> Credential, string Reason)[]
        {
            ("expired", h => h.Authorization = new("Bearer", expired), "token expired"),
            ("other issuer", h => h.Authorization = new("Bearer", foreign), "token"),
            ("alg none", h => h.Authorization = new("Bearer", Unsigned(good)), "token"),
            ("tampered role", h => h.Authorization = new("Bearer", Tampered(good)), "token signature invalid"),
            ("garbage", h => h.Authorization = new("Bearer", "not-a-jwt"), "token"),
            ("revoked API key", h => h.Add("X-Api-Key", key.GetProperty("secret").GetString()), "API key"),
            ("unknown API key", h => h.Add("X-Api-Key", "iok_nope"), "API key"),
        };

        using var client = api.Factory.CreateClient();
        foreach (var (name, credential, _) in corpus)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/acknowledge") { Content = JsonContent.Create(new { reason = name }) };
            credential(request.Headers);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode}");
        }

        var incident = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("triggered", incident.GetProperty("incident").GetProperty("status").GetString());

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=access.unauthenticated&limit=500");
        var denials = audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("target").GetString() == $"id={id}").Select(e => e.GetProperty("detail").GetString()!).ToList();
        Assert.Equal(corpus.Length, denials.Count);
        foreach (var (name, _, reason) in corpus)
        {
            Assert.True(denials.Any(d => d.Contains(reason, StringComparison.Ordinal)), $"{name}: no audit entry saying '{reason}' in [{string.Join("; ", denials)}]");
        }

        // No token, and nothing else from it, is in the audit trail.
        var raw = audit.GetRawText();
        Assert.DoesNotContain(expired, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(key.GetProperty("secret").GetString()!, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        await using var strict = api.Factory.WithWebHostBuilder(web => web.UseSetting("Auth:Audience", "another-api"));
        using var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await api.SignIn.TokenAsync("viewer"));

        using var response = await client.GetAsync("/api/v1/incidents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_gets_no_token()
    {
        using var response = await api.SignIn.Http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "incidentops-cli", ["username"] = "admin", ["password"] = "admin-passwort",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    /// <summary>The same claims with <c>alg: none</c> and no signature.</summary>
    private static string Unsigned(string jwt)
    {
        var parts = jwt.Split('.');
        var header = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"at+jwt"}"""));
        return $"{header}.{parts[1]}.";
    }

    /// <summary>The responder's token with its role claim raised to admin, the original signature kept.</summary>
    private static string Tampered(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = JsonNode.Parse(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))))!;
        payload["role"] = "admin";
        return $"{parts[0]}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
    }

    private static string Pad(string s) => s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
