using IncidentOps.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

public class MetricsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Business_figures_cover_the_window_service_and_severity_asked_for()
    {
        var now = DateTimeOffset.UtcNow;
        var edge = now.AddDays(-30).ToUnixTimeMilliseconds();
        // Nothing within a minute of the window's edge, so the API's slightly later clock selects the same incidents.
        var facts = new IncidentHistoryGenerator(5).Generate(3_000, now.AddMinutes(-1), TimeSpan.FromDays(60), openShare: 0.05)
            .Select(g => g.Fact).Where(f => Math.Abs(f.DetectedMs - edge) > 60_000).ToList();
        await new FactStore(api.Redis.Connection, new IncidentStore(api.Redis.Connection)).SaveAsync(facts);

        var figures = (await api.Client.GetFromJsonAsync<BusinessMetrics>("/api/v1/metrics/business?window=30d&service=Checkout&severity=warning", OpsJson.Options))!;

        var cohort = facts.Where(f => f.DetectedMs >= edge && f.Service == "checkout" && f.Severity == Severity.Warning).ToList();
        var minutes = cohort.Where(f => f.IsResolved).Select(f => (f.ResolvedMs!.Value - f.DetectedMs) / 60_000.0).ToList();
        Assert.Equal("30d", figures.Window.Name);
        Assert.Equal(minutes.Count, figures.IncidentsHandled.Count);
        Assert.Equal(minutes.Count, figures.Mttr.SampleSize);
        Assert.Equal(Math.Round(minutes.Average(), 4), figures.Mttr.MeanMinutes!.Value, 3);
        Assert.Equal(cohort.Count, figures.DataQuality.SampleSize);
        Assert.Equal(cohort.Count(f => f.IsOpen), figures.TimeToResolve.Censored);
        Assert.Equal("not configured", figures.CostSavings.Status);
        Assert.Contains("resolvedAt − detectedAt", figures.Mttr.Definition, StringComparison.Ordinal);

        var week = (await api.Client.GetFromJsonAsync<BusinessMetrics>("/api/v1/metrics/business", OpsJson.Options))!;
        Assert.Equal("7d", week.Window.Name);
        Assert.Equal(facts.Count(f => f.DetectedMs >= now.AddDays(-7).ToUnixTimeMilliseconds() && f.IsResolved), week.IncidentsHandled.Count);
    }

    [Fact]
    public async Task A_changed_fact_is_in_the_next_answer_even_right_after_the_same_query()
    {
        var store = new FactStore(api.Redis.Connection, new IncidentStore(api.Redis.Connection));
        var detected = DateTimeOffset.UtcNow.AddHours(-2);
        IncidentFact Resolved(string id) => new(id, "cache-svc", Severity.Error, Severity.Error, Severity.Error, IncidentStatus.Resolved,
            detected.ToUnixTimeMilliseconds(), detected.AddMinutes(-1).ToUnixTimeMilliseconds(), null, detected.AddMinutes(30).ToUnixTimeMilliseconds(), null, false, null);
        await store.SaveAsync([Resolved("cache-1")]);
        const string url = "/api/v1/metrics/business?service=cache-svc";

        var first = (await api.Client.GetFromJsonAsync<BusinessMetrics>(url, OpsJson.Options))!;
        await store.SaveAsync([Resolved("cache-2")]);
        var second = (await api.Client.GetFromJsonAsync<BusinessMetrics>(url, OpsJson.Options))!;

        Assert.Equal(1, first.IncidentsHandled.Count);
        Assert.Equal(2, second.IncidentsHandled.Count);
    }

    [Theory]
    [InlineData("window=1y", "window")]
    [InlineData("window=", "window")]
    [InlineData("severity=3", "severity")]
    [InlineData("severity=urgent", "severity")]
    [InlineData("service=%01bad", "service")]
    public async Task Bad_query_values_are_problems_naming_the_parameter(string query, string field)
    {
        using var response = await api.Client.GetAsync($"/api/v1/metrics/business?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}
