using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

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
                var strength = Weight * score;
                var evidence = $"attachment '{attachment.Name}' mentions {string.Join(", ", words.Take(6).Select(w => $"'{w}'"))}";
                var index = result.FindIndex(h => h.Category == rule.Category);
                result = index >= 0
                    ? [.. result.Select((h, i) => i != index ? h : h with
                        {
                            Confidence = Math.Round(1 - ((1 - h.Confidence) * (1 - strength)), 2),
                            Evidence = [.. h.Evidence, evidence],
                        })]
                    : [.. result, new Hypothesis(rule.Category, rule.Cause, Math.Round(strength, 2), [evidence])];
            }
        }

        return [.. result.OrderBy(h => IncidentCategories.Find(h.Category)?.Symptom == true).ThenByDescending(h => h.Confidence)];
    }

    /// <summary>What the diagnosis read of the attachments, for its input digest: a new or newly read document re-runs it.</summary>
    public static string Digest(IReadOnlyList<Attachment> attachments) =>
        // A stable hash (not string.GetHashCode, which differs per process): digests are compared across workers and restarts.
        string.Join(';', attachments.Where(a => a.Text is not null).Select(a =>
            $"{a.Id}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(a.Text!)), 0, 8)}"));
}
