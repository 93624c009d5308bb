using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentOps.Core.Events;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// What a screen is sent of a frame (<see cref="OpsHub.SubscribeFrames"/>): every event id, in log order, with only the
/// data the live screens read (<c>IncidentOps.Web/lib/opsState.ts</c>); an incident's detail (agent conclusions and prose,
/// alert details, action parameters) is read over REST by the page that shows it. At 5,000 screens every byte of a frame
/// is copied 5,000 times: the full events were 7.1 KiB per alert per screen, most of it agent results and prose.
/// <list type="bullet">
/// <item><c>agent.state_changed</c>: only the latest change of each agent (incident, phase) within the frame, as
/// <c>phase</c>, <c>state</c>, <c>progress</c>, <c>etaSeconds</c>, and <c>startedAt</c> when the run's start was coalesced
/// into it (so "took 1.4 s" still reads right); the <c>message</c> only of a finished run (its one line of prose, the
/// agent's tooltip on <c>/ops</c>: four per incident, not one per progress step); no attempt or result.</item>
/// <item><c>alert.*</c>: <c>data.alert</c> with its id, dedup key, status, severity and service; no details or labels.</item>
/// <item><c>incident.*</c>: <c>data.incident</c> (the summary the list shows); not the actor, reason or note. An
/// <c>incident.updated</c> followed within the frame by a later <c>incident.*</c> of the same incident is left out: each
/// carries the whole summary, so the later one is what the screen shows either way.</item>
/// <item><c>action.*</c>: what <c>/ops</c>' approvals list needs (<see cref="ScreenActions"/>): a listed proposal's summary, a
/// decision's id and state, and for any other action event only its envelope, left out when a later event of the same
/// incident is in the frame (it tells an incident's page to reload just as well).</item>
/// <item><c>ai.call</c>: left out. No live screen shows a call (the transparency pages and an incident's page read calls
/// over REST, the incident's page when its agents change); with the agents at work, leaving them out sends screens a
/// quarter fewer events (bench/README.md, session 9).</item>
/// <item>anything else (metrics, changes, attachments): as logged.</item>
/// </list>
/// <see cref="OpsHub.Subscribe"/> (one event per message, for integrations) still sends events as logged.
/// </summary>
public static class ScreenEvents
{
    private static readonly string[] AlertFields = ["id", "dedupKey", "status", "severity", "service"];
    private static readonly string[] AgentFields = ["phase", "state", "progress", "etaSeconds"];
    private static readonly string[] FinishedAgentFields = [.. AgentFields, "message"];

    /// <summary>The screen form of a page of the log (oldest first): ids ascend.</summary>
    public static List<OpsEvent> For(IReadOnlyList<OpsEvent> events)
    {
        // Newest first: the first change seen of an agent is its latest; an older "initializing" of the same run is its start.
        var latest = new Dictionary<(string?, string), int>();
        var started = new Dictionary<int, DateTimeOffset>();
        var summarised = new HashSet<string>(StringComparer.Ordinal);
        var mentioned = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<int>(events.Count);
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (!OnScreen(events[i], summarised, mentioned))
            {
                continue;
            }

            if (events[i].IncidentId is { } incident)
            {
                mentioned.Add(incident);
            }

            if (AgentOf(events[i]) is not { } agent)
            {
                kept.Add(i);
                continue;
            }

            if (latest.TryAdd((events[i].IncidentId, agent.Phase), i))
            {
                kept.Add(i);
            }
            else if (agent.State == "initializing" && latest[(events[i].IncidentId, agent.Phase)] is var newest
                     && AgentOf(events[newest])!.Value.State != "initializing")
            {
                started.TryAdd(newest, events[i].At);
            }
        }

        kept.Reverse();
        return kept.ConvertAll(i => events[i] with { Data = Project(events[i], started.TryGetValue(i, out var at) ? at : null) });
    }

    /// <summary>
    /// False for what a screen does not show (<c>ai.call</c>), for an <c>incident.updated</c> whose incident has a later
    /// summary in the frame (<paramref name="summarised"/>: incidents met so far, newest first), and for an action event sent
    /// as its envelope only when a later event of its incident is sent (<paramref name="mentioned"/>: their incidents).
    /// </summary>
    private static bool OnScreen(OpsEvent evt, HashSet<string> summarised, HashSet<string> mentioned)
    {
        if (evt.Type == EventTypes.AiCall)
        {
            return false;
        }

        if (IsAction(evt))
        {
            return ScreenActions.Of(evt) != ScreenActions.Form.EnvelopeOnly || evt.IncidentId is not { } about || !mentioned.Contains(about);
        }

        if (!evt.Type.StartsWith("incident.", StringComparison.Ordinal) || evt.IncidentId is not { } incident
            || evt.Data.ValueKind != JsonValueKind.Object || !evt.Data.TryGetProperty("incident", out _))
        {
            return true;
        }

        return summarised.Add(incident) || evt.Type != EventTypes.IncidentUpdated;
    }

    private static JsonElement Project(OpsEvent evt, DateTimeOffset? startedAt)
    {
        if (evt.Data.ValueKind != JsonValueKind.Object)
        {
            return evt.Data;
        }

        if (evt.Type == EventTypes.AgentStateChanged)
        {
            var data = Pick(evt.Data, AgentOf(evt)?.State is "completed" or "failed" ? FinishedAgentFields : AgentFields);
            if (startedAt is { } at)
            {
                data["startedAt"] = at;
            }

            return JsonSerializer.SerializeToElement(data);
        }

        return evt.Type switch
        {
            _ when evt.Type.StartsWith("alert.", StringComparison.Ordinal) => Nested(evt.Data, "alert", AlertFields),
            _ when IsAction(evt) && ScreenActions.Of(evt) is { } form => ScreenActions.Project(evt.Data, form),
            _ when evt.Type.StartsWith("incident.", StringComparison.Ordinal) && evt.Data.TryGetProperty("incident", out var incident) =>
                JsonSerializer.SerializeToElement(new JsonObject { ["incident"] = JsonNode.Parse(incident.GetRawText()) }),
            _ => evt.Data,
        };
    }

    private static bool IsAction(OpsEvent evt) => evt.Type.StartsWith("action.", StringComparison.Ordinal);

    /// <summary><paramref name="data"/> with only <paramref name="fields"/> of its object <paramref name="name"/>.</summary>
    internal static JsonElement Nested(JsonElement data, string name, string[] fields) =>
        data.TryGetProperty(name, out var inner) && inner.ValueKind == JsonValueKind.Object
            ? JsonSerializer.SerializeToElement(new JsonObject { [name] = Pick(inner, fields) })
            : data;

    private static JsonObject Pick(JsonElement source, string[] fields)
    {
        var picked = new JsonObject();
        foreach (var field in fields)
        {
            // A null is left out: the screens read a missing field as null.
            if (source.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                picked[field] = JsonNode.Parse(value.GetRawText());
            }
        }

        return picked;
    }

    private static (string Phase, string? State)? AgentOf(OpsEvent evt) =>
        evt.Type == EventTypes.AgentStateChanged && evt.Data.ValueKind == JsonValueKind.Object
        && evt.Data.TryGetProperty("phase", out var phase) && evt.Data.TryGetProperty("state", out var state)
            ? (phase.ToString(), state.ValueKind == JsonValueKind.String ? state.GetString() : null)
            : null;
}
