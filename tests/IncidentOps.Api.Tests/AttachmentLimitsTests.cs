using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IncidentOps.Api.Tests;

/// <summary>Attachments are bounded per incident (count and bytes) and must be what their Content-Type says; a refusal stores nothing.</summary>
public sealed class AttachmentLimitsTests(ApiFixture api) : IClassFixture<ApiFixture>, IDisposable
{
    private const int MaxCount = 3;
    private const int MaxBytes = 2048;
    private const int MaxTotal = 4096;

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj\n"u8.ToArray();

    private readonly WebApplicationFactory<Program> _limited = api.Factory.WithWebHostBuilder(web => web
        .UseSetting("Ingest:MaxAttachmentBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Ingest:MaxAttachmentsPerIncident", MaxCount.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Ingest:MaxAttachmentBytesPerIncident", MaxTotal.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void Dispose() => _limited.Dispose();

    private async Task<string> OpenAsync() =>
        (await api.PostAsync(ApiFixture.Trigger($"lim-{Guid.NewGuid():N}", "Orders failing"))).GetProperty("incidentId").GetString()!;

    private async Task<(HttpStatusCode Status, JsonElement Body, string? MediaType)> AttachAsync(string id, byte[] body, string contentType, string name = "evidence")
    {
        using var client = _limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await api.SignIn.TokenAsync("responder"));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync($"/api/v1/incidents/{id}/attachments?name={name}", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task One_attachment_more_than_the_count_is_a_409_and_stores_nothing()
    {
        var id = await OpenAsync();
        for (var i = 0; i < MaxCount; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await AttachAsync(id, Encoding.UTF8.GetBytes($"line {i}"), "text/plain")).Status);
        }

        var before = await api.Redis.SnapshotAsync();
        var (status, problem, mediaType) = await AttachAsync(id, "one too many"u8.ToArray(), "text/plain");

        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (status, mediaType));
        Assert.Contains($"({MaxCount})", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task Bytes_past_the_per_incident_total_are_a_413_and_store_nothing()
    {
        var id = await OpenAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await AttachAsync(id, new byte[2000].Select(_ => (byte)'a').ToArray(), "text/plain")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await AttachAsync(id, new byte[2000].Select(_ => (byte)'b').ToArray(), "text/plain")).Status);

        var before = await api.Redis.SnapshotAsync();
        var (status, problem, mediaType) = await AttachAsync(id, new byte[200].Select(_ => (byte)'c').ToArray(), "text/plain");

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "application/problem+json"), (status, mediaType));
        Assert.Contains($"{MaxTotal} bytes per incident", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task Concurrent_uploads_cannot_pass_the_count_together()
    {
        var id = await OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => AttachAsync(id, Encoding.UTF8.GetBytes($"racer {i}"), "text/plain")));

        Assert.Equal(MaxCount, results.Count(r => r.Status == HttpStatusCode.Accepted));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        Assert.Equal(MaxCount, (await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/attachments")).GetArrayLength());
    }

    public static TheoryData<string, byte[], string> Mismatches => new()
    {
        { "application/pdf", Png, "looks like image/png" },
        { "image/png", Pdf, "looks like application/pdf" },
        { "image/jpeg", "just some text"u8.ToArray(), "match no accepted document type" },
        { "image/tiff", Png, "looks like image/png" },
        { "text/plain", Png, "NUL" },
        { "text/plain", [0x68, 0x69, 0x00, 0x21], "NUL" },
        { "text/markdown", [0x23, 0x20, 0xC3, 0x28], "not valid UTF-8" },
        { "text/csv", [0xFF, 0xFE, 0x61, 0x00], "NUL" },
        { "application/json", [0x7B, 0x22, 0xE2, 0x82, 0x22, 0x7D], "not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task Content_that_is_not_its_declared_type_is_a_415_naming_the_problem_and_stores_nothing(string declared, byte[] body, string named)
    {
        var id = await OpenAsync();
        var before = await api.Redis.SnapshotAsync();

        var (status, problem, mediaType) = await AttachAsync(id, body, declared, name: "report.pdf");

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "application/problem+json"), (status, mediaType));
        Assert.Equal("Content-Type", problem.GetProperty("field").GetString());
        Assert.Contains(declared, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Redis.SnapshotAsync());
    }

    public static TheoryData<string, byte[]> Genuine => new()
    {
        { "application/pdf", Pdf },
        { "image/png", Png },
        { "image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] },
        { "image/tiff", [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00] },
        { "image/tiff", [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x08] },
        { "text/csv", "service,errors\ncheckout,12\n"u8.ToArray() },
        { "text/markdown", "# Postmortem — Zürich ✓\n"u8.ToArray() },
        { "application/json", """{"level":"error","msg":"deadlock"}"""u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Genuine))]
    public async Task Content_that_is_its_declared_type_is_accepted(string declared, byte[] body)
    {
        var (status, _, _) = await AttachAsync(await OpenAsync(), body, declared);

        Assert.Equal(HttpStatusCode.Accepted, status);
    }
}
