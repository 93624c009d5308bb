using System.Buffers.Binary;
using System.Text;

namespace IncidentOps.Agents.Ai.Aws;

/// <summary>One message of an AWS event stream (application/vnd.amazon.eventstream): headers and payload.</summary>
public sealed record AwsEventMessage(IReadOnlyDictionary<string, string> Headers, byte[] Payload)
{
    public string? MessageType => Headers.GetValueOrDefault(":message-type");

    public string? EventType => Headers.GetValueOrDefault(":event-type");

    public string? ExceptionType => Headers.GetValueOrDefault(":exception-type") ?? Headers.GetValueOrDefault(":error-code");
}

/// <summary>
/// Reads the AWS event-stream binary framing: a 12-byte prelude (total length, headers length, CRC32 of
/// those 8 bytes), headers, payload, and a CRC32 of the whole message. Both checksums are verified, since
/// a torn or corrupted frame must fail loudly rather than feed half a token to a model reader.
/// </summary>
public static class AwsEventStreamReader
{
    private const int PreludeLength = 12;
    private const int MaxMessageLength = 16 * 1024 * 1024;

    public static async IAsyncEnumerable<AwsEventMessage> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prelude = new byte[PreludeLength];
        while (await FillAsync(stream, prelude, cancellationToken) is var read && read > 0)
        {
            if (read < PreludeLength)
            {
                throw new InvalidDataException("Event stream ended inside a message prelude.");
            }

            var total = BinaryPrimitives.ReadInt32BigEndian(prelude);
            var headersLength = BinaryPrimitives.ReadInt32BigEndian(prelude.AsSpan(4));
            if (Crc32.Compute(prelude.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32BigEndian(prelude.AsSpan(8)))
            {
                throw new InvalidDataException("Event stream prelude checksum mismatch.");
            }

            if (total < PreludeLength + 4 || total > MaxMessageLength || headersLength < 0 || headersLength > total - PreludeLength - 4)
            {
                throw new InvalidDataException($"Event stream message has impossible lengths (total {total}, headers {headersLength}).");
            }

            var message = new byte[total];
            prelude.CopyTo(message, 0);
            if (await FillAsync(stream, message.AsMemory(PreludeLength), cancellationToken) < total - PreludeLength)
            {
                throw new InvalidDataException("Event stream ended inside a message.");
            }

            if (Crc32.Compute(message.AsSpan(0, total - 4)) != BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(total - 4)))
            {
                throw new InvalidDataException("Event stream message checksum mismatch.");
            }

            var headers = ParseHeaders(message.AsSpan(PreludeLength, headersLength));
            yield return new AwsEventMessage(headers, message.AsSpan(PreludeLength + headersLength, total - PreludeLength - headersLength - 4).ToArray());
        }
    }

    /// <summary>Frames one message (the fake endpoint in the tests writes with this; it is the inverse of the reader).</summary>
    public static byte[] Encode(IReadOnlyDictionary<string, string> headers, byte[] payload)
    {
        using var head = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            head.WriteByte((byte)nameBytes.Length);
            head.Write(nameBytes);
            head.WriteByte(7);
            head.WriteByte((byte)(valueBytes.Length >> 8));
            head.WriteByte((byte)valueBytes.Length);
            head.Write(valueBytes);
        }

        var headerBytes = head.ToArray();
        var total = PreludeLength + headerBytes.Length + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.Compute(message.AsSpan(0, 8)));
        headerBytes.CopyTo(message, PreludeLength);
        payload.CopyTo(message, PreludeLength + headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32.Compute(message.AsSpan(0, total - 4)));
        return message;
    }

    private static Dictionary<string, string> ParseHeaders(ReadOnlySpan<byte> span)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (span.Length > 0)
        {
            var nameLength = span[0];
            var name = Encoding.UTF8.GetString(span.Slice(1, nameLength));
            var type = span[1 + nameLength];
            span = span[(2 + nameLength)..];
            (string value, int used) = type switch
            {
                0 => ("true", 0),
                1 => ("false", 0),
                2 => (((sbyte)span[0]).ToString(System.Globalization.CultureInfo.InvariantCulture), 1),
                3 => (BinaryPrimitives.ReadInt16BigEndian(span).ToString(System.Globalization.CultureInfo.InvariantCulture), 2),
                4 => (BinaryPrimitives.ReadInt32BigEndian(span).ToString(System.Globalization.CultureInfo.InvariantCulture), 4),
                5 or 8 => (BinaryPrimitives.ReadInt64BigEndian(span).ToString(System.Globalization.CultureInfo.InvariantCulture), 8),
                6 => (Convert.ToBase64String(span.Slice(2, BinaryPrimitives.ReadUInt16BigEndian(span))), 2 + BinaryPrimitives.ReadUInt16BigEndian(span)),
                7 => (Encoding.UTF8.GetString(span.Slice(2, BinaryPrimitives.ReadUInt16BigEndian(span))), 2 + BinaryPrimitives.ReadUInt16BigEndian(span)),
                9 => (new Guid(span[..16], bigEndian: true).ToString(), 16),
                _ => throw new InvalidDataException($"Event stream header '{name}' has unknown type {type}."),
            };
            headers[name] = value;
            span = span[used..];
        }

        return headers;
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}

/// <summary>CRC-32 (IEEE 802.3, the polynomial the event-stream framing uses); System.IO.Hashing is not in our package mirror.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
    {
        var c = (uint)i;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
