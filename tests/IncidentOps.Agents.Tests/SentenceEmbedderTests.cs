using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The sentence model keeps the vectors of texts it has seen: a storm's incidents share a few alert titles, and each new
/// incident's diagnosis embeds its text. The real MiniLM model runs here (no stand-in).
/// </summary>
public sealed class SentenceEmbedderTests
{
    [Fact]
    public void A_text_seen_before_is_not_run_through_the_model_again_and_a_mixed_batch_keeps_its_order()
    {
        using var embedder = new SentenceEmbedder();
        var seen = embedder.Embed("p99 latency above 2 s on endpoint 3");

        var batch = embedder.Embed(["disk full on /var/lib/postgresql", "p99 latency above 2 s on endpoint 3", "TLS certificate expired on the gateway"]);

        Assert.Same(seen, batch[1]);
        // The texts not seen before are the model's own vectors, each in its place (a second, empty embedder computes them).
        using var fresh = new SentenceEmbedder();
        Assert.Equal(fresh.Embed("disk full on /var/lib/postgresql"), batch[0], (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(fresh.Embed("TLS certificate expired on the gateway"), batch[2], (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.True(SentenceEmbedder.Cosine(batch[0], batch[2]) < 0.9, "different texts, different vectors");
        Assert.Equal(1.0, SentenceEmbedder.Cosine(batch[1], batch[1]), 3);
    }
}
