using System.Threading.Channels;

namespace IncidentOps.Testing;

public static class StreamPump
{
    /// <summary>Copies a hub stream into a channel the test reads with deadlines; ends the channel when the stream ends.</summary>
    public static async Task PumpAsync<T>(IAsyncEnumerable<T> stream, ChannelWriter<T> writer)
    {
        try
        {
            await foreach (var item in stream)
            {
                await writer.WriteAsync(item);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            writer.TryComplete();
        }
    }
}
