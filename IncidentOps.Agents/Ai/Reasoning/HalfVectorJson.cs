using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// A sentence embedding in the model file as base64 of little-endian half-precision floats: 1 kB a vector rather than
/// ~6.5 kB of indented numbers, so the cause model can ship hundreds of labelled fixes. Half precision keeps ~3 digits of
/// each unit vector's components, which moves a cosine by about 0.001. (System.Text.Json writes byte arrays as base64
/// itself; the conversion to and from halves is the only part written here.)
/// </summary>
public sealed class HalfVectorJson : JsonConverter<float[]>
{
    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bytes = reader.GetBytesFromBase64();
        var vector = new float[bytes.Length / 2];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2));
        }

        return vector;
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        var bytes = new byte[value.Length * 2];
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)value[i]);
        }

        writer.WriteBase64StringValue(bytes);
    }
}
