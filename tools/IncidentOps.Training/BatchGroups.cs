namespace IncidentOps.Training;

/// <summary>
/// The groups of whole batches a cross-validation holds out in turn: the batches, in order, dealt round-robin. A batch is
/// one author, so a group held out is authors the fit never read, as a new team's incidents are.
/// </summary>
public static class BatchGroups
{
    /// <summary>
    /// How many groups the training's estimate holds out in turn (each predicted by a model fitted on the other nine
    /// tenths). It was one batch at a time: B fits of B − 1 batches, each with its own inner cross-validation, which grew
    /// with the square of the batches (36 minutes of training and of the Scenarios test at 117 batches). Ten groups fit
    /// on 90 % of the batches, a little less than the shipped model learns from: the estimate leans pessimistic by what
    /// the last tenth would add (half a point of top-1 when 93 batches became 117).
    /// </summary>
    public const int Count = 10;

    public static List<IReadOnlySet<string>> Of(IEnumerable<string> batches, int count)
    {
        var ordered = batches.Distinct().Order(StringComparer.Ordinal).ToList();
        return [.. ordered.Select((b, i) => (b, i)).GroupBy(x => x.i % Math.Min(count, ordered.Count), x => x.b)
            .Select(g => (IReadOnlySet<string>)g.ToHashSet(StringComparer.Ordinal))];
    }
}
