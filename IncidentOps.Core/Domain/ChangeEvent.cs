using System.Text.Json;

namespace IncidentOps.Core.Domain;

/// <summary>What changed in production (a deploy, a config push, a flag flip), so diagnosis can weigh recent changes.</summary>
public sealed record ChangeEvent(string Id, string Service, string Summary, string Source, string Kind, DateTimeOffset At, JsonElement? Details)
{
    public static readonly IReadOnlyList<string> Kinds = ["deploy", "config", "infrastructure", "feature_flag", "scaling", "other"];
}
