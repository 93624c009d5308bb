namespace IncidentOps.Api.Hubs;

/// <summary>
/// Lets the process's shared <see cref="System.Buffers.ArrayPool{T}"/> keep enough buffers for thousands of hub connections.
/// Every live frame written to a connection rents a buffer the frame's size twice (SignalR's pipe to the transport, then
/// the WebSocket's send buffer), and the shared pool keeps only 32 arrays of a size per core by default: with 5,000
/// connections nearly every rent missed, the buffers became garbage, and the API paused in gen1 collections for ~22 % of a
/// fan-out run (90 of them) with ~5,500 work items queued behind the pauses. Keeping 4,096 per size and core: one gen1
/// collection in the same run, pauses ~5 % (bench/README.md, "Fan-out, session 7"). Neither SignalR nor the WebSocket take
/// a pool of their own, and the runtime reads this limit only from the environment when the pool is first used, so it is
/// set here, first thing in Main; a value set by the operator's environment is kept.
/// </summary>
public static class HubBufferPool
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    public const string ArraysPerSizePerCore = "4096"; // a string: formatting a number could itself touch the pool

    public static void Configure()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Environment.SetEnvironmentVariable(Variable, ArraysPerSizePerCore);
        }
    }
}
