using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

public class AttachmentsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<string> OpenAsync() =>
        (await api.PostAsync(ApiFixture.Trigger($"att-{Guid.NewGuid():N}", "Checkout requests failing"))).GetProperty("incidentId").GetString()!;

    private Task<HttpResponseMessage> AttachAsync(string id, byte[] body, string contentType, string query = "name=pg.log&by=maria")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return api.Client.PostAsync($"/api/v1/incidents/{id}/attachments?{query}", content);
    }

    [Fact]
    public async Task An_attached_document_is_stored_on_the_timeline_and_queued_for_the_agents_to_read()
    {
        var id = await OpenAsync();
        var workBefore = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork);

        using var response = await AttachAsync(id, Encoding.UTF8.GetBytes("ERROR: deadlock detected\nProcess 55102 waits for ShareLock"), "text/plain; charset=utf-8");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var attachment = await response.Content.ReadFromJsonAsync<JsonElement>();
        var attachmentId = attachment.GetProperty("id").GetString();
        // The query still says by=maria; who is recorded is the signed-in identity.
        Assert.Equal(("pg.log", "text/plain", "Ada Admin"), (attachment.GetProperty("name").GetString(), attachment.GetProperty("contentType").GetString(), attachment.GetProperty("addedBy").GetString()));

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal(attachmentId, detail.GetProperty("attachments")[0].GetProperty("id").GetString());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "attachment.added");
        Assert.Equal(workBefore + 1, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork));
        var work = await api.Redis.Db.StreamRangeAsync(RedisKeys.AgentsWork, "-", "+", 1, StackExchange.Redis.Order.Descending);
        Assert.Equal(attachmentId, JsonDocument.Parse(work[0]["work"].ToString()).RootElement.GetProperty("attachmentId").GetString());
    }

    [Fact]
    public async Task Bad_attachments_are_4xx_problems_naming_the_problem_and_store_nothing()
    {
        var id = await OpenAsync();

        using var zip = await AttachAsync(id, [1, 2, 3], "application/zip");
        using var noName = await AttachAsync(id, [1, 2, 3], "text/plain", "by=maria");
        using var empty = await AttachAsync(id, [], "text/plain");
        using var tooLarge = await AttachAsync(id, new byte[(5 * 1024 * 1024) + 1], "image/png");
        using var unknown = await AttachAsync("inc_nope", [1, 2, 3], "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, zip.StatusCode);
        Assert.Contains("application/zip", await zip.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "name"), (noName.StatusCode, (await noName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var listed = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/attachments");
        Assert.Equal(0, listed.GetArrayLength());
    }
}
