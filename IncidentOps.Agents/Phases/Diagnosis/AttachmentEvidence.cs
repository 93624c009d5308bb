using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>
/// What attached documents (a log excerpt, a screenshot read by Textract) say about the cause: the same term rules
/// as the alerts, weighed a little lower (a document may quote more than the failure), added to the hypotheses.
/// </summary>
public static class AttachmentEvidence
{
    private const double Weight = 0.7;

    public static List<Hypothesis> Apply(IReadOnlyList<Hypothesis> hypotheses, IReadOnlyList<Attachment> attachments)
    {
        var result = hypotheses.ToList();
        foreach (var attachment in attachments.Where(a => !string.IsNullOrWhiteSpace(a.Text)))
        {
            foreach (var (rule, score, words) in IncidentCategories.Match(attachment.Text!))
            {
                var evidence = $"attachment '{attachment.Name}' mentions {string.Join(", ", words.Take(6).Select(w => $"'{w}'"))}";
                result = Hypotheses.Strengthen(result, rule, Weight * score, evidence);
            }
        }

        return Hypotheses.Rank(result);
    }

    /// <summary>What the diagnosis read of the attachments, for its input digest: a new or newly read document re-runs it.</summary>
    public static string Digest(IReadOnlyList<Attachment> attachments) =>
        // A stable hash (not string.GetHashCode, which differs per process): digests are compared across workers and restarts.
        string.Join(';', attachments.Where(a => a.Text is not null).Select(a =>
            $"{a.Id}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(a.Text!)), 0, 8)}"));
}
