using System.Text.Json.Nodes;

namespace IncidentOps.Deploy.Tests;

/// <summary>
/// The synthesized templates against the CloudFormation resource specification (npm @aws-cdk/cfnspec, read by
/// IncidentOps.Deploy/spec-check/check.mjs): known resource types, required properties present, no unknown property.
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class SpecificationTests(SynthFixture fixture)
{
    private static readonly string Checker = Repo.PathOf("IncidentOps.Deploy", "spec-check", "check.mjs");

    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    public async Task Every_template_matches_the_CloudFormation_specification(string deployment)
    {
        var synthesized = deployment == "default" ? fixture.Default : fixture.Variant;
        var (exit, report) = await CheckAsync(synthesized.Outdir);

        Assert.True(exit == 0, $"The specification check failed:\n{report}");
        Assert.Equal(8, (int)report["templates"]!);
        Assert.True((int)report["resources"]! > 100, $"Too few resources checked: {report["resources"]}");
        Assert.Empty(report["unknownTypes"]!.AsArray());
        Assert.Empty(report["missingRequired"]!.AsArray());
        Assert.Empty(report["unknownProperties"]!.AsArray());
    }

    [Fact]
    public async Task The_check_reports_an_unknown_type_a_missing_required_property_and_an_unknown_property()
    {
        var template = JsonNode.Parse(await File.ReadAllTextAsync(fixture.Default.TemplatePath("Compute")))!;
        var resources = template["Resources"]!.AsObject();
        var cluster = resources.First(r => (string?)r.Value!["Type"] == "AWS::ECS::Cluster").Value!;
        cluster["Type"] = "AWS::ECS::Clustr";
        var rule = resources.First(r => (string?)r.Value!["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule").Value!;
        rule["Properties"]!.AsObject().Remove("Priority");
        var task = resources.First(r => (string?)r.Value!["Type"] == "AWS::ECS::TaskDefinition").Value!;
        task["Properties"]!["ContainerDefinitions"]![0]!["PortMappings"]![0]!["ContainerPortt"] = 8080;

        var folder = Directory.CreateTempSubdirectory("incidentops-spec-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Broken.template.json"), template.ToJsonString());
            var (exit, report) = await CheckAsync(folder.FullName);

            Assert.Equal(1, exit);
            Assert.Contains("AWS::ECS::Clustr", report["unknownTypes"]![0]!.ToString(), StringComparison.Ordinal);
            Assert.EndsWith(": Priority", report["missingRequired"]![0]!.ToString(), StringComparison.Ordinal);
            Assert.EndsWith("PortMappings[0]: ContainerPortt", report["unknownProperties"]![0]!.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, JsonNode Report)> CheckAsync(string folder)
    {
        Assert.True(Directory.Exists(Repo.PathOf("IncidentOps.Deploy", "spec-check", "node_modules", "@aws-cdk", "cfnspec")),
            "The specification is not installed: run scripts/install-prereqs.sh (npm ci in IncidentOps.Deploy/spec-check).");
        var run = await Repo.RunAsync("node", [Checker, folder], TimeSpan.FromMinutes(1));
        try
        {
            return (run.ExitCode, JsonNode.Parse(run.Output)!);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new InvalidOperationException($"check.mjs printed no report: {run.All}");
        }
    }
}
