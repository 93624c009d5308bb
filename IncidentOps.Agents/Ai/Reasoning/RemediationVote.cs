using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// A labelled fix: the sentence embedding of an incident of <paramref name="Category"/> whose first fix was
/// <paramref name="Remediation"/>, or the mean of many such incidents (a prototype). Shipped in the cause model
/// (<see cref="HalfVectorJson"/>).
/// </summary>
public sealed record FixExample(string Category, string Remediation, [property: System.Text.Json.Serialization.JsonConverter(typeof(HalfVectorJson))] float[] Vector);

/// <summary>
/// The first fix within a cause, as its own step after the cause: where a kind of incident has more than one usual first
/// fix (a dependency's outage failed over or routed around, a leak restarted or rolled back, a surge scaled for or
/// rate-limited), the labelled incidents of that kind most like this one vote (decision code, no I/O). It stands behind
/// the incident's own evidence (<see cref="RemediationEvidence"/>: a figure or a word that says which fix) and before the
/// nearest hand-written case: the corpus holds each kind told by many authors, the case base a few tellings.
/// </summary>
public static class RemediationVote
{
    /// <summary>
    /// The fix most of the <paramref name="neighbours"/> nearest labelled incidents of <paramref name="category"/> had
    /// first (ties to the nearer ones), with what says so; null when the category has one usual fix in
    /// <paramref name="examples"/>, or there is no embedding to compare.
    /// </summary>
    public static (string Remediation, string Evidence)? For(string category, float[] embedding, IReadOnlyList<FixExample> examples, int neighbours)
    {
        var ofCategory = examples.Where(e => e.Category == category).ToList();
        if (embedding.Length == 0 || neighbours < 1 || ofCategory.Select(e => e.Remediation).Distinct().Count() < 2)
        {
            return null;
        }

        var nearest = ofCategory.Select(e => (e.Remediation, Similarity: SentenceEmbedder.Cosine(embedding, e.Vector)))
            .OrderByDescending(x => x.Similarity).Take(neighbours).ToList();
        var votes = nearest.GroupBy(x => x.Remediation)
            .Select(g => (Fix: g.Key, Votes: g.Count(), Similarity: g.Sum(x => x.Similarity)))
            .OrderByDescending(v => v.Votes).ThenByDescending(v => v.Similarity).ToList();
        var best = votes[0];
        var said = nearest.Count == 1
            ? $"the {category.Replace('_', ' ')} incidents fixed first by '{best.Fix}' read most like it ({nearest[0].Similarity:0.00}, against {string.Join(", ", ofCategory.Where(e => e.Remediation != best.Fix).Select(e => $"'{e.Remediation}' {SentenceEmbedder.Cosine(embedding, e.Vector):0.00}"))})"
            : $"{best.Votes} of the {nearest.Count} {category.Replace('_', ' ')} incidents of the corpus nearest it were fixed first by '{best.Fix}'";
        return (best.Fix, said);
    }
}
