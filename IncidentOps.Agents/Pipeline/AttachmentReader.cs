using System.Diagnostics;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// Reads an attached document's text through the AI layer (Amazon Textract for PDFs and images when configured,
/// text as is), stores it on the attachment, then re-runs the pipeline: the diagnosis, which reads attachments,
/// sees its inputs changed and runs again; the phases that do not read them do not.
/// </summary>
public sealed class AttachmentReader(AttachmentStore attachments, IncidentStore incidents, IncidentAi ai, IncidentPipeline pipeline, TimeProvider time)
{
    /// <summary>Text kept per attachment; longer documents are cut here (the evidence is in the first pages).</summary>
    public const int MaxTextLength = 100_000;

    public async Task RunAsync(string incidentId, string attachmentId, CancellationToken cancellationToken)
    {
        var attachment = await attachments.GetAsync(incidentId, attachmentId);
        var incident = await incidents.GetAsync(incidentId);
        if (attachment is null || incident is null)
        {
            return;
        }

        if (attachment.ExtractedAt is null)
        {
            var content = await attachments.ContentAsync(attachmentId) ?? [];
            var read = await ai.ExtractTextAsync(content, attachment.ContentType, new IncidentAiContext(incident, AgentPhase.Diagnosis), cancellationToken);
            var text = read.Text.Length > MaxTextLength ? read.Text[..MaxTextLength] : read.Text;
            await attachments.SetTextAsync(attachment with
            {
                Text = text.Length == 0 ? null : text,
                Lines = read.Lines,
                Engine = read.Engine.Split(':')[0],
                Note = read.Engine.Contains(':', StringComparison.Ordinal) ? read.Engine : null,
                ExtractedAt = time.GetUtcNow(),
            }, Activity.Current?.Id);
        }

        await pipeline.RunAsync(incidentId, cancellationToken);
    }
}
