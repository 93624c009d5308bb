using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Training;

/// <summary>One way the corpus's incidents vote on the first fix within a cause (<see cref="RemediationVote"/>), and what
/// leave-one-batch-out measured of it.</summary>
public sealed record RemediationVoteVariant(string Name, bool Prototypes, int Neighbours)
{
    public IReadOnlyList<FixExample> From(IEnumerable<TrainingExample> train) => RemediationVoteFit.Examples(train, Prototypes);
}

/// <summary>
/// The first fix decided as its own step, measured like the cause: for each read batch the vote is cast by the other
/// batches' incidents only, on the cause the model fitted without the batch named first. The ways compared, simplest
/// first (a tie keeps the simpler): none (the nearest hand-written case's fix, or the standard one), one prototype per
/// kind and fix, and the 5, 9 or 15 nearest incidents of the kind.
/// </summary>
public static class RemediationVoteFit
{
    /// <summary>A fix with fewer incidents of a kind than this is not voted for (too few to stand for how authors tell it).</summary>
    public const int MinExamples = 5;

    public static IReadOnlyList<RemediationVoteVariant> Variants { get; } =
        [new("none", false, 0), new("prototypes", true, 1), new("5 nearest", false, 5), new("9 nearest", false, 9), new("15 nearest", false, 15)];

    /// <summary>The labelled fixes of <paramref name="of"/> for the kinds with two or more fixes of at least <see cref="MinExamples"/>
    /// incidents each: each incident, or the mean per kind and fix.</summary>
    public static IReadOnlyList<FixExample> Examples(IEnumerable<TrainingExample> of, bool prototypes)
    {
        var fixes = of.Where(e => e.Scenario is { Remediation: not null } && e.Scenario.Category != IncidentCategories.Unknown && e.Embedding.Length > 0)
            .GroupBy(e => (e.Scenario.Category, Remediation: e.Scenario.Remediation!))
            .Where(g => g.Count() >= MinExamples)
            .GroupBy(g => g.Key.Category)
            .Where(kind => kind.Count() >= 2)
            .SelectMany(kind => kind)
            .OrderBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Remediation, StringComparer.Ordinal)
            .ToList();
        return prototypes
            ? [.. fixes.Select(g => new FixExample(g.Key.Category, g.Key.Remediation, Round(SentenceEmbedder.Mean([.. g.Select(e => e.Embedding)]))))]
            : [.. fixes.SelectMany(g => g.Select(e => new FixExample(g.Key.Category, g.Key.Remediation, Round(e.Embedding))))];
    }

    /// <summary>Rounded as the model file stores them (<see cref="HalfVectorJson"/>), so leave-one-batch-out measures the shipped vote.</summary>
    private static float[] Round(float[] vector) => [.. vector.Select(x => (float)(Half)x)];

    /// <summary>The model with the vote of <paramref name="fixes"/> (none when empty).</summary>
    public static CauseModel With(CauseModel model, RemediationVoteVariant variant, IReadOnlyList<FixExample> fixes) =>
        new(model.Weights with { FixExamples = variant.Neighbours == 0 ? [] : fixes, FixNeighbours = variant.Neighbours });
}
