using System.Text.RegularExpressions;

namespace IncidentOps.Deploy.Tests;

/// <summary>
/// scripts/deploy.sh against stub <c>aws</c>, <c>cdk</c> and <c>dotnet</c> commands: every missing prerequisite is named
/// with what to do and fails the run; <c>--dry-run</c> prints the plan and runs nothing.
/// </summary>
public sealed partial class DeployScriptTests : IDisposable
{
    private static readonly string Script = Repo.PathOf("scripts", "deploy.sh");

    /// <summary>What the script may use from the machine besides the stubs.</summary>
    private static readonly string[] Tools = ["bash", "env", "dirname", "git", "head", "sed", "tr", "cat", "grep", "mkdir"];

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("incidentops-deploy-sh-");

    private string Bin => Path.Combine(_home.FullName, "bin");

    private string Log => Path.Combine(_home.FullName, "calls.log");

    public DeployScriptTests()
    {
        Directory.CreateDirectory(Bin);
        foreach (var tool in Tools)
        {
            var real = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
                .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists) ?? throw new InvalidOperationException($"{tool} is not on PATH");
            File.CreateSymbolicLink(Path.Combine(Bin, tool), real);
        }

        Stub("aws", """
            case "$*" in
              --version) echo "aws-cli/2.22.0 Python/3.12 stub" ;;
              "sts get-caller-identity"*) [ -n "${STUB_NO_CREDENTIALS:-}" ] && { echo "Unable to locate credentials." >&2; exit 255; }; echo 123456789012 ;;
              "configure get region") [ -n "${STUB_CONFIG_REGION:-}" ] && echo "$STUB_CONFIG_REGION" || exit 1 ;;
              "cloudformation describe-stacks --stack-name CDKToolkit"*) [ -n "${STUB_NOT_BOOTSTRAPPED:-}" ] && { echo "Stack with id CDKToolkit does not exist" >&2; exit 254; }; echo CREATE_COMPLETE ;;
              "bedrock get-foundation-model-availability --model-id "*) case " ${STUB_DENIED_MODELS:-} " in *" $4 "*) echo NOT_AUTHORIZED ;; *) echo AUTHORIZED ;; esac ;;
              "service-quotas get-service-quota"*) echo "${STUB_FARGATE_VCPU:-4000.0}" ;;
              *) echo "stub aws: unexpected $*" >&2; exit 99 ;;
            esac
            """);
        Stub("cdk", """[ "$1" = "--version" ] && echo "2.1000.0 (build stub)" """);
        Stub("dotnet", """[ "$1" = "--version" ] && echo "10.0.401" """);
    }

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public async Task Preflight_passes_when_every_prerequisite_is_there()
    {
        var run = await DeployAsync(["preflight"]);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Preflight: ready to deploy to 123456789012/eu-west-1.", run.Output, StringComparison.Ordinal);
        Assert.Contains("✓ Bedrock: anthropic.claude-3-7-sonnet-20250219-v1:0", run.Output, StringComparison.Ordinal);
        Assert.Contains("sts get-caller-identity", await File.ReadAllTextAsync(Log), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MissingPrerequisites => new()
    {
        { "aws", "AWS CLI not found", "install AWS CLI v2" },
        { "cdk", "CDK CLI not found", "npm install -g aws-cdk@2" },
        { "dotnet", ".NET SDK not found", "install the .NET 10 SDK" },
        { "credentials", "no AWS credentials", "aws configure sso" },
        { "region", "no region", "export AWS_REGION=" },
        { "bootstrap", "account 123456789012 is not bootstrapped for the CDK in eu-west-1", "cdk bootstrap aws://123456789012/eu-west-1" },
        { "bedrock", "no Bedrock access to amazon.nova-pro-v1:0 in eu-west-1 (NOT_AUTHORIZED)", "Model access" },
        { "quota", "Fargate On-Demand vCPU quota is 6.0, full scale needs 16", "L-3032A538" },
    };

    [Theory]
    [MemberData(nameof(MissingPrerequisites))]
    public async Task Each_missing_prerequisite_is_named_with_what_to_do_and_fails_preflight(string missing, string message, string remedy)
    {
        var environment = new Dictionary<string, string?>();
        switch (missing)
        {
            case "aws" or "cdk" or "dotnet": File.Delete(Path.Combine(Bin, missing)); break;
            case "credentials": environment["STUB_NO_CREDENTIALS"] = "1"; break;
            case "region": environment["AWS_REGION"] = null; break;
            case "bootstrap": environment["STUB_NOT_BOOTSTRAPPED"] = "1"; break;
            case "bedrock": environment["STUB_DENIED_MODELS"] = "amazon.nova-pro-v1:0"; break;
            case "quota": environment["STUB_FARGATE_VCPU"] = "6.0"; break;
        }

        var run = await DeployAsync(["preflight"], environment);

        Assert.NotEqual(0, run.ExitCode);
        var problems = Problem().Matches(run.Error).Select(m => (m.Groups["what"].Value, m.Groups["todo"].Value)).ToList();
        var (what, todo) = Assert.Single(problems);
        Assert.Equal(message, what);
        Assert.Contains(remedy, todo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_deploy_prints_the_plan_in_order_and_runs_nothing()
    {
        var run = await DeployAsync(["--dry-run", "--tag", "abc123", "deploy"]);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.False(File.Exists(Log), $"The dry run ran: {(File.Exists(Log) ? await File.ReadAllTextAsync(Log) : string.Empty)}");
        var plan = run.Output.Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal)).ToList();
        int Index(string pattern) => plan.FindIndex(l => l.Contains(pattern, StringComparison.Ordinal));

        var manifest = Index("--publisher manifest");
        var registry = Index("cdk deploy IncidentOps-Registry");
        var images = plan.Where(l => l.Contains("-t:PublishContainer", StringComparison.Ordinal)).ToList();
        var stacks = Index("cdk deploy --all");
        var wait = Index("aws ecs wait services-stable");
        Assert.True(manifest >= 0 && manifest < registry && registry < Index("-t:PublishContainer") && Index("-t:PublishContainer") < stacks && stacks < wait, string.Join('\n', plan));
        Assert.Equal(4, images.Count);
        Assert.All(images, l => Assert.Contains("-p:ContainerImageTag=abc123 -p:ContainerRegistry=<account>.dkr.ecr.eu-west-1.amazonaws.com", l, StringComparison.Ordinal));
        Assert.Contains(plan, l => l.Contains("cdk deploy --all", StringComparison.Ordinal) && l.Contains("-c imageTag=abc123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Destroy_keeps_the_data_unless_asked_and_asks_first()
    {
        var keep = await DeployAsync(["--dry-run", "destroy"]);
        Assert.True(keep.ExitCode == 0, keep.All);
        Assert.Contains("+ cdk destroy IncidentOps-Observability IncidentOps-Compute --force", keep.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--all", keep.Output, StringComparison.Ordinal);

        var everything = await DeployAsync(["--dry-run", "--delete-data", "destroy"]);
        Assert.Contains("retainData=false", everything.Output, StringComparison.Ordinal);
        Assert.Contains("+ cdk destroy --all --force", everything.Output, StringComparison.Ordinal);

        var refused = await DeployAsync(["destroy"], input: "no\n");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Not confirmed; nothing removed.", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Log), "destroy ran something without a confirmation");
    }

    [Fact]
    public async Task An_unknown_verb_is_refused()
    {
        var run = await DeployAsync(["launch"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown argument: launch", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_script_checks_access_to_the_models_the_deployment_allows()
    {
        var script = await File.ReadAllTextAsync(Script);
        var models = Regex.Match(script, "^BEDROCK_MODELS=\"(?<m>[^\"]+)\"", RegexOptions.Multiline).Groups["m"].Value.Split(' ');
        Assert.Equal(new DeploySettings().BedrockModels, models);
    }

    private void Stub(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, $"#!/bin/bash\n[ \"$1\" = \"--version\" ] || echo \"{name} $*\" >> \"{Log}\"\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Task<Repo.Run> DeployAsync(string[] args, Dictionary<string, string?>? overrides = null, string? input = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = Bin,
            ["HOME"] = _home.FullName,
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_DEFAULT_REGION"] = null,
            ["AWS_PROFILE"] = null,
            ["INCIDENTOPS_ARTIFACTS"] = Path.Combine(_home.FullName, "artifacts"),
        };
        foreach (var (key, value) in overrides ?? [])
        {
            environment[key] = value;
        }

        return Repo.RunAsync(Path.Combine(Bin, "bash"), [Script, .. args], TimeSpan.FromSeconds(30), environment, input: input);
    }

    [GeneratedRegex(@"^✗ (?<what>.+)\n    → (?<todo>.+)$", RegexOptions.Multiline)]
    private static partial Regex Problem();
}
