using System.Globalization;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>
/// What a recent production change says about the cause: a deploy of the service shortly before the
/// first alert makes a bad deploy likelier, a config or flag change a configuration error. The closer
/// the change, the stronger the hint; a change after the trouble started is not a suspect.
/// </summary>
public static class ChangeEvidence
{
    private static readonly TimeSpan AfterStartTolerance = TimeSpan.FromMinutes(2);

    public static List<Hypothesis> Apply(IReadOnlyList<Hypothesis> hypotheses, IReadOnlyList<ChangeEvent> changes, DateTimeOffset firstAlertAt)
    {
        var result = hypotheses.ToList();
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
            result = Hypotheses.Strengthen(result, rule, minutes <= 60 ? 0.5 : 0.3, Describe(change, firstAlertAt));
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
