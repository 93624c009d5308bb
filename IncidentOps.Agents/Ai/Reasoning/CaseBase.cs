using System.Collections.Concurrent;
using System.Text.Json;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>A labelled case: what kind of incident it was, the fix that is usually first, and how it reads.</summary>
public sealed record LabelledCase(string Category, string? Remediation, string Text, string Source);

/// <summary>A case near an incident, and how near (cosine similarity of their sentence embeddings, -1..1).</summary>
public sealed record CaseMatch(LabelledCase Case, double Similarity);

/// <summary>
/// The labelled cases the local engine compares an incident with by meaning, not by words: the shipped
/// <c>CaseBase/cases.json</c> (each category told in several tools' vocabularies) plus cases confirmed by responders
/// when they resolve an incident (<see cref="Add"/>), so the engine learns the team's own incidents.
/// </summary>
public sealed class CaseBase(SentenceEmbedder embedder)
{
    private readonly Lazy<ShippedCases> _shipped = new(() => Load(embedder), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ConcurrentDictionary<string, (LabelledCase Case, float[] Vector)> _confirmed = new(StringComparer.Ordinal);

    public int Count => _shipped.Value.Cases.Count + _confirmed.Count;

    /// <summary>Loads the model and embeds the shipped cases now, so the first incident does not wait for them.</summary>
    public void Warm() => _ = _shipped.Value;

    /// <summary>Adds (or replaces, by source) a confirmed case.</summary>
    public void Add(LabelledCase confirmed) => _confirmed[confirmed.Source] = (confirmed, embedder.Embed(confirmed.Text));

    /// <summary>Whether a confirmed case from <paramref name="source"/> is held, with this category.</summary>
    public bool Has(string source, string category) => _confirmed.TryGetValue(source, out var held) && held.Case.Category == category;

    /// <summary>The nearest case of each category to <paramref name="text"/>, nearest first.</summary>
    public IReadOnlyList<CaseMatch> NearestPerCategory(string text) => Compare(text).Nearest;

    /// <summary>
    /// The nearest case of each category (nearest first), and the similarity to each category's prototype: the mean of
    /// its shipped cases' embeddings, what the kind of incident reads like in general rather than one telling of it.
    /// </summary>
    public (IReadOnlyList<CaseMatch> Nearest, IReadOnlyDictionary<string, double> Prototypes, float[] Embedding) Compare(string text)
    {
        var query = embedder.Embed(text);
        IReadOnlyList<CaseMatch> nearest = [.. _shipped.Value.Cases.Concat(_confirmed.Values)
            .Select(c => new CaseMatch(c.Case, SentenceEmbedder.Cosine(query, c.Vector)))
            .GroupBy(m => m.Case.Category)
            .Select(g => g.MaxBy(m => m.Similarity)!)
            .OrderByDescending(m => m.Similarity)];
        return (nearest, _shipped.Value.Prototypes.ToDictionary(p => p.Key, p => SentenceEmbedder.Cosine(query, p.Value), StringComparer.Ordinal), query);
    }

    private sealed record ShippedCases(List<(LabelledCase Case, float[] Vector)> Cases, Dictionary<string, float[]> Prototypes);

    private static ShippedCases Load(SentenceEmbedder embedder)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "CaseBase", "cases.json");
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        var cases = file.RootElement.GetProperty("cases").EnumerateArray()
            .Select((c, i) => new LabelledCase(
                c.GetProperty("category").GetString()!,
                c.TryGetProperty("remediation", out var r) ? r.GetString() : null,
                c.GetProperty("text").GetString()!,
                $"case-base:{i + 1}"))
            .ToList();
        var vectors = embedder.Embed([.. cases.Select(c => c.Text)]);
        var prototypes = cases.Select((c, i) => (c.Category, Vector: vectors[i])).GroupBy(x => x.Category)
            .ToDictionary(g => g.Key, g => SentenceEmbedder.Mean([.. g.Select(x => x.Vector)]), StringComparer.Ordinal);
        return new ShippedCases([.. cases.Select((c, i) => (c, vectors[i]))], prototypes);
    }
}

/// <summary>Warms the case base (the embedding model and the shipped cases) in the background when the worker starts.</summary>
public sealed class CaseBaseWarmup(CaseBase cases) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(cases.Warm, stoppingToken);
}
