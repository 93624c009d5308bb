using System.Security.Cryptography;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Documents attached to incidents: the metadata per incident, the bytes per attachment. Adding one stores it,
/// appends <c>attachment.added</c> and queues the agents to read it, in one atomic step.
/// </summary>
public sealed class AttachmentStore(IConnectionMultiplexer redis, OpsEventLog log, TimeProvider time)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Adds without limits (tools and tests); the API goes through <see cref="TryAddAsync"/>.</summary>
    public async Task<Attachment> AddAsync(string incidentId, string name, string contentType, byte[] content, string by, string? traceparent) =>
        (await TryAddAsync(incidentId, name, contentType, content, by, traceparent, AttachmentLimits.None)).Attachment!;

    /// <summary>Adds the attachment unless the incident would then have more than the limits allow; checked and written in one atomic step.</summary>
    public async Task<AttachmentAdded> TryAddAsync(string incidentId, string name, string contentType, byte[] content, string by, string? traceparent, AttachmentLimits limits)
    {
        var now = time.GetUtcNow();
        var attachment = new Attachment($"att_{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}", incidentId, name, contentType, content.Length, by, now);
        var evt = new PendingEvent(EventTypes.AttachmentAdded, incidentId, now, new AttachmentChanged(attachment));
        var work = new WorkItem(incidentId, "attachment", now) { AttachmentId = attachment.Id };
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.AddAttachment,
            [RedisKeys.Attachments(incidentId), RedisKeys.AttachmentContent(attachment.Id), RedisKeys.OpsEvents, RedisKeys.Timeline(incidentId), RedisKeys.AgentsWork],
            [attachment.Id, OpsJson.Serialize(attachment), content, EventEnvelope.Serialize(evt), OpsJson.Serialize(work), traceparent ?? string.Empty,
             RedisKeys.StreamNotify, RedisScripts.OpsEventsMaxLength, limits.MaxCount, limits.MaxTotalBytes, content.Length]))!;
        return result[0].ToString() switch
        {
            "added" => new(attachment, null),
            "count" => new(null, new(AttachmentRefusalKind.TooMany, $"incident {incidentId} already has {(long)result[1]} attachments, the most one incident may have ({limits.MaxCount}).")),
            _ => new(null, new(AttachmentRefusalKind.TooManyBytes,
                $"incident {incidentId} already has {(long)result[1]} bytes of attachments; with this one's {content.Length} that is over the limit of {limits.MaxTotalBytes} bytes per incident.")),
        };
    }

    public async Task<IReadOnlyList<Attachment>> ListAsync(string incidentId) =>
        [.. (await Db.HashGetAllAsync(RedisKeys.Attachments(incidentId)))
            .Select(e => OpsJson.Deserialize<Attachment>(e.Value.ToString()))
            .OrderBy(a => a.AddedAt)];

    public async Task<Attachment?> GetAsync(string incidentId, string attachmentId)
    {
        var json = await Db.HashGetAsync(RedisKeys.Attachments(incidentId), attachmentId);
        return json.IsNullOrEmpty ? null : OpsJson.Deserialize<Attachment>(json.ToString());
    }

    public async Task<byte[]?> ContentAsync(string attachmentId) => await Db.StringGetAsync(RedisKeys.AttachmentContent(attachmentId));

    /// <summary>Stores what was read from the attachment and appends <c>attachment.text_extracted</c>, atomically.</summary>
    public Task<string> SetTextAsync(Attachment read, string? traceparent) =>
        log.AppendAsync(
            new PendingEvent(EventTypes.AttachmentTextExtracted, read.IncidentId, time.GetUtcNow(), new AttachmentChanged(read with { Text = Preview(read.Text) })),
            traceparent, RedisKeys.Attachments(read.IncidentId), read.Id, OpsJson.Serialize(read));

    /// <summary>Events carry the first lines only: the whole text stays on the attachment.</summary>
    private static string? Preview(string? text) => text is { Length: > 500 } ? text[..500] + "…" : text;
}

/// <summary>The payload of attachment events: the attachment's metadata (and, once read, a preview of its text).</summary>
public sealed record AttachmentChanged(Attachment Attachment);

/// <summary>How many attachments, and how many bytes of them, one incident may have.</summary>
public sealed record AttachmentLimits(int MaxCount, long MaxTotalBytes)
{
    public static readonly AttachmentLimits None = new(int.MaxValue, long.MaxValue);
}

public enum AttachmentRefusalKind
{
    TooMany,
    TooManyBytes,
}

public sealed record AttachmentRefusal(AttachmentRefusalKind Kind, string Message);

/// <summary>The stored attachment, or why it was refused (and nothing stored).</summary>
public sealed record AttachmentAdded(Attachment? Attachment, AttachmentRefusal? Refusal);
