namespace IncidentOps.Agents.Phases.Prediction;

public sealed record PredictionResult(
    double ExpectedMinutesToResolve,
    double IntervalLowMinutes,
    double IntervalHighMinutes,
    double EscalationProbability,
    bool PreventionCandidate,
    string Basis)
{
    /// <summary>How many similar resolved incidents the estimate rests on (0: a severity baseline).</summary>
    public int SampleSize { get; init; }

    public double? SloTargetMinutes { get; init; }

    /// <summary>Share of similar incidents that took longer than the SLO target; null without history.</summary>
    public double? SloBreachProbability { get; init; }

    public bool LikelyToBreachSlo { get; init; }
}
