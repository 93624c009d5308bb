using System.Buffers.Binary;
using IncidentOps.Core.Domain;

namespace IncidentOps.Figures;

/// <summary>
/// One incident's fact as the figures read it: a fixed 48-byte record in Redis, a struct here. The incident is known by
/// its <see cref="Slot"/> (position in the packed table), its service by an index into the table's service names.
/// Times are unix milliseconds; <see cref="None"/> marks a missing one.
/// </summary>
public readonly record struct FactRow(
    int Slot,
    int ServiceIndex,
    int PreviousSlot,
    Severity Severity,
    Severity FirstSeverity,
    Severity MaxAlertSeverity,
    IncidentStatus Status,
    byte Flags,
    long DetectedMs,
    long FirstAlertRaw,
    long AcknowledgedRaw,
    long ResolvedRaw)
{
    public const int Size = 48;
    public const long None = long.MinValue;
    private const byte FormatVersion = 1;
    private const byte PredictionKnown = 1, Candidate = 2, Plan = 4, Approved = 8, Succeeded = 16;

    public long? FirstAlertMs => FirstAlertRaw == None ? null : FirstAlertRaw;

    public long? AcknowledgedMs => AcknowledgedRaw == None ? null : AcknowledgedRaw;

    public long? ResolvedMs => ResolvedRaw == None ? null : ResolvedRaw;

    /// <summary>Resolved or closed: both keep the time it was resolved.</summary>
    public bool IsResolved => ResolvedRaw != None;

    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;

    public bool Escalated => (Severity)Math.Max((int)Severity, (int)MaxAlertSeverity) > FirstSeverity;

    public bool? PreventionCandidate => (Flags & PredictionKnown) == 0 ? null : (Flags & Candidate) != 0;

    public bool PlanProposed => (Flags & Plan) != 0;

    /// <summary>A person approved a remediation (an approval-required action) for the incident.</summary>
    public bool RemediationApproved => (Flags & Approved) != 0;

    /// <summary>An approved remediation ran and its executor reported success.</summary>
    public bool RemediationSucceeded => (Flags & Succeeded) != 0;

    public static byte FlagsOf(bool? preventionCandidate, bool planProposed, bool remediationApproved = false, bool remediationSucceeded = false) =>
        (byte)((preventionCandidate is null ? 0 : PredictionKnown) | (preventionCandidate == true ? Candidate : 0) | (planProposed ? Plan : 0)
            | (remediationApproved ? Approved : 0) | (remediationSucceeded ? Succeeded : 0));

    public void WriteTo(Span<byte> span)
    {
        span[0] = FormatVersion;
        span[1] = (byte)Severity;
        span[2] = (byte)FirstSeverity;
        span[3] = (byte)MaxAlertSeverity;
        span[4] = (byte)Status;
        span[5] = Flags;
        span[6] = span[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], ServiceIndex);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], PreviousSlot);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], DetectedMs);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], FirstAlertRaw);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], AcknowledgedRaw);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], ResolvedRaw);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>False for an empty slot (never written: zero bytes) or a record of a format this version does not read.</summary>
    public static bool TryRead(ReadOnlySpan<byte> span, int slot, out FactRow row)
    {
        row = default;
        if (span.Length < Size || span[0] != FormatVersion)
        {
            return false;
        }

        row = new FactRow(
            slot,
            BinaryPrimitives.ReadInt32LittleEndian(span[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[12..]),
            (Severity)span[1], (Severity)span[2], (Severity)span[3], (IncidentStatus)span[4], span[5],
            BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[40..]));
        return true;
    }
}
