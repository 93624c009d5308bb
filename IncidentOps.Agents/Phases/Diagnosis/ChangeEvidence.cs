using System.Globalization;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>
/// What a recent production change says about the cause: a deploy of the service shortly before the
/// first alert makes a bad deploy likelier, a config or flag change a configuration error. The closer
/// the change, the stronger the hint; a change after the trouble started is not a suspect. A change is a
/// prior, not evidence of failure: the stronger the evidence of another cause, the less a merely recent
/// change weighs (its hint is scaled by what the strongest other cause leaves unexplained).
/// </summary>
public static class ChangeEvidence
{
    private static readonly TimeSpan AfterStartTolerance = TimeSpan.FromMinutes(2);

    public static List<Hypothesis> Apply(IReadOnlyList<Hypothesis> hypotheses, IReadOnlyList<ChangeEvent> changes, DateTimeOffset firstAlertAt)
    {
        var result = hypotheses.ToList();
        var causes = hypotheses.Where(h => IncidentCategories.Find(h.Category)?.Symptom != true && !CauseRanking.IsEffect(h.Category)).ToList();
        foreach (var change in changes.Where(c => c.At <= firstAlertAt + AfterStartTolerance))
        {
            var category = change.Kind switch
            {
                "deploy" => "bad_deploy",
                "config" or "feature_flag" => "config_error",
                _ => null,
            };
            if (category is null || IncidentCategories.Find(category) is not { } rule)
            {
                continue;
            }

            var minutes = Math.Max(0, (firstAlertAt - change.At).TotalMinutes);
            var rival = causes.Where(h => h.Category != category).MaxBy(h => h.Confidence);
            var strength = (minutes <= 60 ? 0.5 : 0.3) * (1 - (rival?.Confidence ?? 0));
            var said = Describe(change, firstAlertAt) + (rival is { Confidence: >= 0.5 } ? $"; weighed down by the stronger evidence of {rival.Category.Replace('_', ' ')}" : string.Empty);
            result = Hypotheses.Strengthen(result, rule, strength, said);
        }

        return Hypotheses.Rank(result);
    }

    public static string Describe(ChangeEvent change, DateTimeOffset firstAlertAt)
    {
        var minutes = (firstAlertAt - change.At).TotalMinutes;
        var when = minutes >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes:0} min before the first alert")
            : string.Create(CultureInfo.InvariantCulture, $"{-minutes:0} min after the first alert");
        return $"{change.Kind.Replace('_', ' ')} of {change.Service}: '{change.Summary}' ({change.Source}) {when}";
    }
}
