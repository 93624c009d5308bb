using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>One labelled scenario the model was trained on, as its sentence embedding: a neighbour a new incident is compared with.</summary>
public sealed record CorpusCase(string Category, [property: JsonConverter(typeof(HalfVectorConverter))] float[] Embedding);

/// <summary>
/// The nearest labelled scenarios vote on the cause: the <see cref="K"/> most similar, each weighed by e^(similarity /
/// <see cref="Temperature"/>), give each candidate ("unknown" included) its share of the vote, read as a log
/// (log(share + <see cref="Floor"/>): a cause no neighbour had is not impossible). The prototypes compare an incident
/// with the mean of each kind; the neighbours with the incidents most like it, so a kind told in several ways (a
/// certificate as an x509 error, a TLS handshake failure or a probe's expiry days) is found by whichever way is nearest.
/// Measured on the read batches before it shipped (docs/diagnosis-accuracy.md, twenty-first session).
/// </summary>
public sealed class CorpusNeighbours(IReadOnlyList<CorpusCase> cases)
{
    public const int K = 10;

    public const double Temperature = 0.05;

    public const double Floor = 0.01;

    private static readonly Dictionary<string, int> CandidateIndex =
        CauseEvidence.Candidates.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

    private readonly int[] _labels = [.. cases.Select(c => CandidateIndex.TryGetValue(c.Category, out var i)
        ? i : throw new InvalidDataException($"corpus case of unknown category '{c.Category}'"))];

    private readonly float[][] _embeddings = [.. cases.Select(c => c.Embedding)];

    /// <summary>The log vote share of each candidate among the cases nearest <paramref name="embedding"/>; null without cases.</summary>
    public double[]? Votes(float[] embedding)
    {
        if (_labels.Length == 0 || embedding.Length == 0)
        {
            return null;
        }

        // The K nearest kept in order as the cases are scanned (per incident, on the diagnosis' path): no sort of every case.
        var nearest = new (int Candidate, double Similarity)[Math.Min(K, _labels.Length)];
        var kept = 0;
        for (var i = 0; i < _labels.Length; i++)
        {
            var similarity = SentenceEmbedder.Cosine(embedding, _embeddings[i]);
            if (kept == nearest.Length && similarity <= nearest[^1].Similarity)
            {
                continue;
            }

            var at = kept < nearest.Length ? kept++ : nearest.Length - 1;
            while (at > 0 && nearest[at - 1].Similarity < similarity)
            {
                nearest[at] = nearest[at - 1];
                at--;
            }

            nearest[at] = (_labels[i], similarity);
        }

        return Vote(nearest);
    }

    /// <summary>
    /// The vote of the neighbours given, nearest first (the first <see cref="K"/> count), as log(share + <see cref="Floor"/>)
    /// per candidate. Shared with the training command, which walks its own precomputed neighbour lists.
    /// </summary>
    public static double[] Vote(IEnumerable<(int Candidate, double Similarity)> nearestFirst)
    {
        var votes = new double[CauseEvidence.Candidates.Count];
        foreach (var (candidate, similarity) in nearestFirst.Take(K))
        {
            votes[candidate] += Math.Exp(similarity / Temperature);
        }

        var sum = votes.Sum();
        return [.. votes.Select(v => Math.Log((sum > 0 ? v / sum : 0) + Floor))];
    }
}

/// <summary>
/// A unit vector as base64 half-precision floats: the model file carries thousands of embeddings, and half precision
/// (three significant digits) moves a cosine by under 0.001, against ~8 MB as JSON numbers. Hand-written: a float
/// array's compact form is not a System.Text.Json option.
/// </summary>
public sealed class HalfVectorConverter : JsonConverter<float[]>
{
    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bytes = reader.GetBytesFromBase64();
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes);
        var vector = new float[halves.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)halves[i];
        }

        return vector;
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        var halves = value.Select(x => (Half)x).ToArray();
        writer.WriteBase64StringValue(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
    }
}
