using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The first fix within a cause voted by the labelled incidents of that kind most like this one, on the real MiniLM
/// model: the fix of the nearer tellings wins, a kind with one usual fix gets no vote, and the incident's own word on the
/// fix outranks the vote.
/// </summary>
public sealed class RemediationVoteTests
{
    private static readonly string[] FailedOver =
    [
        "Primary payment provider returns 503 for all authorisations; secondary acquirer healthy and configured",
        "SMS provider A timing out on every send; provider B standing by with spare capacity",
        "Geocoding vendor API down (HTTP 502 from all endpoints); fallback vendor available",
    ];

    private static readonly string[] Rerouted =
    [
        "Calls to inventory-service in eu-west-1a time out; the same service in the other zones answers",
        "Upstream pool members in rack B unreachable from the load balancer; rack A members healthy",
        "Requests through transit link 2 to the partner API drop; link 1 to the same API is clean",
    ];

    [Fact]
    public void The_nearest_tellings_of_the_kind_vote_for_their_fix()
    {
        using var embedder = new SentenceEmbedder();
        var examples = Label(embedder, "dependency_outage", "failover", FailedOver)
            .Concat(Label(embedder, "dependency_outage", "reroute_traffic", Rerouted)).ToList();
        // Retellings of one labelled incident each (another vendor, another zone). Only the nearest votes here: with three,
        // "pods in zone c time out" drew two provider outages (failover) beside the zone one, as MiniLM reads both as a
        // dependency timing out; leave-one-batch-out on the corpus says the same (the vote gains nothing), and ships none.
        var provider = RemediationVote.For("dependency_outage", embedder.Embed("Geocoding vendor API down (HTTP 503 from all endpoints); fallback vendor available"), examples, 1);
        var zone = RemediationVote.For("dependency_outage", embedder.Embed("Calls to inventory-service in eu-west-1c time out; the same service in the other zones answers"), examples, 1);

        Assert.Equal("failover", provider?.Remediation);
        Assert.Equal("reroute_traffic", zone?.Remediation);
        Assert.Contains("fixed first by 'reroute_traffic' read most like it", zone?.Evidence);
        // A kind whose labelled incidents share one fix has nothing to vote on; nor has an incident with no embedding.
        Assert.Null(RemediationVote.For("dependency_outage", embedder.Embed("anything"), [.. examples.Where(e => e.Remediation == "failover")], 3));
        Assert.Null(RemediationVote.For("dependency_outage", [], examples, 3));
    }

    [Fact]
    public void The_incidents_own_word_on_the_fix_outranks_the_vote()
    {
        using var embedder = new SentenceEmbedder();
        var text = "Redis Sentinel: quorum lost after the link to dc2 went down; calls to the cache time out from dc1";
        var evidence = Evidence(embedder, text, "network_partition", said: RemediationEvidence.For("network_partition", text)?.Remediation);
        // Every labelled partition near this one was routed around: the vote alone would say reroute_traffic.
        var model = new CauseModel(CauseModel.Load().Weights with
        {
            FixExamples = [.. Label(embedder, "network_partition", "reroute_traffic", [text, .. Rerouted]), .. Label(embedder, "network_partition", "failover", FailedOver)],
            FixNeighbours = 3,
        });

        var leading = model.Hypotheses(evidence)[0];
        var unsaid = model.Hypotheses(Evidence(embedder, text, "network_partition", said: null))[0];

        Assert.Equal(("network_partition", "failover"), (leading.Category, leading.SuggestedRemediation));
        Assert.Equal("reroute_traffic", unsaid.SuggestedRemediation);
        Assert.Contains(unsaid.Evidence, e => e.Contains("were fixed first by 'reroute_traffic'", StringComparison.Ordinal));
    }

    private static IEnumerable<FixExample> Label(SentenceEmbedder embedder, string category, string fix, string[] texts) =>
        texts.Select(t => new FixExample(category, fix, embedder.Embed(t)));

    /// <summary>Evidence strongly for one cause (its words and a near case), with the fix its own evidence says, if any.</summary>
    private static CauseEvidence Evidence(SentenceEmbedder embedder, string text, string category, string? said)
    {
        var causes = CauseEvidence.Categories.Select(c => new CategoryEvidence(c)).ToList();
        var cause = causes.Single(c => c.Category == category);
        (cause.Words, cause.FirstAlertWords, cause.StrongTerms, cause.Similarity, cause.RemediationSaid) = (0.95, 0.95, 3, 0.8, said);
        return new CauseEvidence(causes, 0, 0) { Embedding = embedder.Embed(text) };
    }
}
