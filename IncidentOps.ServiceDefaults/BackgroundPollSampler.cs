using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps the background polls of the services (XREADGROUP, XAUTOCLAIM, XRANGE, the wake-up reads of every stream reader)
/// out of the traces: a Redis command with no parent would be a one-span root trace, thousands a minute, burying the
/// traces that matter. A Redis command that is part of a request or of an agent's work (it has a parent) is kept, as is
/// every other span: otherwise this is the SDK's default, parent-based always-on sampler.
/// </summary>
public sealed class BackgroundPollSampler : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly Sampler _inner = new ParentBasedSampler(new AlwaysOnSampler());

    public BackgroundPollSampler() => Description = nameof(BackgroundPollSampler);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext.TraceId == default && IsRedisCommand(samplingParameters.Tags)
            ? Drop
            : _inner.ShouldSample(samplingParameters);

    /// <summary>The Redis instrumentation names the database system in the tags it creates its spans with (old and new conventions).</summary>
    private static bool IsRedisCommand(IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        if (tags is null)
        {
            return false;
        }

        foreach (var (key, value) in tags)
        {
            if (key is "db.system" or "db.system.name" && value is string system && system.Equals("redis", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
