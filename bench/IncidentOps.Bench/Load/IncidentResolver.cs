using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentOps.Bench.Load;

/// <summary>
/// Resolves incidents as responders would, through the API: every <paramref name="every"/> it lists the open incidents
/// (newest first, up to 500) and resolves each detected more than <paramref name="age"/> ago. A later alert of a resolved
/// incident's group opens a new incident, so a long run has incidents opening, resolving and, past the retention age,
/// going (what the soak needs to show Redis bounded by retention).
/// </summary>
public sealed class IncidentResolver(Uri api, string responderKey, TimeSpan every, TimeSpan age)
{
    public int Resolved { get; private set; }

    public int Failed { get; private set; }

    public async Task RunAsync(Task until)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", responderKey);
        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(every));
            if (until.IsCompleted)
            {
                break;
            }

            try
            {
                var open = await http.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open&limit=500");
                var due = DateTimeOffset.UtcNow - age;
                foreach (var incident in open.GetProperty("items").EnumerateArray()
                    .Where(i => i.GetProperty("detectedAt").GetDateTimeOffset() <= due))
                {
                    var id = incident.GetProperty("id").GetString();
                    using var response = await http.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { reason = "soak: resolved as a responder would" });
                    // 409: it moved on meanwhile (resolved by its last alert, say): nothing to do.
                    if (response.IsSuccessStatusCode)
                    {
                        Resolved++;
                    }
                    else if ((int)response.StatusCode != 409)
                    {
                        Failed++;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Failed++;
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Resolved} incidents resolved through the API (those detected more than {age.TotalSeconds:0} s before, every {every.TotalSeconds:0} s), {Failed} failures");
}
