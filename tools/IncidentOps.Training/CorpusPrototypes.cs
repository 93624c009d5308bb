using System.Collections.Concurrent;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Training;

/// <summary>
/// The corpus prototypes (per candidate, the mean embedding of its scenarios) without the batches a fit must not see.
/// A training example is compared with prototypes that leave its own batch out too, as a new incident is compared with
/// prototypes that never held it: with itself inside, its similarity would be higher than any new incident's, and the
/// model would learn to trust the feature more than it deserves.
/// </summary>
public sealed class CorpusPrototypes(IReadOnlyList<TrainingExample> examples)
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, float[]>> _without = new(StringComparer.Ordinal);

    /// <summary>The prototypes of every example outside <paramref name="excluded"/> batches.</summary>
    public IReadOnlyDictionary<string, float[]> Without(IEnumerable<string> excluded)
    {
        var set = excluded.Distinct().Order(StringComparer.Ordinal).ToList();
        return _without.GetOrAdd(string.Join(',', set), _ => examples.Where(e => !set.Contains(e.Scenario.Batch) && e.Embedding.Length > 0)
            .GroupBy(e => e.Scenario.Category)
            .ToDictionary(g => g.Key, g => SentenceEmbedder.Mean([.. g.Select(e => e.Embedding)]), StringComparer.Ordinal));
    }

    /// <summary>The examples as a fit that must not see <paramref name="excluded"/> reads them (each without its own batch too).</summary>
    public IReadOnlyList<TrainingExample> Project(IEnumerable<TrainingExample> of, IReadOnlyCollection<string> excluded) =>
        [.. of.Select(e => e.WithCorpus(Without(excluded.Append(e.Scenario.Batch))))];

    /// <summary>The shipped prototypes (every read batch), rounded to keep the model file small.</summary>
    public IReadOnlyDictionary<string, float[]> Shipped() =>
        Without([]).ToDictionary(p => p.Key, p => p.Value.Select(x => MathF.Round(x, 5)).ToArray(), StringComparer.Ordinal);
}
