using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Figures;

/// <summary>
/// The few numbers the business figures need from one incident, kept by the metrics worker in Redis so a recompute
/// reads ~60 bytes an incident instead of the whole document with its alerts. Times are unix milliseconds.
/// </summary>
/// <param name="FirstSeverity">The severity of the incident's first alert: escalation is rising above it.</param>
/// <param name="MaxAlertSeverity">The most severe alert that ever joined the incident.</param>
/// <param name="PreventionCandidate">The prediction agent's <c>preventionCandidate</c> flag; null while no prediction completed.</param>
/// <param name="PlanProposed">The resolution agent completed and proposed a plan.</param>
/// <param name="PreviousIncidentId">The incident this one recurs (its alert fired again after that one was resolved).</param>
public sealed record IncidentFact(
    string Id,
    string Service,
    Severity Severity,
    Severity FirstSeverity,
    Severity MaxAlertSeverity,
    IncidentStatus Status,
    long DetectedMs,
    long? FirstAlertMs,
    long? AcknowledgedMs,
    long? ResolvedMs,
    bool? PreventionCandidate,
    bool PlanProposed,
    string? PreviousIncidentId)
{
    private const byte FormatVersion = 1;
    private const int FixedBytes = 6 + (4 * 8);
    private const long None = long.MinValue;

    /// <summary>Resolved or closed: both keep the time it was resolved.</summary>
    public bool IsResolved => ResolvedMs is not null;

    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;

    public bool Escalated => (Severity)Math.Max((int)Severity, (int)MaxAlertSeverity) > FirstSeverity;

    public static IncidentFact From(Incident incident, IReadOnlyDictionary<AgentPhase, AgentRun> runs) =>
        From(incident, PreventionFlag(runs), runs.TryGetValue(AgentPhase.Resolution, out var plan) && plan.State == AgentState.Completed);

    public static IncidentFact From(Incident incident, bool? preventionCandidate, bool planProposed)
    {
        var first = incident.Alerts.Count == 0 ? null : incident.Alerts.MinBy(a => (a.OccurredAt, a.ReceivedAt));
        return new IncidentFact(
            incident.Id,
            incident.Service,
            incident.Severity,
            first?.Severity ?? incident.Severity,
            incident.Alerts.Count == 0 ? incident.Severity : incident.Alerts.Max(a => a.Severity),
            incident.Status,
            incident.DetectedAt.ToUnixTimeMilliseconds(),
            (first?.OccurredAt ?? incident.OccurredAt).ToUnixTimeMilliseconds(),
            incident.AcknowledgedAt?.ToUnixTimeMilliseconds(),
            incident.ResolvedAt?.ToUnixTimeMilliseconds(),
            preventionCandidate,
            planProposed,
            incident.PreviousIncidentId);
    }

    /// <summary>The boolean <c>preventionCandidate</c> of a completed prediction result, or null when there is none.</summary>
    public static bool? PreventionFlag(IReadOnlyDictionary<AgentPhase, AgentRun> runs) =>
        runs.TryGetValue(AgentPhase.Prediction, out var run)
        && run is { State: AgentState.Completed, Result: { ValueKind: JsonValueKind.Object } result }
        && result.TryGetProperty("preventionCandidate", out var flag)
        && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? flag.GetBoolean()
            : null;

    /// <summary>Fixed 38-byte header (little-endian) then the service and previous id as length-prefixed UTF-8.</summary>
    public byte[] ToBytes()
    {
        var service = Encoding.UTF8.GetBytes(Service);
        var previous = Encoding.UTF8.GetBytes(PreviousIncidentId ?? string.Empty);
        var bytes = new byte[FixedBytes + 4 + service.Length + previous.Length];
        var span = bytes.AsSpan();
        span[0] = FormatVersion;
        span[1] = (byte)Severity;
        span[2] = (byte)FirstSeverity;
        span[3] = (byte)MaxAlertSeverity;
        span[4] = (byte)Status;
        span[5] = (byte)((PreventionCandidate is null ? 0 : 1) | (PreventionCandidate == true ? 2 : 0) | (PlanProposed ? 4 : 0));
        BinaryPrimitives.WriteInt64LittleEndian(span[6..], DetectedMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[14..], FirstAlertMs ?? None);
        BinaryPrimitives.WriteInt64LittleEndian(span[22..], AcknowledgedMs ?? None);
        BinaryPrimitives.WriteInt64LittleEndian(span[30..], ResolvedMs ?? None);
        BinaryPrimitives.WriteUInt16LittleEndian(span[FixedBytes..], (ushort)service.Length);
        service.CopyTo(span[(FixedBytes + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(FixedBytes + 2 + service.Length)..], (ushort)previous.Length);
        previous.CopyTo(span[(FixedBytes + 4 + service.Length)..]);
        return bytes;
    }

    /// <summary>Null for a record in a format this version does not read (it is rebuilt from the incident).</summary>
    public static IncidentFact? FromBytes(string id, ReadOnlySpan<byte> span)
    {
        if (span.Length < FixedBytes + 4 || span[0] != FormatVersion)
        {
            return null;
        }

        var serviceLength = BinaryPrimitives.ReadUInt16LittleEndian(span[FixedBytes..]);
        var service = Encoding.UTF8.GetString(span.Slice(FixedBytes + 2, serviceLength));
        var previousLength = BinaryPrimitives.ReadUInt16LittleEndian(span[(FixedBytes + 2 + serviceLength)..]);
        var previous = previousLength == 0 ? null : Encoding.UTF8.GetString(span.Slice(FixedBytes + 4 + serviceLength, previousLength));
        return new IncidentFact(
            id, service, (Severity)span[1], (Severity)span[2], (Severity)span[3], (IncidentStatus)span[4],
            BinaryPrimitives.ReadInt64LittleEndian(span[6..]),
            Optional(BinaryPrimitives.ReadInt64LittleEndian(span[14..])),
            Optional(BinaryPrimitives.ReadInt64LittleEndian(span[22..])),
            Optional(BinaryPrimitives.ReadInt64LittleEndian(span[30..])),
            (span[5] & 1) == 0 ? null : (span[5] & 2) != 0,
            (span[5] & 4) != 0,
            previous);
    }

    private static long? Optional(long value) => value == None ? null : value;
}
