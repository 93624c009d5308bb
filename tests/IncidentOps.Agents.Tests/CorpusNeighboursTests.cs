using System.Text.Json;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The labelled scenarios nearest an incident vote on its cause (the real MiniLM model embeds every text here), and the
/// shipped model carries those scenarios compactly enough to load in the worker.
/// </summary>
public sealed class CorpusNeighboursTests
{
    [Fact]
    public void The_nearest_labelled_incidents_vote_for_their_cause_whatever_words_the_new_one_uses()
    {
        using var embedder = new SentenceEmbedder();
        (string Category, string Text)[] corpus =
        [
            ("certificate_expiry", "x509: certificate has expired or is not yet valid for api.shop.example"),
            ("certificate_expiry", "probe_ssl_earliest_cert_expiry below 0 days on the payments ingress"),
            ("certificate_expiry", "TLS handshake failure: peer certificate notAfter passed at 00:00 UTC"),
            ("disk_full", "node_filesystem_avail_bytes on /var/lib/postgresql at 0.4 % free"),
            ("disk_full", "No space left on device writing the WAL segment"),
            ("disk_full", "inode usage 100 % on /data of the log shipper"),
            ("bad_deploy", "error rate up from 0.1 % to 14 % right after checkout v2.41.0 rolled out"),
            ("bad_deploy", "new ReplicaSet of orders crash-looping since the 14:02 release"),
            ("bad_deploy", "5xx on /cart began with the canary of build 8812"),
        ];
        var neighbours = new CorpusNeighbours([.. corpus.Select(c => new CorpusCase(c.Category, embedder.Embed(c.Text)))]);

        var votes = neighbours.Votes(embedder.Embed("clients report SSL errors: the served chain's leaf cert lapsed yesterday, renewal job never ran"))!;

        var candidates = CauseEvidence.Candidates.ToList();
        var ranked = Enumerable.Range(0, votes.Length).OrderByDescending(i => votes[i]).Select(i => candidates[i]).ToList();
        Assert.Equal("certificate_expiry", ranked[0]);
        // Shares of one vote (log(share + floor)): they add up to one, and a cause no neighbour had keeps only the floor.
        Assert.Equal(1.0, votes.Sum(v => Math.Exp(v) - CorpusNeighbours.Floor), 6);
        Assert.Equal(Math.Log(CorpusNeighbours.Floor), votes[candidates.IndexOf("memory_leak")], 6);
        Assert.Null(new CorpusNeighbours([]).Votes(embedder.Embed("anything")));
    }

    [Fact]
    public void The_model_file_carries_its_corpus_in_half_precision_and_the_shipped_one_holds_every_read_scenario()
    {
        using var embedder = new SentenceEmbedder();
        var embedding = embedder.Embed("p99 latency above 2 s on the search API after the index rebuild");
        var json = JsonSerializer.Serialize(new CorpusCase("bad_deploy", embedding), CauseModelWeights.Json);

        var back = JsonSerializer.Deserialize<CorpusCase>(json, CauseModelWeights.Json)!;

        Assert.Equal("bad_deploy", back.Category);
        Assert.True(SentenceEmbedder.Cosine(embedding, back.Embedding) > 0.9999, "half precision moves a cosine by under 0.001");
        Assert.True(json.Length < 1_200, $"{json.Length} characters for one case");

        var shipped = CauseModel.Load().Weights;
        Assert.Equal(shipped.Examples, shipped.CorpusCases.Count);
        Assert.All(shipped.CorpusCases, c => Assert.Contains(c.Category, CauseEvidence.Candidates));
    }
}
