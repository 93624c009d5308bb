using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IncidentOps.Api.Tests;

/// <summary>
/// The OpenAPI document lists every endpoint the API maps (read from its endpoint data source), each with its
/// request body, its answer's schema and its problem answers; the Scalar reference serves; both need a signed-in viewer
/// outside Development.
/// </summary>
public class OpenApiDocumentTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_document_with_its_body_answer_and_problems()
    {
        var viewer = await api.As("viewer");
        var document = await viewer.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var source = api.Factory.Services.GetRequiredService<EndpointDataSource>();
        var missing = new List<string>();
        var undocumented = new List<string>();
        var described = 0;
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (methods is null || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                undocumented.Add(route);
                continue;
            }

            foreach (var method in methods)
            {
                var key = $"{method} {route}";
                if (!TryOperation(paths, route, method, out var operation))
                {
                    missing.Add(key);
                    continue;
                }

                described++;
                var responses = operation.GetProperty("responses");
                Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{key}: no success answer");
                var success = responses.EnumerateObject().First(r => r.Name.StartsWith('2')).Value;
                Assert.True(success.TryGetProperty("content", out _), $"{key}: the success answer has no schema");
                Assert.True(responses.TryGetProperty("503", out var unavailable) && unavailable.GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{key}: no 503 problem answer");
                if (endpoint.Metadata.GetMetadata<IncidentOps.Api.Extensions.DocumentedBody>() is not null)
                {
                    Assert.True(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").EnumerateObject().Any(), $"{key}: no request body");
                    Assert.True(responses.TryGetProperty("400", out _) || responses.TryGetProperty("415", out _), $"{key}: no problem for a bad body");
                }
            }
        }

        // Routing's content-type filter (Accepts metadata) would answer a bare 415 before a handler names the problem.
        Assert.DoesNotContain(source.Endpoints, e => e.Metadata.GetMetadata<IAcceptsMetadata>() is not null);
        output.WriteLine($"{described} operations documented; not API operations (health checks, the hub, the document and reference themselves): {string.Join(", ", undocumented.Distinct())}");
        Assert.True(missing.Count == 0, $"Mapped but not in /openapi/v1.json: {string.Join(", ", missing)}");
        Assert.All(undocumented, route => Assert.True(
            route is "/health" or "/alive" || route.StartsWith("/hubs/", StringComparison.Ordinal) || route.StartsWith("/openapi/", StringComparison.Ordinal) || route.StartsWith("/scalar", StringComparison.Ordinal),
            $"{route} is mapped but left out of the document"));
    }

    [Fact]
    public async Task The_document_and_the_reference_need_a_signed_in_person_outside_development()
    {
        using var anonymous = api.Factory.CreateClient();
        using var refused = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var viewer = await api.As("viewer");
        using var reference = await viewer.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
        using var script = await viewer.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private static bool TryOperation(JsonElement paths, string route, string method, out JsonElement operation)
    {
        operation = default;
        foreach (var path in paths.EnumerateObject())
        {
            if (path.Name.TrimEnd('/') == route.TrimEnd('/') && path.Value.TryGetProperty(method.ToLowerInvariant(), out operation))
            {
                return true;
            }
        }

        return false;
    }
}
