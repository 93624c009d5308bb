namespace IncidentOps.Core;

/// <summary>
/// The API's garbage-collector settings that the runtime reads from the process's environment only, so whatever starts an
/// API process sets them: the AppHost for both roles (and through its manifest the ECS task definitions) and the benches.
/// Gen0's budget, which the runtime also reads from the runtimeconfig, is set there (IncidentOps.Api.csproj).
/// </summary>
public static class ApiGcEnvironment
{
    /// <summary>
    /// Gen1's budget at most 32 MiB a heap (hex bytes; the name is case-sensitive). A crowd's connections (~48 KB each,
    /// ~240 MB at 5,000 screens) reach gen1 in steps under gen0's cap; without this cap gen1 grows to ~300 MB and its one
    /// collection copies them into gen2 in one pause of ~0.4 s, with it in steps of 0.1-0.2 s within half a minute of the
    /// crowd connecting (bench/README.md, "Fan-out, session 30" and "session 31"). Not in the runtimeconfig:
    /// <c>System.GC.Gen1MaxBudget</c> there changes nothing (a program whose objects die in gen1 collects gen1 131-140 times
    /// with it set to 1 MiB or unset, 489 times with <c>DOTNET_GCGen1MaxBudget=0x100000</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_GCGen1MaxBudget"] = "0x2000000",
    };
}
