using System.Text.Json;

namespace IncidentOps.Core.Drills;

/// <summary>
/// One incident written as data (the scenario corpus, <c>tests/scenarios</c>): the alerts as they arrive, the recent
/// changes, and the known answer. The API replays one as a drill; the gallery shows them.
/// </summary>
public sealed record DrillScenario(
    string Id,
    string Description,
    string Service,
    DrillExpectation Expected,
    IReadOnlyList<DrillChange>? Changes,
    IReadOnlyList<DrillAlert> Alerts);

public sealed record DrillExpectation(string Category, string Remediation);

public sealed record DrillChange(int MinutesBeforeFirstAlert, string Service, string Source, string Summary, string Kind);

public sealed record DrillAlert(
    string Source,
    int OffsetSeconds,
    Dictionary<string, string>? Labels,
    Dictionary<string, string>? Annotations,
    string? Summary,
    string? Severity,
    string? Component,
    string? Group,
    string? Class,
    JsonElement? CustomDetails);

/// <summary>A scenario as the gallery lists it: what it is about, not its alerts.</summary>
public sealed record DrillScenarioCard(
    string Id,
    string Title,
    string Description,
    string Service,
    string Category,
    string KnownRemediation,
    string Severity,
    int AlertCount,
    int ChangeCount);

/// <summary>The answer to starting a drill: the incident it opened.</summary>
public sealed record DrillStarted(string DrillId, string ScenarioId, string IncidentId, int Alerts, int Changes);
