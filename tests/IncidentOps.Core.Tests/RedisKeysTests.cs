using System.Reflection;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Tests;

/// <summary>
/// Cluster-mode Redis (Amazon MemoryDB always is) runs a script or MULTI only over keys of one hash slot: every key
/// IncidentOps builds must carry the one hash tag, or ingest fails there with "keys in request don't hash to the same slot".
/// </summary>
public class RedisKeysTests
{
    /// <summary>Names in RedisKeys that are not keys: consumer groups and a hash field.</summary>
    private static readonly string[] NotKeys = [nameof(RedisKeys.AgentsGroup), nameof(RedisKeys.MetricsGroup), nameof(RedisKeys.PhaseField)];

    [Fact]
    public void Every_key_starts_with_the_one_hash_tag()
    {
        var members = typeof(RedisKeys).GetMembers(BindingFlags.Public | BindingFlags.Static);
        var keys = new List<(string Member, string Key)>();
        foreach (var member in members)
        {
            switch (member)
            {
                case FieldInfo { IsLiteral: true } field when field.FieldType == typeof(string) && field.Name != nameof(RedisKeys.Tag):
                    keys.Add((field.Name, (string)field.GetValue(null)!));
                    break;
                case MethodInfo method when method.ReturnType == typeof(string) && !method.IsSpecialName:
                    var arguments = method.GetParameters().Select(p => p.ParameterType switch
                    {
                        var t when t == typeof(string) => (object)"x{y}z",
                        var t when t == typeof(long) => 42L,
                        var t when t == typeof(AgentPhase) => AgentPhase.Diagnosis,
                        var t => throw new InvalidOperationException($"{method.Name}: no sample for {t}"),
                    }).ToArray();
                    keys.Add((method.Name, (string)method.Invoke(null, arguments)!));
                    break;
            }
        }

        Assert.True(keys.Count > 30, $"only {keys.Count} keys found");
        var untagged = keys.Where(k => !NotKeys.Contains(k.Member) && !k.Key.StartsWith(RedisKeys.Tag, StringComparison.Ordinal)).ToList();
        Assert.True(untagged.Count == 0, $"keys without {RedisKeys.Tag}: {string.Join(", ", untagged.Select(k => $"{k.Member}={k.Key}"))}");
    }
}
