using System.Net.Http.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

/// <summary>The business figures cache is keyed by what the query means, bounded, and not a lever for making us recompute.</summary>
public class BusinessFiguresCacheTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private FactStore Facts => new(api.Redis.Connection, new IncidentStore(api.Redis.Connection));

    private static IncidentFact Resolved(string id, string service)
    {
        var detected = DateTimeOffset.UtcNow.AddHours(-2);
        return new(id, service, Severity.Error, Severity.Error, Severity.Error, IncidentStatus.Resolved,
            detected.ToUnixTimeMilliseconds(), detected.AddMinutes(-1).ToUnixTimeMilliseconds(), null, detected.AddMinutes(30).ToUnixTimeMilliseconds(), null, false, null);
    }

    private async Task<BusinessMetrics> GetAsync(string query) =>
        (await api.Client.GetFromJsonAsync<BusinessMetrics>($"/api/v1/metrics/business?{query}", OpsJson.Options))!;

    private BusinessFiguresCache Cache(TimeProvider clock, int capacity = BusinessFiguresCache.MaxEntries) =>
        new(api.Redis.Connection, Facts, new BusinessCalculator(clock, Options.Create(new CostOptions())), clock) { Capacity = capacity };

    [Fact]
    public async Task Spellings_of_one_service_share_one_entry()
    {
        await Facts.SaveAsync([Resolved("norm-1", "Payments-Norm"), Resolved("norm-2", "payments-norm")]);
        var cache = Cache(new TestClock(DateTimeOffset.UtcNow)); // a still clock: no answer ages out during the test

        var answers = new List<BusinessMetrics>();
        foreach (var spelling in new[] { "Payments-Norm", "payments-norm", " PAYMENTS-NORM ", "pAyMeNtS-nOrM\t" })
        {
            answers.Add(await cache.GetAsync(new MetricsQuery("7d", spelling)));
        }

        Assert.All(answers, a => Assert.Equal(2, a.IncidentsHandled.Count));
        Assert.Equal((1, 1), (cache.Recomputes, cache.Count));
    }

    [Fact]
    public async Task An_unknown_service_is_an_empty_answer_without_a_recompute_or_a_cache_entry()
    {
        await Facts.SaveAsync([Resolved("known-1", "known-svc")]);
        var cache = api.Factory.Services.GetRequiredService<BusinessFiguresCache>();
        await GetAsync("service=known-svc");
        var (recomputes, entries) = (cache.Recomputes, cache.Count);

        var unknown = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetAsync($"service=nobody-{Guid.NewGuid():N}&window=30d")));

        Assert.All(unknown, u => Assert.Equal((0, 0), (u.IncidentsHandled.Count, u.DataQuality.SampleSize)));
        Assert.Equal((recomputes, entries), (cache.Recomputes, cache.Count));
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_capacity()
    {
        var services = Enumerable.Range(0, 6).Select(i => $"bounded-{i}").ToList();
        await Facts.SaveAsync([.. services.Select(s => Resolved($"{s}-1", s))]);
        var cache = Cache(TimeProvider.System, capacity: 3);

        foreach (var service in services)
        {
            await cache.GetAsync(new MetricsQuery("7d", service));
        }

        Assert.Equal(6, cache.Recomputes);
        Assert.Equal(3, cache.Count);
    }
}
