namespace IncidentOps.Core.Storage;

/// <summary>An entry of <c>agents:work</c>: analyse this incident, or, with <see cref="ActionId"/>, carry out an approved action.</summary>
public sealed record WorkItem(string IncidentId, string Reason, DateTimeOffset At)
{
    public string? ActionId { get; init; }

    /// <summary>With an attachment id: read the attachment's text, then re-analyse what it changes.</summary>
    public string? AttachmentId { get; init; }
}
