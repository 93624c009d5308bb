using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The text model over the causes: what the incident's words say, learned over the corpus, reaches the cause model as
/// one more piece of evidence per candidate, so a cause told in words no rule names is still found; the shipped model
/// carries one and trusts it.
/// </summary>
public sealed class CauseTextModelTests
{
    // Learned: "lapsed" and "leaf" are how certificates expire in someone's alerts; "evicted" is how a leak pages.
    private static readonly CauseTextModel Text = new(new CauseTextWeights(
        [.. CauseEvidence.Candidates.Select(_ => 0.0)],
        new Dictionary<string, double[]>
        {
            ["lapsed"] = Weights(("certificate_expiry", 3)),
            ["leaf"] = Weights(("certificate_expiry", 2)),
            ["evicted"] = Weights(("memory_leak", 3), ("resource_exhaustion", 1)),
            ["first:evicted"] = Weights(("memory_leak", 1)),
        }));

    private static double[] Weights(params (string Candidate, double Weight)[] weights) =>
        [.. CauseEvidence.Candidates.Select(c => weights.FirstOrDefault(w => w.Candidate == c).Weight)];

    /// <summary>A cause model that reads nothing but the text model's vote ("corpus_text" for causes and for "unknown").</summary>
    private static readonly CauseModel OnlyText = new(new CauseModelWeights(CauseEvidence.FeatureNames,
        [.. CauseEvidence.FeatureNames.Select(n => n is "corpus_text" or "unknown:corpus_text" ? 1.0 : 0)], 1, LocalReasoner.MinimumConfidence)
    {
        CorpusText = Text.Weights,
    });

    private static CauseEvidence Evidence(string text, string? first = null) =>
        new([.. CauseEvidence.Categories.Select(c => new CategoryEvidence(c))], 0, 0)
        {
            Terms = RemediationModel.Terms(text),
            FirstTerms = RemediationModel.Terms(first ?? string.Empty),
        };

    [Theory]
    [InlineData("the served chain's leaf cert lapsed overnight", null, "certificate_expiry")]
    [InlineData("pods evicted on the node again", "pods evicted", "memory_leak")]
    public void A_cause_told_in_words_no_rule_names_is_found_through_the_text_model(string text, string? first, string cause)
    {
        var hypotheses = OnlyText.Hypotheses(Evidence(text, first));

        Assert.Equal(cause, hypotheses[0].Category);
        Assert.True(hypotheses[0].Confidence > 0.5, $"{hypotheses[0].Confidence}");
    }

    [Fact]
    public void Words_it_never_learned_leave_every_candidate_alike_and_no_candidate_is_ruled_out_outright()
    {
        var unseen = Text.LogProbabilities(Evidence("checkout latency p99 above 2 s"));
        Assert.All(unseen, p => Assert.Equal(Math.Log(1.0 / CauseEvidence.Candidates.Count), p, 9));

        var sure = new CauseTextModel(new CauseTextWeights([.. CauseEvidence.Candidates.Select(_ => 0.0)],
            new Dictionary<string, double[]> { ["x509"] = Weights(("certificate_expiry", 60)) }));
        var p = sure.LogProbabilities(Evidence("x509 expired"));
        Assert.Equal(0, p[CauseEvidence.Candidates.ToList().IndexOf("certificate_expiry")], 9);
        Assert.All(p.Where((_, i) => CauseEvidence.Candidates[i] != "certificate_expiry"), x => Assert.Equal(CauseTextModel.LogFloor, x));
    }

    [Fact]
    public void A_text_model_for_other_candidates_than_the_engines_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => new CauseTextModel(new CauseTextWeights([0, 0], new Dictionary<string, double[]>())));
    }

    [Fact]
    public void The_shipped_cause_model_carries_a_text_model_of_every_read_batch_and_weighs_its_vote_up()
    {
        var shipped = CauseModel.Load().Weights;

        Assert.NotNull(shipped.CorpusText);
        Assert.Equal(CauseEvidence.Candidates.Count, shipped.CorpusText.Bias.Count);
        Assert.True(shipped.CorpusText.Weights.Count > 1_000, $"{shipped.CorpusText.Weights.Count} features");
        var features = CauseEvidence.FeatureNames.ToList();
        Assert.True(shipped.Weights[features.IndexOf("corpus_text")] > 0, "the fitted cause model trusts the text model's vote");
    }
}
