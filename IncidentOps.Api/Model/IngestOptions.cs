using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Api.Model;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest accepted webhook body; larger ones get a 413. PagerDuty's own limit is 512 KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Largest accepted attachment; Amazon Textract reads documents of up to 5 MB sent as bytes.</summary>
    [Range(1024, 5 * 1024 * 1024)]
    public int MaxAttachmentBytes { get; set; } = 5 * 1024 * 1024;
}
