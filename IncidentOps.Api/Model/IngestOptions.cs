using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Api.Model;

public sealed class IngestOptions : IValidatableObject
{
    public const string Section = "Ingest";

    /// <summary>Largest accepted webhook body; larger ones get a 413. PagerDuty's own limit is 512 KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Largest accepted attachment; Amazon Textract reads documents of up to 5 MB sent as bytes.</summary>
    [Range(1024, 5 * 1024 * 1024)]
    public int MaxAttachmentBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Attachments one incident may have; one more is a 409. Each is read (perhaps by paid Textract) and weighed as evidence.</summary>
    [Range(1, 1000)]
    public int MaxAttachmentsPerIncident { get; set; } = 20;

    /// <summary>Bytes of attachments one incident may have in all; an upload past it is a 413. They live in Redis, in memory.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxAttachmentBytesPerIncident { get; set; } = 25 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxAttachmentBytesPerIncident < MaxAttachmentBytes)
        {
            yield return new ValidationResult(
                $"Ingest:MaxAttachmentBytesPerIncident ({MaxAttachmentBytesPerIncident}) is below Ingest:MaxAttachmentBytes ({MaxAttachmentBytes}): no incident could take one attachment of the largest allowed size.",
                [nameof(MaxAttachmentBytesPerIncident)]);
        }
    }
}
