using System.Text;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.TextExtraction;

/// <summary>Text of attached documents: text, markdown and JSON pass through locally; PDFs and images go to Amazon Textract on AWS.</summary>
public sealed class DocumentText(AiEngine engine, PaidCalls calls, TextractClient textract, IOptions<AiOptions> options)
{
    /// <summary>Text of an attached document: text and markdown pass through; PDFs and images go to Textract on AWS.</summary>
    public async Task<ExtractedText> ExtractTextAsync(byte[] document, string contentType, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        if (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || contentType.Contains("markdown", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var text = Encoding.UTF8.GetString(document);
            return new ExtractedText(text, text.Split('\n').Length, "local");
        }

        if (engine.OnAws && options.Value.UseTextract)
        {
            // DetectDocumentText reads one page (PDF or image), so its price table entry is per request = per page.
            var (extracted, error) = await calls.CallAsync(AiServices.Textract, "DetectDocumentText", "DetectDocumentText", context,
                async ct => ((await textract.DetectDocumentTextAsync(document, ct)).Text, 0, 0), cancellationToken);
            return extracted ?? new ExtractedText(string.Empty, 0,
                error?.StartsWith(PaidCalls.BudgetRefusal, StringComparison.Ordinal) == true ? $"local: textract {error}" : $"textract failed: {error}");
        }

        return new ExtractedText(string.Empty, 0, $"local: {contentType} needs Textract (AI:Provider Bedrock)");
    }
}
