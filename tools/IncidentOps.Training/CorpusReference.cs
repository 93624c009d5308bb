using System.Collections.Concurrent;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Training;

/// <summary>
/// What a fit compares its examples with, without the batches it must not see: the corpus prototypes (per candidate, the
/// mean embedding of its scenarios), the nearest labelled scenarios' vote (<see cref="CorpusNeighbours"/>) and the text
/// model's (<see cref="CauseTextModel"/>: one fitted per group of batches without it, and the shipped one on all). A training
/// example is compared with a corpus that leaves its own batch out too, as a new incident is compared with a corpus that
/// never held it: with itself inside, its similarity (and its own vote) would be higher than any new incident's, and the
/// model would learn to trust the features more than they deserve.
/// </summary>
public sealed class CorpusReference
{
    private readonly IReadOnlyList<TrainingExample> _examples;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, float[]>> _without = new(StringComparer.Ordinal);
    private readonly Dictionary<object, int> _index;

    // Per example, every other example nearest first with its similarity: a vote without some batches walks the list
    // past them (computed once: 4,088 examples are ~16.7 million cosines, seconds; the votes are then cheap per fit).
    private readonly (int Example, float Similarity)[][] _nearest;

    // The text model fitted without each batch's group (by batch), its reading of each example (by the model without the
    // example's group: stacked, so the cause model learns how far to trust the text model on incidents it has not seen),
    // and the text model of every batch (shipped).
    private readonly Dictionary<string, CauseTextWeights> _textWithout;
    private readonly double[][] _textVotes;
    private readonly CauseTextWeights _textShipped;

    /// <summary>The examples, and the groups of batches the training's cross-validation holds out in turn (<see cref="BatchGroups"/>).</summary>
    public CorpusReference(IReadOnlyList<TrainingExample> examples, IReadOnlyList<IReadOnlySet<string>> groups)
    {
        _examples = examples;
        _index = examples.Select((e, i) => (e, i)).ToDictionary(x => (object)x.e, x => x.i, ReferenceEqualityComparer.Instance);
        _nearest = new (int, float)[examples.Count][];
        Parallel.For(0, examples.Count, i =>
        {
            var of = examples[i].Embedding;
            _nearest[i] = [.. Enumerable.Range(0, examples.Count).Where(j => j != i && of.Length > 0 && examples[j].Embedding.Length > 0)
                .Select(j => (j, (float)SentenceEmbedder.Cosine(of, examples[j].Embedding)))
                .OrderByDescending(x => x.Item2)];
        });

        var text = groups.Append(new HashSet<string>()).AsParallel().AsOrdered()
            .Select(left => CauseTextFit.Fit([.. examples.Where(e => !left.Contains(e.Scenario.Batch))])).ToList();
        _textShipped = text[^1];
        _textWithout = groups.SelectMany((g, i) => g.Select(b => (Batch: b, Model: text[i]))).ToDictionary(x => x.Batch, x => x.Model, StringComparer.Ordinal);
        var models = _textWithout.ToDictionary(x => x.Key, x => new CauseTextModel(x.Value), StringComparer.Ordinal);
        _textVotes = [.. examples.AsParallel().AsOrdered().Select(e => models[e.Scenario.Batch].LogProbabilities(e.Evidence))];
    }

    /// <summary>
    /// The text model a fit without the <paramref name="excluded"/> batches reads with: the shipped one when nothing is
    /// excluded, else the one fitted without the group that holds them (an exclusion is always one of the groups).
    /// </summary>
    public CauseTextWeights TextWithout(IReadOnlyCollection<string> excluded) =>
        excluded.Count == 0 ? _textShipped
        : excluded.Select(b => _textWithout[b]).Distinct().ToList() is [var one] ? one
        : throw new ArgumentException($"the batches {string.Join(", ", excluded)} are not one group of the cross-validation");

    /// <summary>The prototypes of every example outside <paramref name="excluded"/> batches.</summary>
    public IReadOnlyDictionary<string, float[]> Without(IEnumerable<string> excluded)
    {
        var set = excluded.Distinct().Order(StringComparer.Ordinal).ToList();
        return _without.GetOrAdd(string.Join(',', set), _ => _examples.Where(e => !set.Contains(e.Scenario.Batch) && e.Embedding.Length > 0)
            .GroupBy(e => e.Scenario.Category)
            .ToDictionary(g => g.Key, g => SentenceEmbedder.Mean([.. g.Select(e => e.Embedding)]), StringComparer.Ordinal));
    }

    /// <summary>The corpus cases outside <paramref name="excluded"/> batches: the neighbours a model fitted without them votes with.</summary>
    public IReadOnlyList<CorpusCase> CasesWithout(IReadOnlyCollection<string> excluded) =>
        [.. _examples.Where(e => !excluded.Contains(e.Scenario.Batch) && e.Embedding.Length > 0).Select(e => new CorpusCase(e.Scenario.Category, e.Embedding))];

    /// <summary>The examples as a fit that must not see <paramref name="excluded"/> reads them (each without its own batch too).</summary>
    public IReadOnlyList<TrainingExample> Project(IEnumerable<TrainingExample> of, IReadOnlyCollection<string> excluded) =>
        [.. of.Select(e => e.WithCorpus(Without(excluded.Append(e.Scenario.Batch)), Votes(e, excluded), _textVotes[_index[e]]))];

    /// <summary>The shipped prototypes (every read batch), rounded to keep the model file small.</summary>
    public IReadOnlyDictionary<string, float[]> Shipped() =>
        Without([]).ToDictionary(p => p.Key, p => p.Value.Select(x => MathF.Round(x, 5)).ToArray(), StringComparer.Ordinal);

    /// <summary>The nearest examples' vote for <paramref name="example"/>, its own batch and the <paramref name="excluded"/> ones left out.</summary>
    private double[]? Votes(TrainingExample example, IReadOnlyCollection<string> excluded)
    {
        var i = _index[example];
        if (example.Embedding.Length == 0)
        {
            return null;
        }

        var own = example.Scenario.Batch;
        return CorpusNeighbours.Vote(_nearest[i]
            .Where(n => _examples[n.Example].Scenario.Batch is var b && b != own && !excluded.Contains(b))
            .Select(n => (_examples[n.Example].Label, (double)n.Similarity)));
    }
}
