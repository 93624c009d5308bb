using System.Globalization;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Ai.Tests;

public class KnowledgeIndexTests
{
    private static readonly string[] Kinds =
    [
        "no space left on device on {0} volume /var/lib/data at {1}% used",
        "x509 certificate expired for {0}.internal, handshake failures from {1} clients",
        "lock wait timeout exceeded on {0} orders table, {1} sessions blocked",
        "{0} pods OOMKilled, heap grew to {1} MiB before the kill",
        "{0} upstream payment provider returning 503 error, circuit breaker open",
        "error rate {1}% on {0} service since release {1}.2.0 rolled out",
    ];

    // A corpus where some words ("svc", "error", "service") are in most documents, so the common-term split has work to do.
    private static KnowledgeIndex Corpus(int count) => new(Enumerable.Range(0, count).Select(i =>
    {
        var text = string.Format(CultureInfo.InvariantCulture, Kinds[i % Kinds.Length], $"svc-{i % 13}", 90 + (i % 7)) + (i % 3 == 0 ? " error service" : " service");
        return new KnowledgeDocument(RetrievalKind.ResolvedIncident, $"incident {i}", $"incident:{i}", text, text);
    }));

    [Theory]
    [InlineData("disk full: no space left on svc-3 volume, error on service", 0.3)]
    [InlineData("certificate expired handshake failures svc-7 error", 0.3)]
    [InlineData("error service svc-1", 0.3)]
    [InlineData("payment provider 503 circuit breaker svc-2 error service", 0.5)]
    [InlineData("heap OOMKilled pods svc-9", 0.1)]
    public void A_search_with_a_floor_returns_what_the_unfloored_search_returns_above_it(string query, double floor)
    {
        using var index = Corpus(600);

        var everything = index.Search(query, 600);
        var above = index.Search(query, 5, floor);

        Assert.NotEmpty(everything);
        var expected = everything.Where(m => m.Score >= floor).Take(5).ToList();
        Assert.Equal(expected.Select(m => m.Score), above.Select(m => m.Score));
        // Same documents: among equal scores Lucene's order may differ, so compare each score's set of sources.
        Assert.Equal(
            expected.GroupBy(m => m.Score).ToDictionary(g => g.Key, g => g.Count()),
            above.GroupBy(m => m.Score).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(above, m => Assert.Contains(everything, e => e.Source == m.Source && e.Score == m.Score));
    }

    [Fact]
    public void Past_its_cap_the_index_lets_the_oldest_resolved_incident_go_and_keeps_runbooks_and_the_rest()
    {
        static KnowledgeDocument Incident(int i) =>
            new(RetrievalKind.ResolvedIncident, $"incident {i}", $"incident:{i}", $"zebra{i} disk full on volume {i}", $"zebra{i}");
        using var index = new KnowledgeIndex(
            [new KnowledgeDocument(RetrievalKind.Runbook, "Disk full", "runbook:disk.md", "disk full volume cleanup", "cleanup"), Incident(1), Incident(2), Incident(3)],
            maxIncidents: 3);

        index.Upsert(Incident(2)); // a re-resolved incident is the newest again, nothing goes
        index.Refresh();
        Assert.Equal(4, index.Count);

        index.Upsert(Incident(4)); // past the cap: incident 1, the oldest, goes; incident 2 was refreshed after 3
        index.Upsert(Incident(5)); // and then incident 3
        index.Refresh();

        Assert.Equal(4, index.Count);
        Assert.Empty(index.Search("zebra1", 5));
        Assert.Empty(index.Search("zebra3", 5));
        foreach (var kept in new[] { 2, 4, 5 })
        {
            Assert.Equal($"incident:{kept}", Assert.Single(index.Search($"zebra{kept}", 5)).Source);
        }

        Assert.Contains(index.Search("disk full volume cleanup", 10), m => m.Source == "runbook:disk.md");
    }

    [Fact]
    public void Common_terms_that_cannot_reach_the_floor_alone_are_scored_only_where_a_rare_term_matches()
    {
        using var index = Corpus(600);

        // "error" and "service" are in a third and all of the documents: alone they stay far under 0.9 of the best score.
        var common = index.Search("error service", 5, 0.9);
        var unfloored = index.Search("error service", 5);

        Assert.Empty(common);
        Assert.NotEmpty(unfloored);
        Assert.All(unfloored, m => Assert.True(m.Score < 0.9));
    }
}
