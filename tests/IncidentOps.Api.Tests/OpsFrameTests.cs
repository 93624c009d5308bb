using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using IncidentOps.Api.Hubs;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Api.Tests;

public class OpsFrameTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void A_frame_keeps_only_the_latest_progress_of_each_agent_in_log_order()
    {
        var events = new[]
        {
            Agent("1-0", "inc_a", "detection", "initializing"),
            Agent("1-1", "inc_a", "detection", "processing"),
            Agent("1-2", "inc_b", "detection", "processing"),
            Agent("1-3", "inc_a", "detection", "processing"),
            new OpsEvent("1-4", EventTypes.AlertReceived, "inc_a", DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { })),
            Agent("1-5", "inc_a", "detection", "completed"),
            Agent("1-6", "inc_a", "diagnosis", "processing"),
        };

        var frame = new OpsFrame(events);

        // What Subscribe sends: every event but the progress steps a later change of the same agent superseded.
        Assert.Equal(["1-0", "1-2", "1-4", "1-5", "1-6"], frame.Events.Select(e => e.Id));
        Assert.Equal(StreamId.Parse("1-6"), frame.Last);
        // What a screen gets: each agent's latest change only, ids ascending (the web reducer ignores a lower id after a higher one).
        var json = JsonDocument.Parse(frame.Json).RootElement;
        Assert.Equal(["1-2", "1-4", "1-5", "1-6"], json.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(["1-5", "1-6"], frame.After(StreamId.Parse("1-4"))!.Events.Select(e => e.Id));
        Assert.Equal(["1-2", "1-4", "1-5", "1-6"], frame.After(StreamId.Parse("1-1"))!.Events.Select(e => e.Id));
        Assert.Null(frame.After(StreamId.Parse("1-6")));
    }

    [Fact]
    public void A_screen_gets_each_agents_latest_state_with_its_start_and_a_finished_runs_line_but_no_results_or_alert_details()
    {
        var at = new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
        var result = JsonSerializer.SerializeToElement(new { hypotheses = new[] { new { category = "bad_deploy", rationale = new string('r', 300) } } });
        var events = new OpsEvent[]
        {
            new("2-0", EventTypes.AlertReceived, "inc_a", at, JsonSerializer.SerializeToElement(new
            {
                alert = new { id = "alt_1", dedupKey = "checkout-5xx", status = "firing", severity = "critical", service = "checkout", summary = new string('s', 200), details = new { trace = new string('t', 500) } },
            })),
            new("2-1", EventTypes.IncidentOpened, "inc_a", at, JsonSerializer.SerializeToElement(new { incident = new { id = "inc_a", title = "checkout 5xx" }, note = new string('n', 300) })),
            AgentAt("2-2", "inc_a", "detection", "initializing", at.AddSeconds(1), "Starting"),
            AgentAt("2-3", "inc_a", "detection", "processing", at.AddSeconds(2), "Reading related incidents"),
            AgentAt("2-4", "inc_a", "detection", "completed", at.AddSeconds(3), "Detection finished: three related incidents", result),
            AgentAt("2-5", "inc_a", "diagnosis", "initializing", at.AddSeconds(4), "Starting"),
            new("2-6", EventTypes.AiCall, "inc_a", at, JsonSerializer.SerializeToElement(new { model = "local", prompt = new string('p', 300) })),
            new("2-7", EventTypes.ActionProposed, "inc_a", at, JsonSerializer.SerializeToElement(new
            {
                action = new { id = "act_1", incidentId = "inc_a", title = "Roll back", kind = "approval_required", command = "rollback", state = "awaiting_approval", proposedAt = at, parameters = new { why = new string('w', 300) } },
                reason = "proposed",
            })),
        };

        var screen = JsonDocument.Parse(new OpsFrame(events).Json).RootElement.EnumerateArray().ToList();

        // The ai.call (2-6) is not on a screen: the pages that show calls read them over REST.
        Assert.Equal(["2-0", "2-1", "2-4", "2-5", "2-7"], screen.Select(e => e.GetProperty("id").GetString()));
        var detection = screen[2].GetProperty("data");
        Assert.Equal(["phase", "state", "progress", "message", "startedAt"], detection.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Detection finished: three related incidents", detection.GetProperty("message").GetString()); // the tooltip on /ops
        Assert.False(screen[3].GetProperty("data").TryGetProperty("message", out _)); // a run at work: no prose per step
        Assert.Equal("completed", detection.GetProperty("state").GetString());
        Assert.Equal(at.AddSeconds(1), detection.GetProperty("startedAt").GetDateTimeOffset()); // the run's start, coalesced into it
        Assert.False(screen[3].GetProperty("data").TryGetProperty("startedAt", out _)); // an "initializing" is its own start
        Assert.Equal(["id", "dedupKey", "status", "severity", "service"], screen[0].GetProperty("data").GetProperty("alert").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["incident"], screen[1].GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.Equal("checkout 5xx", screen[1].GetProperty("data").GetProperty("incident").GetProperty("title").GetString());
        Assert.Equal(["id", "incidentId", "title", "kind", "command", "state", "proposedAt"], screen[4].GetProperty("data").GetProperty("action").EnumerateObject().Select(p => p.Name));
        Assert.Equal("incident.opened", screen[1].GetProperty("type").GetString());
        Assert.Equal(at, screen[1].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public void A_screen_gets_an_incidents_latest_summary_in_a_frame_and_no_ai_calls()
    {
        var events = new[]
        {
            Incident("4-0", EventTypes.IncidentOpened, "inc_a", "opened"),
            Incident("4-1", EventTypes.IncidentUpdated, "inc_a", "two alerts"),
            Incident("4-2", EventTypes.IncidentUpdated, "inc_b", "b: two alerts"),
            new OpsEvent("4-3", EventTypes.AiCall, "inc_a", DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { model = "local" })),
            Incident("4-4", EventTypes.IncidentUpdated, "inc_a", "three alerts"),
            Incident("4-5", EventTypes.IncidentAcknowledged, "inc_b", "b: acknowledged"),
            Incident("4-6", EventTypes.IncidentUpdated, "inc_a", "four alerts"),
        };

        var frame = new OpsFrame(events);
        var screen = JsonDocument.Parse(frame.Json).RootElement.EnumerateArray().ToList();

        // incident.opened is a change of state and stays; each incident's updates before its latest summary are left out.
        Assert.Equal(["4-0", "4-5", "4-6"], screen.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(["opened", "b: acknowledged", "four alerts"], screen.Select(e => e.GetProperty("data").GetProperty("incident").GetProperty("title").GetString()));
        Assert.Equal(events.Select(e => e.Id), frame.Events.Select(e => e.Id)); // Subscribe (integrations) still gets every event
        Assert.False(frame.ShowsNothing);
        Assert.True(new OpsFrame([events[3]]).ShowsNothing); // a frame of AI calls only is not sent to screens at all
    }

    [Fact]
    public void A_screen_gets_the_actions_awaiting_a_person_their_decisions_id_and_state_and_of_other_action_events_the_envelope_once_per_incident()
    {
        var at = new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);
        var events = new[]
        {
            // inc_a's plan: two read-only steps and a remediation that needs approval, then the resolution agent finishes.
            Action("5-0", EventTypes.ActionProposed, "inc_a", "act_a1", "read_only", "awaiting_approval", at),
            Action("5-1", EventTypes.ActionProposed, "inc_a", "act_a2", "read_only", "awaiting_approval", at),
            Action("5-2", EventTypes.ActionProposed, "inc_a", "act_a3", "approval_required", "awaiting_approval", at),
            AgentAt("5-3", "inc_a", "resolution", "completed", at, "Done"),
            // inc_b: a person approves its remediation, which runs and succeeds; another waiting one is superseded.
            Action("5-4", EventTypes.ActionApproved, "inc_b", "act_b1", "approval_required", "approved", at),
            Action("5-5", EventTypes.ActionSuperseded, "inc_b", "act_b2", "approval_required", "superseded", at),
            Action("5-6", EventTypes.ActionStarted, "inc_b", "act_b1", "approval_required", "running", at),
            Action("5-7", EventTypes.ActionSucceeded, "inc_b", "act_b1", "approval_required", "succeeded", at),
            // inc_c: a read-only step superseded, nothing after it in the frame.
            Action("5-8", EventTypes.ActionSuperseded, "inc_c", "act_c1", "read_only", "superseded", at),
        };

        var frame = new OpsFrame(events);
        var screen = JsonDocument.Parse(frame.Json).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);

        // Read-only steps (5-0, 5-1) and inc_b's start (5-6) are left out: a later event of their incident is in the frame
        // and reloads that incident's page. The last such event of an incident (5-7, 5-8) goes as its envelope.
        Assert.Equal(["5-2", "5-3", "5-4", "5-5", "5-7", "5-8"], screen.Keys);
        Assert.Equal(["id", "incidentId", "title", "kind", "command", "state", "proposedAt"],
            screen["5-2"].GetProperty("data").GetProperty("action").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Step act_a3", screen["5-2"].GetProperty("data").GetProperty("action").GetProperty("title").GetString());
        foreach (var (id, state) in new[] { ("5-4", "approved"), ("5-5", "superseded") })
        {
            var action = screen[id].GetProperty("data").GetProperty("action");
            Assert.Equal(["id", "state"], action.EnumerateObject().Select(p => p.Name));
            Assert.Equal(state, action.GetProperty("state").GetString());
        }

        foreach (var (id, incident, type) in new[] { ("5-7", "inc_b", EventTypes.ActionSucceeded), ("5-8", "inc_c", EventTypes.ActionSuperseded) })
        {
            Assert.Equal(JsonValueKind.Null, screen[id].GetProperty("data").ValueKind);
            Assert.Equal(incident, screen[id].GetProperty("incidentId").GetString());
            Assert.Equal(type, screen[id].GetProperty("type").GetString());
        }

        // Subscribe (integrations) and the log keep every action event whole.
        Assert.Equal(events.Select(e => e.Id), frame.Events.Select(e => e.Id));
        Assert.Equal("kubectl get pods", frame.Events[0].Data.GetProperty("action").GetProperty("command").GetString());
        // In a frame of their own, inc_a's read-only steps go as one envelope, the latest.
        var rest = JsonDocument.Parse(new OpsFrame(events[..2]).Json).RootElement.EnumerateArray().ToList();
        Assert.Equal(["5-1"], rest.Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public void A_frames_stream_item_is_written_as_the_json_protocol_writes_it_in_one_span()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.SignalR.JsonHubProtocolOptions());
        options.Value.PayloadSerializerOptions.Converters.Add(new OpsFrameConverter());
        var json = new Microsoft.AspNetCore.SignalR.Protocol.JsonHubProtocol(options);
        var frames = new FrameHubProtocol(options);
        var frame = new OpsFrame([Incident("5-0", EventTypes.IncidentOpened, "inc_a", "a \"quoted\" title"), Agent("5-1", "inc_a", "detection", "processing")]);

        foreach (var id in new[] { "0", "17", "a-B_9", "\"odd\" id" })
        {
            var message = new Microsoft.AspNetCore.SignalR.Protocol.StreamItemMessage(id, frame);
            var expected = json.GetMessageBytes(message).ToArray();
            Assert.Equal(expected, frames.GetMessageBytes(message).ToArray());
            // Written into a pipe whose current segment has little room left: still one segment, one WebSocket frame.
            var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(minimumSegmentSize: 256));
            System.Buffers.BuffersExtensions.Write(pipe.Writer, new byte[4000]);
            frames.WriteMessage(message, pipe.Writer);
            pipe.Writer.Complete();
            Assert.True(pipe.Reader.TryRead(out var read));
            Assert.Equal(expected, System.Buffers.BuffersExtensions.ToArray(read.Buffer.Slice(4000)));
            Assert.True(read.Buffer.Slice(4000).IsSingleSegment || id.Contains('"'), $"{id}: the message spans segments");
        }

        var other = new Microsoft.AspNetCore.SignalR.Protocol.CompletionMessage("0", "resync: reload", null, false);
        Assert.Equal(json.GetMessageBytes(other).ToArray(), frames.GetMessageBytes(other).ToArray());
    }

    [Fact]
    public void A_new_run_coalesced_into_one_frame_carries_its_own_start_not_the_previous_runs()
    {
        var at = new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
        var events = new[]
        {
            AgentAt("3-0", "inc_a", "diagnosis", "initializing", at, null),
            AgentAt("3-1", "inc_a", "diagnosis", "completed", at.AddSeconds(1), null),
            AgentAt("3-2", "inc_a", "diagnosis", "initializing", at.AddSeconds(5), null),
            AgentAt("3-3", "inc_a", "diagnosis", "processing", at.AddSeconds(6), null),
        };

        var screen = JsonDocument.Parse(new OpsFrame(events).Json).RootElement.EnumerateArray().Single();

        Assert.Equal("3-3", screen.GetProperty("id").GetString());
        Assert.Equal(at.AddSeconds(5), screen.GetProperty("data").GetProperty("startedAt").GetDateTimeOffset());
    }

    [Fact]
    public void A_page_over_the_frame_byte_limit_goes_out_as_several_frames_in_order_each_within_the_limit()
    {
        var events = Enumerable.Range(0, 40)
            .Select(i => new OpsEvent($"7-{i}", EventTypes.AlertReceived, $"inc_{i}", DateTimeOffset.UnixEpoch,
                JsonSerializer.SerializeToElement(new { summary = new string('x', 400) })))
            .ToList();

        var frames = OpsFrame.Split(events, maxBytes: 4_000);

        Assert.True(frames.Count >= 5, $"{frames.Count} frames for {new OpsFrame(events).Json.Length} bytes");
        Assert.All(frames, f => Assert.True(f.Json.Length <= 4_000, $"a frame of {f.Json.Length} bytes"));
        Assert.Equal(events.Select(e => e.Id), frames.SelectMany(f => f.Events).Select(e => e.Id));
        Assert.Single(OpsFrame.Split(events, maxBytes: 1_000_000));
    }

    [Fact]
    public async Task A_subscription_keeps_up_only_while_it_has_nothing_queued_or_being_written()
    {
        var frame = new OpsFrame([Agent("1-0", "inc_a", "detection", "initializing")]);
        var channel = Channel.CreateUnbounded<OpsFrame>();
        var left = false;
        var subscription = new Subscription(channel, () => left = true);
        Assert.True(subscription.KeepingUp);

        channel.Writer.TryWrite(frame);
        Assert.False(subscription.KeepingUp); // queued
        await using var frames = subscription.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await frames.MoveNextAsync());
        Assert.Same(frame, frames.Current);
        Assert.False(subscription.KeepingUp); // being written: its turn skips it

        var next = frames.MoveNextAsync(); // asking for the next one: the first is written
        Assert.True(subscription.KeepingUp);
        subscription.Dispose();
        Assert.True(left);
        channel.Writer.TryComplete();
        Assert.False(await next);
    }

    [Fact]
    public async Task Frames_carry_several_events_each_in_order_and_once_each()
    {
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        // An empty log has no last id: subscribe from its start then, not "from now on", or the alerts posted below could
        // be appended before the subscription is registered and never arrive.
        var seenUpTo = list.GetProperty("lastEventId").GetString() ?? "0-0";
        await using var hub = api.Hub();
        await hub.StartAsync();
        var frames = Channel.CreateUnbounded<JsonElement>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _ = StreamPump.PumpAsync(hub.StreamAsync<JsonElement>(nameof(OpsHub.SubscribeFrames), seenUpTo, cancel.Token), frames.Writer);

        var opened = (await Task.WhenAll(Enumerable.Range(0, 10).Select(i => api.PostAsync(ApiFixture.Trigger($"frames-{i}-{Guid.NewGuid():N}")))))
            .Select(r => r.GetProperty("incidentId").GetString()!).ToHashSet();

        var received = new List<JsonElement>();
        var frameCount = 0;
        while (!opened.All(id => received.Any(e => e.GetProperty("type").GetString() == "incident.opened" && e.GetProperty("incidentId").GetString() == id)))
        {
            var frame = await ReadAsync(frames.Reader, received, cancel.Token);
            Assert.Equal(JsonValueKind.Array, frame.ValueKind);
            frameCount++;
            received.AddRange(frame.EnumerateArray());
        }

        var ids = received.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.OrderBy(StreamId.Parse), ids);
        // Each alert appends two events at once (alert.received, incident.opened): they never travel apart.
        Assert.True(frameCount < received.Count, $"{frameCount} frames for {received.Count} events");
        await cancel.CancelAsync();
    }

    [Fact]
    public void Frames_are_paced_while_events_keep_coming_and_the_first_after_a_quiet_spell_goes_at_once()
    {
        var pacing = new FramePacing(TimeSpan.FromMilliseconds(300));
        var at = TimeSpan.FromSeconds(10);

        Assert.Equal(TimeSpan.Zero, pacing.WaitAt(at)); // nothing sent yet: the first frame goes at once
        pacing.Cut(at);
        Assert.Equal(TimeSpan.FromMilliseconds(300), pacing.WaitAt(at)); // events right after a frame wait for the next
        Assert.Equal(TimeSpan.FromMilliseconds(200), pacing.WaitAt(at + TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.Zero, pacing.WaitAt(at + TimeSpan.FromMilliseconds(300)));
        Assert.Equal(TimeSpan.Zero, pacing.WaitAt(at + TimeSpan.FromMinutes(1))); // a lone alert after a quiet minute: no tick to wait for
        Assert.Equal(TimeSpan.Zero, new FramePacing(TimeSpan.Zero).WaitAt(at)); // unpaced
    }

    [Fact]
    public async Task A_paced_hub_sends_a_lone_alert_at_once_everything_appended_within_the_interval_in_the_next_frame_in_order_and_a_backlog_without_a_wait_per_page()
    {
        var interval = TimeSpan.FromSeconds(5);
        await using var paced = api.Factory.WithWebHostBuilder(web => web.UseSetting("Hub:MinFrameIntervalMilliseconds", ((int)interval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        var seenUpTo = list.GetProperty("lastEventId").GetString() ?? "0-0";
        // An alert from before the paced API started reaches the screen in its replay. Once it is there, the replay has been
        // read and everything later comes live: otherwise the lone alert could land in the replay and the next alerts in the
        // first live frame, which goes at once.
        var before = (await api.PostAsync(ApiFixture.Trigger($"paced-before-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString();
        await using var hub = api.Hub(paced);
        await hub.StartAsync();
        var frames = Channel.CreateUnbounded<JsonElement>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _ = StreamPump.PumpAsync(hub.StreamAsync<JsonElement>(nameof(OpsHub.SubscribeFrames), seenUpTo, cancel.Token), frames.Writer);
        var received = new List<JsonElement>();
        while (!received.Any(e => e.GetProperty("incidentId").GetString() == before))
        {
            received.AddRange((await ReadAsync(frames.Reader, received, cancel.Token)).EnumerateArray());
        }

        // A lone alert on a hub that has sent no frame yet (a quiet spell): it does not wait for a tick.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lone = (await api.PostAsync(ApiFixture.Trigger($"paced-lone-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString();
        while (!received.Any(e => e.GetProperty("incidentId").GetString() == lone))
        {
            received.AddRange((await ReadAsync(frames.Reader, received, cancel.Token)).EnumerateArray());
        }

        var loneArrived = clock.Elapsed;
        Assert.True(loneArrived < interval, $"the lone alert took {loneArrived.TotalMilliseconds:F0} ms, the interval is {interval.TotalMilliseconds:F0} ms");

        // Ten alerts right after that frame: they wait for the next cut and go together, every event once and in order.
        var opened = (await Task.WhenAll(Enumerable.Range(0, 10).Select(i => api.PostAsync(ApiFixture.Trigger($"paced-{i}-{Guid.NewGuid():N}")))))
            .Select(r => r.GetProperty("incidentId").GetString()!).ToHashSet();
        var next = (await ReadAsync(frames.Reader, received, cancel.Token)).EnumerateArray().ToList();
        var gap = clock.Elapsed - loneArrived;
        received.AddRange(next);

        Assert.True(gap > interval * 0.8, $"the next frame came {gap.TotalMilliseconds:F0} ms after the lone alert's, the interval is {interval.TotalMilliseconds:F0} ms");
        Assert.Equal(opened, next.Where(e => e.GetProperty("type").GetString() == "alert.received").Select(e => e.GetProperty("incidentId").GetString()!).ToHashSet());
        Assert.Equal(opened, next.Where(e => e.GetProperty("type").GetString() == "incident.opened").Select(e => e.GetProperty("incidentId").GetString()!).ToHashSet());
        // A backlog of more than a page (60 alerts, 120 events) is paced once, not once per page.
        var backlogFrom = clock.Elapsed;
        var backlog = (await Task.WhenAll(Enumerable.Range(0, 60).Select(i => api.PostAsync(ApiFixture.Trigger($"paced-backlog-{i}-{Guid.NewGuid():N}")))))
            .Select(r => r.GetProperty("incidentId").GetString()!).ToHashSet();
        while (!backlog.IsSubsetOf(received.Where(e => e.GetProperty("type").GetString() == "incident.opened").Select(e => e.GetProperty("incidentId").GetString()!)))
        {
            received.AddRange((await ReadAsync(frames.Reader, received, cancel.Token)).EnumerateArray());
        }

        var backlogTook = clock.Elapsed - backlogFrom;
        Assert.True(backlogTook < interval * 2, $"the backlog took {backlogTook.TotalMilliseconds:F0} ms to arrive, the interval is {interval.TotalMilliseconds:F0} ms");
        var ids = received.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.OrderBy(StreamId.Parse), ids);
        await cancel.CancelAsync();
    }

    private static async Task<JsonElement> ReadAsync(ChannelReader<JsonElement> reader, List<JsonElement> received, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No frame within the deadline; received so far: {string.Join(", ", received.Select(e => e.GetProperty("type").GetString() + " " + e.GetProperty("incidentId").GetString()))}");
            throw;
        }
    }

    private static OpsEvent AgentAt(string id, string incident, string phase, string state, DateTimeOffset at, string? message, JsonElement? result = null) =>
        new(id, EventTypes.AgentStateChanged, incident, at,
            JsonSerializer.SerializeToElement(new { phase, state, progress = 50, message, attempt = 1, etaSeconds = (double?)null, result }));

    private static OpsEvent Action(string id, string type, string incident, string action, string kind, string state, DateTimeOffset at) =>
        new(id, type, incident, at, JsonSerializer.SerializeToElement(new
        {
            action = new
            {
                id = action, incidentId = incident, order = 1, title = $"Step {action}", kind, remediation = "inspect", command = "kubectl get pods",
                source = "local engine: standard triage", executor = "manual", state, proposedAt = at, decidedBy = (string?)null,
            },
            reason = (string?)null,
        }));

    internal static OpsEvent Incident(string id, string type, string incident, string title) =>
        new(id, type, incident, DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { incident = new { id = incident, title } }));

    internal static OpsEvent Agent(string id, string incident, string phase, string state) =>
        new(id, EventTypes.AgentStateChanged, incident, DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { phase, state, progress = 50 }));
}
