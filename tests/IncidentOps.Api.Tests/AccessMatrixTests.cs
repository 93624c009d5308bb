using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using IncidentOps.Api.Access;
using IncidentOps.Api.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IncidentOps.Api.Tests;

/// <summary>
/// Every endpoint the API maps (read from its endpoint data source, not from a hand list) and every hub method, against
/// the role matrix: anonymous → 401, the role just below → 403, the role → through. An endpoint missing from the matrix
/// (a new route nobody classified) fails here.
/// </summary>
public class AccessMatrixTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Roles = ["viewer", "responder", "approver", "admin"];

    /// <summary>Who may call what: a role (that role and every higher one), "anonymous", or "ingest:&lt;source&gt;".</summary>
    private static readonly Dictionary<string, string> Matrix = new()
    {
        ["GET /health"] = Anonymous,
        ["GET /alive"] = Anonymous,
        ["DashboardHealth"] = Anonymous,
        ["DashboardHealthDetailed"] = "viewer",
        ["ListIncidents"] = "viewer",
        ["GetIncident"] = "viewer",
        ["ListActions"] = "viewer",
        ["ListAwaitingApproval"] = "viewer",
        ["ListAttachments"] = "viewer",
        ["ListChanges"] = "viewer",
        ["GetMetrics"] = "viewer",
        ["GetBusinessMetrics"] = "viewer",
        ["AiServices"] = "viewer",
        ["IncidentAiCalls"] = "viewer",
        ["DrillScenarios"] = "viewer",
        ["StartDrill"] = "responder",
        ["POST /hubs/ops/negotiate"] = "viewer",
        ["/hubs/ops"] = "viewer",
        ["GET /openapi/{documentName}.json"] = "viewer",
        ["GET /scalar/{documentName?}"] = "viewer",
        // The reference's static script and icon: public files of the Scalar package, no data.
        ["GET /scalar/scalar.js"] = Anonymous,
        ["GET /scalar/scalar.aspnetcore.js"] = Anonymous,
        ["GET /scalar/favicon.svg"] = Anonymous,
        ["AcknowledgeIncident"] = "responder",
        ["MitigateIncident"] = "responder",
        ["ResolveIncident"] = "responder",
        ["CloseIncident"] = "responder",
        ["ReopenIncident"] = "responder",
        ["SetIncidentSeverity"] = "responder",
        ["AssignIncident"] = "responder",
        ["AddIncidentNote"] = "responder",
        ["AddAttachment"] = "responder",
        ["ApproveAction"] = "approver",
        ["RejectAction"] = "approver",
        ["ListApiKeys"] = "admin",
        ["CreateApiKey"] = "admin",
        ["RevokeApiKey"] = "admin",
        ["ListIngestTokens"] = "admin",
        ["RotateIngestToken"] = "admin",
        ["ReadAudit"] = "admin",
        ["PostEvent"] = "ingest:events",
        ["PostChange"] = "ingest:events",
        ["PostAlertmanager"] = "ingest:alertmanager",
        ["PostAlertmanagerWithToken"] = "ingest:alertmanager",
        ["PostGrafana"] = "ingest:grafana",
        ["PostGrafanaWithToken"] = "ingest:grafana",
        ["PostCloudWatch"] = "ingest:cloudwatch",
        ["PostCloudWatchWithToken"] = "ingest:cloudwatch",
    };

    private static readonly Dictionary<string, string> HubMatrix = new() { [nameof(OpsHub.Subscribe)] = "viewer", [nameof(OpsHub.SubscribeFrames)] = "viewer", [nameof(OpsHub.WatchFrames)] = "viewer" };

    private sealed record Mapped(string Key, string Method, string Path, Endpoint Endpoint);

    private List<Mapped> MappedEndpoints(string incidentId)
    {
        var source = api.Factory.Services.GetRequiredService<EndpointDataSource>();
        var mapped = new List<Mapped>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } => incidentId,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "source" } => "events",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart q => $"{q.Name}-unknown",
                _ => string.Empty,
            }))));
            // SignalR's negotiate endpoint carries no method metadata; clients POST to it.
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods
                ?? (endpoint.RoutePattern.RawText!.EndsWith("/negotiate", StringComparison.Ordinal) ? ["POST"] : ["GET"]);
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            foreach (var method in methods)
            {
                var key = name ?? (endpoint.RoutePattern.RawText == "/hubs/ops" ? "/hubs/ops" : $"{method} {endpoint.RoutePattern.RawText}");
                mapped.Add(new Mapped(key, method, path, endpoint));
            }
        }

        return mapped;
    }

    [Fact]
    public async Task Every_endpoint_is_in_the_role_matrix_declares_its_policy_and_enforces_it()
    {
        var incident = (await api.PostAsync(ApiFixture.Trigger($"matrix-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!;
        var endpoints = MappedEndpoints(incident);

        var unclassified = endpoints.Select(e => e.Key).Where(k => !Matrix.ContainsKey(k)).Distinct().ToList();
        Assert.True(unclassified.Count == 0, $"Endpoints without a row in the role matrix: {string.Join(", ", unclassified)}");
        var gone = Matrix.Keys.Except(endpoints.Select(e => e.Key)).ToList();
        Assert.True(gone.Count == 0, $"Matrix rows with no endpoint: {string.Join(", ", gone)}");

        var clients = new Dictionary<string, HttpClient> { [Anonymous] = api.Factory.CreateClient() };
        foreach (var role in Roles)
        {
            clients[role] = await api.As(role);
        }

        var table = new StringBuilder("| endpoint | needs | anonymous | below | role |\n| --- | --- | --- | --- | --- |\n");
        foreach (var endpoint in endpoints.Where(e => e.Key != "/hubs/ops"))
        {
            var needs = Matrix[endpoint.Key];
            var declared = endpoint.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
            var anonymous = await SendAsync(clients[Anonymous], endpoint);
            if (needs == Anonymous)
            {
                Assert.True(endpoint.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || declared is null, endpoint.Key);
                Assert.True(anonymous is not HttpStatusCode.Unauthorized and not HttpStatusCode.Forbidden, $"{endpoint.Key}: anonymous got {anonymous}");
                table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {endpoint.Key} | anonymous | {(int)anonymous} | | |\n");
                continue;
            }

            if (needs.StartsWith("ingest:", StringComparison.Ordinal))
            {
                Assert.Equal(needs["ingest:".Length..], endpoint.Endpoint.Metadata.GetMetadata<IngestTokenEndpoint>()?.Source);
                var person = await SendAsync(clients["admin"], endpoint);
                Assert.True(anonymous == HttpStatusCode.Unauthorized, $"{endpoint.Key}: without a token got {anonymous}");
                Assert.True(person == HttpStatusCode.Unauthorized, $"{endpoint.Key}: a person's token is not an ingest token, got {person}");
                table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {endpoint.Key} | {needs} token | {(int)anonymous} | admin's JWT: {(int)person} | |\n");
                continue;
            }

            Assert.True(declared == needs, $"{endpoint.Key} declares policy '{declared}', the matrix says '{needs}'");
            Assert.True(anonymous == HttpStatusCode.Unauthorized, $"{endpoint.Key}: anonymous got {anonymous}");
            var index = Array.IndexOf(Roles, needs);
            var below = index > 0 ? await SendAsync(clients[Roles[index - 1]], endpoint) : (HttpStatusCode?)null;
            if (below is not null)
            {
                Assert.True(below == HttpStatusCode.Forbidden, $"{endpoint.Key}: {Roles[index - 1]} got {below}");
            }

            var allowed = await SendAsync(clients[needs], endpoint);
            Assert.True(allowed is not HttpStatusCode.Unauthorized and not HttpStatusCode.Forbidden, $"{endpoint.Key}: {needs} got {allowed}");
            table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {endpoint.Key} | {needs} | {(int)anonymous} | {(below is null ? "" : $"{Roles[index - 1]}: {(int)below}")} | {(int)allowed} |\n");
        }

        output.WriteLine(table.ToString());
    }

    [Fact]
    public async Task Every_hub_method_is_in_the_matrix_and_the_hub_needs_a_viewer()
    {
        var methods = typeof(OpsHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && !m.Name.StartsWith("On", StringComparison.Ordinal)).ToList();
        Assert.Equal(HubMatrix.Keys.Order(), methods.Select(m => m.Name).Order());
        Assert.All(methods, m => Assert.Equal(HubMatrix[m.Name], m.GetCustomAttribute<AuthorizeAttribute>()?.Policy ?? AccessPolicies.Viewer));

        using var anonymous = api.Factory.CreateClient();
        using var refused = await anonymous.PostAsync("/hubs/ops/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // A viewer subscribes from just before an incident it has not seen, and receives it.
        var list = await api.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/incidents");
        var seenUpTo = list.GetProperty("lastEventId").GetString();
        var opened = (await api.PostAsync(ApiFixture.Trigger($"hub-matrix-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString();
        await using var viewer = api.Hub("viewer");
        await viewer.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var evt in viewer.StreamAsync<System.Text.Json.JsonElement>(nameof(OpsHub.Subscribe), seenUpTo, cancel.Token))
        {
            if (evt.GetProperty("incidentId").GetString() == opened)
            {
                break;
            }
        }
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Mapped endpoint)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
        if (endpoint.Method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
