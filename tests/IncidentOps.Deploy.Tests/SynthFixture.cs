using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using IncidentOps.Deploy.Model;

namespace IncidentOps.Deploy.Tests;

/// <summary>
/// The AppHost's real Aspire manifest (published from the built AppHost) and one in-process synth of every stack from
/// it, shared by all the tests that read templates: jsii and the synth are slow, so they run once.
/// </summary>
public sealed class SynthFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "incidentops-deploy-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public string ManifestPath => Path.Combine(_root, "aspire-manifest.json");

    public AspireManifest Manifest { get; private set; } = null!;

    public Synthesized Default { get; private set; } = null!;

    /// <summary>The other branch of every choice: ElastiCache, a domain with HTTPS, every AI service configured, no NAT.</summary>
    public Synthesized Variant { get; private set; } = null!;

    public static readonly IReadOnlyDictionary<string, object> VariantContext = new Dictionary<string, object>
    {
        ["redisEngine"] = "elasticache",
        ["domainName"] = "origin.ops.example.com",
        ["certificateArn"] = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        ["natGateways"] = "0",
        ["maxAzs"] = "3",
        ["guardrailId"] = "gr-abc123",
        ["knowledgeBaseId"] = "KB12345678",
        ["agentId"] = "AGENT12345",
        ["agentAliasId"] = "ALIAS12345",
        ["qBusinessApplicationId"] = "qb-app-1",
        ["useTextract"] = "false",
        ["logRetentionDays"] = "90",
        ["account"] = "123456789012",
        ["region"] = "eu-west-1",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var run = await Repo.RunAsync("dotnet", [Repo.AppHostDll, "--publisher", "manifest", "--output-path", ManifestPath], TimeSpan.FromMinutes(2),
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" });
        Assert.True(run.ExitCode == 0 && File.Exists(ManifestPath), $"The AppHost did not publish its manifest: {run.All}");
        Manifest = AspireManifest.Load(ManifestPath);

        Default = Synthesize("default", new Dictionary<string, object>());
        Variant = Synthesize("variant", VariantContext);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private Synthesized Synthesize(string name, IReadOnlyDictionary<string, object> context)
    {
        var outdir = Path.Combine(_root, name);
        var app = new App(new AppProps
        {
            Outdir = outdir,
            Context = new Dictionary<string, object>(context) { ["aspireManifest"] = ManifestPath },
        });
        var settings = DeploySettings.FromContext(app.Node);
        var stacks = IncidentOpsStacks.Add(app, settings, Manifest);
        app.Synth();
        return new Synthesized(outdir, settings, stacks.All.Select(s => s.StackName).ToList());
    }
}

/// <summary>One synthesized deployment: its cdk.out folder and each stack's template (by the stack's last name part).</summary>
public sealed class Synthesized(string outdir, DeploySettings settings, IReadOnlyList<string> stackNames)
{
    private readonly Dictionary<string, Template> _templates = [];

    public string Outdir { get; } = outdir;

    public DeploySettings Settings { get; } = settings;

    public IReadOnlyList<string> StackNames { get; } = stackNames;

    public string TemplatePath(string stack) => Path.Combine(Outdir, $"{StackNames.Single(n => n.EndsWith("-" + stack, StringComparison.Ordinal))}.template.json");

    /// <summary>The CDK assertions view of a stack's template.</summary>
    public Template Template(string stack)
    {
        lock (_templates)
        {
            if (!_templates.TryGetValue(stack, out var template))
            {
                template = Amazon.CDK.Assertions.Template.FromString(File.ReadAllText(TemplatePath(stack)));
                _templates[stack] = template;
            }

            return template;
        }
    }

    /// <summary>The template as JSON, to walk every resource.</summary>
    public JsonObject Json(string stack) => JsonNode.Parse(File.ReadAllText(TemplatePath(stack)))!.AsObject();

    public IEnumerable<(string Stack, string Id, JsonObject Resource)> Resources(string? type = null) =>
        StackNames.Select(n => n.Split('-').Last()).SelectMany(stack => Json(stack)["Resources"]!.AsObject()
            .Where(r => type is null || (string?)r.Value!["Type"] == type)
            .Select(r => (stack, r.Key, r.Value!.AsObject())));
}

[CollectionDefinition(Name)]
public sealed class SynthCollection : ICollectionFixture<SynthFixture>
{
    // jsii runs one Node.js process per test run: the template tests share it, and the one synth, serially.
    public const string Name = "synth";
}
