using System.Text.Json.Nodes;
using IncidentOps.Core;
using IncidentOps.Deploy.Model;

namespace IncidentOps.Deploy.Tests;

/// <summary>
/// The AppHost and the deployment cannot drift apart: every resource the AppHost runs has an AWS placement, and the
/// environment the AppHost gives a service reaches it in AWS (or synth stops and says which variable).
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class DriftGuardTests(SynthFixture fixture)
{
    [Fact]
    public void Every_resource_the_AppHost_runs_is_placed_and_every_service_is_a_Fargate_service()
    {
        var running = fixture.Manifest.Resources.Where(r => r.Runs).Select(r => r.Name).Order().ToList();
        Assert.Equal([ResourceNames.Agents, ResourceNames.Api, ResourceNames.Hub, ResourceNames.Metrics, ResourceNames.Redis, ResourceNames.Web], running);

        var placed = ServiceCatalog.Resolve(fixture.Manifest);
        var families = fixture.Default.Resources("AWS::ECS::TaskDefinition").Select(t => (string?)t.Resource["Properties"]!["Family"]).ToHashSet();
        foreach (var service in placed.Where(s => s.Placement != Placement.ManagedRedis))
        {
            Assert.Contains($"incidentops-{service.Name}", families);
        }
    }

    [Fact]
    public void A_resource_added_to_the_AppHost_without_a_deploy_mapping_fails_synth_naming_it()
    {
        var manifest = WithResource("search", """{ "type": "container.v0", "image": "docker.io/library/opensearch:2" }""");

        var error = Assert.Throws<DeployDriftException>(() => ServiceCatalog.Resolve(manifest));
        Assert.Equal(["search"], error.Unmapped);
        Assert.Contains("ServiceCatalog.Services", error.Message, StringComparison.Ordinal);

        var project = WithResource("notifier", """{ "type": "project.v0", "path": "IncidentOps.Notifier/IncidentOps.Notifier.csproj" }""");
        Assert.Equal(["notifier"], Assert.Throws<DeployDriftException>(() => ServiceCatalog.Resolve(project)).Unmapped);
    }

    [Fact]
    public void A_resource_the_AppHost_no_longer_has_fails_synth_too()
    {
        var json = JsonNode.Parse(File.ReadAllText(fixture.ManifestPath))!;
        json["resources"]!.AsObject().Remove(ResourceNames.Metrics);

        var error = Assert.Throws<DeployDriftException>(() => ServiceCatalog.Resolve(AspireManifest.Parse(json.ToJsonString())));
        Assert.Equal([ResourceNames.Metrics], error.Gone);
    }

    [Fact]
    public void Parameters_and_values_need_no_placement_of_their_own()
    {
        var manifest = WithResource("smtp-password", """{ "type": "parameter.v0", "value": "{smtp-password.inputs.value}" }""");
        Assert.Equal(ServiceCatalog.Services.Count, ServiceCatalog.Resolve(manifest).Count);
    }

    [Fact]
    public void An_AppHost_setting_with_no_AWS_translation_fails_synth_naming_the_variable()
    {
        var json = JsonNode.Parse(File.ReadAllText(fixture.ManifestPath))!;
        json["resources"]![ResourceNames.Agents]!["env"]!["Smtp__Password"] = "{smtp-password.value}";
        var manifest = AspireManifest.Parse(json.ToJsonString());

        var error = Assert.Throws<InvalidOperationException>(() =>
            EnvironmentTranslator.Translate(manifest[ResourceNames.Agents], ServiceCatalog.Services, new DeployAddresses("https://x", "internal")));
        Assert.Contains("Smtp__Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_literal_that_looks_like_a_secret_is_refused_as_plain_environment()
    {
        var json = JsonNode.Parse(File.ReadAllText(fixture.ManifestPath))!;
        json["resources"]![ResourceNames.Api]!["env"]!["Webhook__Token"] = "hunter2";
        var manifest = AspireManifest.Parse(json.ToJsonString());

        var error = Assert.Throws<InvalidOperationException>(() =>
            EnvironmentTranslator.Translate(manifest[ResourceNames.Api], ServiceCatalog.Services, new DeployAddresses("https://x", "internal")));
        Assert.Contains("Webhook__Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_AppHost_environment_arrives_translated_for_AWS()
    {
        var addresses = new DeployAddresses("https://d111.cloudfront.net", "incidentops.internal", "https://cognito-idp.example/pool");
        var web = EnvironmentTranslator.Translate(fixture.Manifest[ResourceNames.Web], ServiceCatalog.Services, addresses);
        // The web app hands the API's address to browsers: the public origin, where CloudFront routes /api and /hubs.
        Assert.Equal(new PlainValue("https://d111.cloudfront.net"), web["services__api__http__0"]);
        Assert.Equal(new PlainValue("https://d111.cloudfront.net"), web["services__hub__http__0"]);
        Assert.Equal(new PlainValue("3000"), web["PORT"]);
        Assert.Equal(new PlainValue("https://d111.cloudfront.net"), web["NEXTAUTH_URL"]);
        Assert.Equal(new PlainValue("https://cognito-idp.example/pool"), web["AUTH_ISSUER"]);
        Assert.Equal(new ParameterSecret("web-client-secret"), web["AUTH_CLIENT_SECRET"]);
        Assert.Equal(new ParameterSecret("web-session-secret"), web["NEXTAUTH_SECRET"]);

        var api = EnvironmentTranslator.Translate(fixture.Manifest[ResourceNames.Api], ServiceCatalog.Services, addresses);
        Assert.Equal(new PlainValue("https://d111.cloudfront.net"), api["Cors__AllowedOrigins__0"]);
        Assert.Equal(new RedisConnectionSecret(ResourceNames.Redis), api["ConnectionStrings__redis"]);
        Assert.Equal(new PlainValue("8080"), api["HTTP_PORTS"]);
        Assert.DoesNotContain("REDIS_PASSWORD", api.Keys);
        Assert.Equal(new PlainValue("https://cognito-idp.example/pool"), api["Auth__Authority"]);
        Assert.Equal(new PlainValue(ApiRoles.Api), api["Api__Role"]);

        // The hub: the same sign-in, the web origin and Redis, in its own role.
        var hub = EnvironmentTranslator.Translate(fixture.Manifest[ResourceNames.Hub], ServiceCatalog.Services, addresses);
        Assert.Equal(new PlainValue(ApiRoles.Hub), hub["Api__Role"]);
        Assert.Equal(new PlainValue("https://d111.cloudfront.net"), hub["Cors__AllowedOrigins__0"]);
        Assert.Equal(new RedisConnectionSecret(ResourceNames.Redis), hub["ConnectionStrings__redis"]);
        Assert.Equal(new PlainValue("https://cognito-idp.example/pool"), hub["Auth__Authority"]);

        // The GC settings the runtime reads from the environment only reach both roles' tasks as the AppHost runs them.
        foreach (var (name, value) in ApiGcEnvironment.Variables)
        {
            Assert.Equal(new PlainValue(value), api[name]);
            Assert.Equal(new PlainValue(value), hub[name]);
        }
    }

    private AspireManifest WithResource(string name, string resource)
    {
        var json = JsonNode.Parse(File.ReadAllText(fixture.ManifestPath))!;
        json["resources"]![name] = JsonNode.Parse(resource);
        return AspireManifest.Parse(json.ToJsonString());
    }
}
