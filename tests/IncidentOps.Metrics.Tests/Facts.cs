using IncidentOps.Core.Domain;
using IncidentOps.Figures;
using Microsoft.Extensions.Options;

namespace IncidentOps.Metrics.Tests;

/// <summary>Hand-made incident facts relative to a fixed "now", and a clock that stays there.</summary>
internal static class Facts
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <param name="detectedAgo">Minutes before <see cref="Now"/> the incident was detected.</param>
    /// <param name="resolvedAfter">Minutes after detection it was resolved; null = still open.</param>
    public static IncidentFact Fact(
        string id, double detectedAgo, double? resolvedAfter, double? acknowledgedAfter = null, double alertBefore = 1,
        Severity severity = Severity.Error, string service = "checkout", bool? candidate = null, Severity? maxAlert = null,
        Severity? firstAlert = null, bool plan = false, string? previous = null, bool approved = false, bool succeeded = false)
    {
        var detected = Now.AddMinutes(-detectedAgo);
        return new IncidentFact(
            id, service, severity, firstAlert ?? severity, maxAlert ?? firstAlert ?? severity,
            resolvedAfter is null ? IncidentStatus.Triggered : IncidentStatus.Resolved,
            Ms(detected), Ms(detected.AddMinutes(-alertBefore)),
            acknowledgedAfter is { } a ? Ms(detected.AddMinutes(a)) : null,
            resolvedAfter is { } r ? Ms(detected.AddMinutes(r)) : null,
            candidate, plan, previous) { RemediationApproved = approved, RemediationSucceeded = succeeded };
    }

    public static BusinessCalculator Calculator(CostOptions? cost = null) => new(new FixedTime(Now), Options.Create(cost ?? new CostOptions()));

    public sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
