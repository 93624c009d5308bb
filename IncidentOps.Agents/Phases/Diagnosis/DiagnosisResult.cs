namespace IncidentOps.Agents.Phases.Diagnosis;

public sealed record Hypothesis(string Category, string Cause, double Confidence, IReadOnlyList<string> Evidence)
{
    /// <summary>The first fix of the nearest labelled case of this kind (the local engine), when one is near enough to say.</summary>
    public string? SuggestedRemediation { get; init; }

    /// <summary>The other service where the cause sits, read in its incident open in the same minutes (<see cref="IncidentId"/>); null when it is this incident's.</summary>
    public string? Service { get; init; }

    public string? IncidentId { get; init; }
}

/// <summary>Ranked hypotheses; <see cref="Unknown"/> when the evidence is too thin to name a cause.</summary>
public sealed record DiagnosisResult(IReadOnlyList<Hypothesis> Hypotheses, bool Unknown, string Summary)
{
    /// <summary>Which engine reasoned (<c>local:rules</c>, <c>bedrock:model-id</c>, <c>rules</c> without the AI layer).</summary>
    public string? Engine { get; init; }

    /// <summary>What the AI layer noted on the way: injection markers in the alert text, models skipped or fallen back from, why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Changes to the service shortly before the first alert, in words.</summary>
    public IReadOnlyList<string> RecentChanges { get; init; } = [];

    /// <summary>Resolved incidents that read like this one.</summary>
    public IReadOnlyList<SimilarIncident> SimilarIncidents { get; init; } = [];

    /// <summary>What fixed incidents of the leading category before, and how often it worked.</summary>
    public IReadOnlyList<PastFix> PastFixes { get; init; } = [];
}

public sealed record SimilarIncident(string Title, string Source, double Score, string Snippet);

public sealed record PastFix(string Remediation, long Tried, long Worked, double? SuccessRate);
