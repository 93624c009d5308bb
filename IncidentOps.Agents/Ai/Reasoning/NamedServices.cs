using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The other services an incident's alerts name, whose recent changes the diagnosis reads beside the incident's own: a
/// cause's change often sits under a service that pages for nothing itself (a Group Policy change in Active Directory, an
/// IdP's attribute filter, a shared config service, a database's parameter group), while the services that depend on it
/// page and name it in a label (<c>upstream="postgres-citus"</c>, <c>component="varnish"</c>) or a detail
/// (<c>"identity_provider": "shibboleth-idp"</c>). An engineer paged reads what changed there too. Decisions without I/O,
/// shared by the worker (<c>DiagnosisAgent</c>) and the training corpus, so the model is fitted on what the worker sees.
/// </summary>
public static partial class NamedServices
{
    /// <summary>At most this many names looked up per analysis (one change-log read each): alerts carry dozens of values.</summary>
    public const int Max = 16;

    /// <summary>Labels whose values are levels, times or ids rather than names.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "alertname", "severity", "priority", "status", "state", "env", "environment", "region", "zone", "le", "quantile",
    };

    /// <summary>
    /// Every value the alerts give as an identifier (a component, a group, a label value, a string in the details) other
    /// than the incident's own service, in the order the alerts give them, at most <see cref="Max"/>. A sentence is not a
    /// name: only values shaped like one (letters first, no spaces) count.
    /// </summary>
    public static IReadOnlyList<string> In(Incident incident, IEnumerable<string>? excluded = null)
    {
        var skip = new HashSet<string>(excluded ?? [], StringComparer.OrdinalIgnoreCase) { incident.Service };
        var names = new List<string>();
        foreach (var value in incident.Alerts.SelectMany(Values))
        {
            if (names.Count == Max)
            {
                break;
            }

            if (Name().IsMatch(value) && !skip.Contains(value) && !names.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(value);
            }
        }

        return names;
    }

    /// <summary>Whether a change belongs to a service the alerts name rather than to the incident's own.</summary>
    public static bool IsNamed(Incident incident, ChangeEvent change) =>
        !string.Equals(change.Service, incident.Service, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Values(Alert alert)
    {
        foreach (var value in new[] { alert.Component, alert.Group })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                yield return value;
            }
        }

        foreach (var (key, value) in alert.Labels)
        {
            if (!NotNames.Contains(key))
            {
                yield return value;
            }
        }

        if (alert.Details is { ValueKind: JsonValueKind.Object } details)
        {
            foreach (var value in Strings(details, depth: 0))
            {
                yield return value;
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element, int depth) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object when depth < 3 => element.EnumerateObject().Where(p => !NotNames.Contains(p.Name)).SelectMany(p => Strings(p.Value, depth + 1)),
        JsonValueKind.Array when depth < 3 => element.EnumerateArray().SelectMany(e => Strings(e, depth + 1)),
        _ => [],
    };

    // A service's name as change logs and labels spell it: "postgres-citus", "jitsi-videobridge", "SQL-ERP-01", "varnish".
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]{2,62}$")]
    private static partial Regex Name();
}
