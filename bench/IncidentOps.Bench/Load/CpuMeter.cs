using System.Diagnostics;

namespace IncidentOps.Bench.Load;

/// <summary>CPU used by the load generator (this process) and each service over a phase, in cores (CPU seconds per second).</summary>
public sealed class CpuMeter
{
    private readonly SystemUnderTest _system;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly (TimeSpan Bench, TimeSpan Api, TimeSpan Hub, TimeSpan Agents) _start;

    private CpuMeter(SystemUnderTest system)
    {
        _system = system;
        _start = Now();
    }

    public static CpuMeter Start(SystemUnderTest system) => new(system);

    public (double Seconds, double Bench, double Api, double Hub, double Agents) Stop()
    {
        var end = Now();
        var seconds = _clock.Elapsed.TotalSeconds;
        double Cores(TimeSpan from, TimeSpan to) => (to - from).TotalSeconds / seconds;
        return (seconds, Cores(_start.Bench, end.Bench), Cores(_start.Api, end.Api), Cores(_start.Hub, end.Hub), Cores(_start.Agents, end.Agents));
    }

    private (TimeSpan Bench, TimeSpan Api, TimeSpan Hub, TimeSpan Agents) Now()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, SystemUnderTest.CpuTime(_system.ApiProcess),
            _system.HubProcess == _system.ApiProcess ? TimeSpan.Zero : SystemUnderTest.CpuTime(_system.HubProcess), SystemUnderTest.CpuTime(_system.AgentsProcess));
    }
}
