using System.Globalization;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Storage;

/// <summary>A filtered, newest-first page of incidents. <see cref="After"/> is the cursor of the previous page's last item.</summary>
public sealed record IncidentQuery(
    IReadOnlySet<IncidentStatus>? Statuses,
    Severity? Severity,
    string? Service,
    DateTimeOffset? From,
    DateTimeOffset? To,
    IncidentCursor? After,
    int Limit)
{
    public bool Matches(Incident incident) =>
        (Statuses is null || Statuses.Contains(incident.Status))
        && (Severity is null || incident.Severity == Severity)
        && (Service is null || string.Equals(incident.Service, Service, StringComparison.OrdinalIgnoreCase))
        && (From is null || incident.DetectedAt >= From)
        && (To is null || incident.DetectedAt < To)
        && (After is null || After.Value.IsBefore(incident));
}

/// <summary>Position in the newest-first order: detection time, then id (so equal times page stably).</summary>
public readonly record struct IncidentCursor(long DetectedMs, string Id)
{
    public static IncidentCursor Of(Incident incident) => new(incident.DetectedAt.ToUnixTimeMilliseconds(), incident.Id);

    /// <summary>Whether <paramref name="incident"/> comes after this cursor in newest-first order.</summary>
    public bool IsBefore(Incident incident)
    {
        var ms = incident.DetectedAt.ToUnixTimeMilliseconds();
        return ms < DetectedMs || (ms == DetectedMs && string.CompareOrdinal(incident.Id, Id) < 0);
    }

    public static bool TryParse(string? text, out IncidentCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('_', 2);
        if (parts is not [var ms, var id] || id.Length == 0
            || !long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var detected))
        {
            return false;
        }

        cursor = new IncidentCursor(detected, id);
        return true;
    }

    public override string ToString() => $"{DetectedMs}_{Id}";
}
