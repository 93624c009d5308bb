using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Agents.Actions;

public sealed class ActionOptions
{
    public const string Section = "Actions";

    /// <summary>Read-only steps (diagnostic queries) run by themselves when true; nothing else ever does.</summary>
    public bool AutomaticReadOnly { get; set; }

    /// <summary>The executor for actions with no entry in <see cref="Executors"/>: <c>manual</c> or <c>webhook</c>.</summary>
    [RegularExpression("^(manual|webhook)$")]
    public string DefaultExecutor { get; set; } = ActionExecutors.Manual;

    /// <summary>Executor per remediation (e.g. <c>rollback: webhook</c>).</summary>
    public Dictionary<string, string> Executors { get; set; } = [];

    public WebhookOptions Webhook { get; set; } = new();
}

public sealed class WebhookOptions
{
    /// <summary>Where approved actions are POSTed when the step names no URL of its own.</summary>
    public string? Url { get; set; }

    /// <summary>URL prefixes the executor may call; a URL outside them is refused (the action fails, saying why).</summary>
    public List<string> AllowedUrls { get; set; } = [];

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;
}
