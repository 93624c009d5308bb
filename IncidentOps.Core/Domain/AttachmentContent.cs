using System.Text;

namespace IncidentOps.Core.Domain;

/// <summary>
/// Whether an attachment's bytes are what its Content-Type says. The type decides how the agents read it (Textract
/// for documents and images, as text otherwise), so it is checked against the content, not taken on the sender's
/// word: PDF and images by their signature bytes, text types as UTF-8 without NUL.
/// </summary>
public static class AttachmentContent
{
    private static readonly (string Type, byte[] Magic)[] Signatures =
    [
        ("application/pdf", "%PDF-"u8.ToArray()),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        ("image/tiff", [0x49, 0x49, 0x2A, 0x00]),
        ("image/tiff", [0x4D, 0x4D, 0x00, 0x2A]),
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="content"/> is a <paramref name="contentType"/>; otherwise what is wrong, in words.</summary>
    public static string? Mismatch(string contentType, ReadOnlySpan<byte> content)
    {
        var looksLike = Sniff(content);
        if (Signatures.Any(s => s.Type == contentType))
        {
            return looksLike == contentType ? null : $"the content is not {contentType} ({Describe(looksLike)}).";
        }

        if (content.Contains((byte)0))
        {
            return $"{contentType} must be text, but the content has NUL bytes ({Describe(looksLike)}).";
        }

        try
        {
            StrictUtf8.GetCharCount(content);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return $"{contentType} must be UTF-8 text, but the content is not valid UTF-8 ({Describe(looksLike)}).";
        }
    }

    private static string? Sniff(ReadOnlySpan<byte> content)
    {
        foreach (var (type, magic) in Signatures)
        {
            if (content.StartsWith(magic))
            {
                return type;
            }
        }

        return null;
    }

    private static string Describe(string? sniffed) => sniffed is null ? "its first bytes match no accepted document type" : $"it looks like {sniffed}";
}
