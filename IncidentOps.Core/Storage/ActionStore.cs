using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

public enum DecisionStatus
{
    Done,
    NotFound,
    NotAwaitingApproval,
}

public sealed record DecisionResult(DecisionStatus Status, ProposedAction? Action, string Message);

/// <summary>
/// The actions proposed for an incident, their decisions and outcomes. Every change is one atomic step
/// with its event on <c>ops:events</c> (and, for an approval, the work item that runs the action), made
/// under the hash's version so a decision and a re-proposal cannot overwrite each other.
/// </summary>
public sealed class ActionStore(IConnectionMultiplexer redis, TimeProvider time)
{
    private const int MaxAttempts = 20;
    private const string VersionField = "_version";

    /// <summary>What the timeline says when an action is started again after the worker running it stopped (killed, or its lease lost).</summary>
    public const string RetriedAfterRestart = "retried after its worker stopped";

    /// <summary>How a retried action is described, on its timeline and in its outcome.</summary>
    public static string RetryNote(ProposedAction action) =>
        $"{RetriedAfterRestart} (attempt {action.Attempts}, idempotency key {action.IdempotencyKey})";

    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<ProposedAction>> ListAsync(string incidentId) => (await ReadAsync(incidentId)).Actions;

    /// <summary>Every action waiting for a person, across incidents, oldest proposal first.</summary>
    public async Task<IReadOnlyList<ProposedAction>> AwaitingApprovalAsync(int limit)
    {
        var members = await Db.SetMembersAsync(RedisKeys.AwaitingApproval);
        var batch = Db.CreateBatch();
        var reads = members.Select(m => m.ToString().Split('/', 2)).Where(p => p.Length == 2)
            .Select(p => batch.HashGetAsync(RedisKeys.Actions(p[0]), p[1])).ToList();
        batch.Execute();
        return [.. (await Task.WhenAll(reads)).Where(v => !v.IsNullOrEmpty)
            .Select(v => OpsJson.Deserialize<ProposedAction>(v.ToString()))
            .Where(a => a.State == ActionState.AwaitingApproval)
            .OrderBy(a => a.ProposedAt).ThenBy(a => a.Order).Take(limit)];
    }

    public async Task<ProposedAction?> GetAsync(string incidentId, string actionId)
    {
        var json = await Db.HashGetAsync(RedisKeys.Actions(incidentId), actionId);
        return json.IsNullOrEmpty ? null : OpsJson.Deserialize<ProposedAction>(json.ToString());
    }

    /// <summary>
    /// Stores a plan: new steps are proposed (approved at once when <paramref name="autoApprove"/> says so), waiting
    /// actions the plan no longer holds are superseded, and steps the incident already has are left alone, so proposing
    /// the same plan twice (a resumed run, a re-analysis that reaches the same plan) changes nothing.
    /// </summary>
    public Task ProposeAsync(string incidentId, IReadOnlyList<ProposedAction> plan, Func<ProposedAction, bool> autoApprove, string? traceparent) =>
        ChangeAsync(incidentId, traceparent, current =>
        {
            var now = time.GetUtcNow();
            var changes = new List<Change>();
            // A step the incident already has (same title and command) is not proposed again: a waiting one stays, a decided
            // one (done, running, failed or rejected) is not put back in front of a person after a re-analysis.
            var live = current.Where(a => a.State != ActionState.Superseded).ToList();
            foreach (var stale in live.Where(a => a.State == ActionState.AwaitingApproval && !plan.Any(p => SameStep(p, a))))
            {
                changes.Add(new(stale with { State = ActionState.Superseded, Outcome = "superseded by a newer plan", FinishedAt = now }, EventTypes.ActionSuperseded));
            }

            foreach (var action in plan.Where(a => !live.Any(known => SameStep(known, a))))
            {
                changes.Add(new(action, EventTypes.ActionProposed));
                if (autoApprove(action))
                {
                    var approved = action with { State = ActionState.Approved, DecidedBy = "policy", DecisionReason = "read-only step configured to run automatically", DecidedAt = now };
                    changes.Add(new(approved, EventTypes.ActionApproved, new WorkItem(incidentId, "action", now) { ActionId = action.Id }));
                }
            }

            return changes;
        });

    public async Task<DecisionResult> DecideAsync(string incidentId, string actionId, bool approve, string by, string? reason, string? traceparent)
    {
        DecisionResult? outcome = null;
        await ChangeAsync(incidentId, traceparent, current =>
        {
            var action = current.FirstOrDefault(a => a.Id == actionId);
            if (action is null)
            {
                outcome = new(DecisionStatus.NotFound, null, $"Incident '{incidentId}' has no action '{actionId}'.");
                return [];
            }

            if (action.State != ActionState.AwaitingApproval)
            {
                outcome = new(DecisionStatus.NotAwaitingApproval, action, $"Action '{actionId}' is {Words(action.State)}, not awaiting approval.");
                return [];
            }

            var now = time.GetUtcNow();
            var decided = action with { State = approve ? ActionState.Approved : ActionState.Rejected, DecidedBy = by, DecisionReason = reason, DecidedAt = now };
            outcome = new(DecisionStatus.Done, decided, approve ? "Approved: queued for its executor." : "Rejected.");
            return [new(decided, approve ? EventTypes.ActionApproved : EventTypes.ActionRejected,
                approve ? new WorkItem(incidentId, "action", now) { ActionId = actionId } : null)];
        });
        return outcome!;
    }

    /// <summary>
    /// Moves an approved action to running, recorded before its executor is called; null when it is not approved (already
    /// run, or never approved). An action found running was being executed by a worker that stopped before recording an
    /// outcome: it is run again as its next attempt, with the same idempotency key, and the timeline says so.
    /// </summary>
    public async Task<ProposedAction?> StartAsync(string incidentId, string actionId, string? traceparent)
    {
        ProposedAction? started = null;
        await ChangeAsync(incidentId, traceparent, current =>
        {
            var action = current.FirstOrDefault(a => a.Id == actionId);
            if (action is not { State: ActionState.Approved or ActionState.Running })
            {
                return [];
            }

            started = action with { State = ActionState.Running, Attempts = action.Attempts + 1 };
            return [new(started, EventTypes.ActionStarted, Reason: action.State == ActionState.Running
                ? RetryNote(started)
                : null)];
        });
        return started;
    }

    public Task FinishAsync(string incidentId, string actionId, bool succeeded, string outcome, string? traceparent) =>
        ChangeAsync(incidentId, traceparent, current =>
        {
            var action = current.FirstOrDefault(a => a.Id == actionId);
            if (action is not { State: ActionState.Running })
            {
                return [];
            }

            var finished = action with { State = succeeded ? ActionState.Succeeded : ActionState.Failed, Outcome = outcome, FinishedAt = time.GetUtcNow() };
            return [new(finished, succeeded ? EventTypes.ActionSucceeded : EventTypes.ActionFailed)];
        });

    private async Task ChangeAsync(
        string incidentId, string? traceparent,
        Func<IReadOnlyList<ProposedAction>, List<Change>> decide)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (actions, version) = await ReadAsync(incidentId);
            var changes = decide(actions);
            if (changes.Count == 0)
            {
                return;
            }

            var args = new List<RedisValue> { version, traceparent ?? string.Empty, RedisKeys.StreamNotify, RedisScripts.OpsEventsMaxLength, incidentId };
            var latest = changes.GroupBy(c => c.Action.Id).Select(g => g.Last().Action).ToList();
            args.Add(latest.Count);
            foreach (var action in latest)
            {
                args.Add(action.Id);
                args.Add(OpsJson.Serialize(action));
                args.Add(action.State == ActionState.AwaitingApproval ? 1 : 0);
            }

            args.Add(changes.Count);
            var now = time.GetUtcNow();
            foreach (var change in changes)
            {
                args.Add(EventEnvelope.Serialize(new PendingEvent(change.EventType, incidentId, now, new ActionChanged(change.Action, change.Reason))));
            }

            var work = changes.Where(c => c.Work is not null).Select(c => c.Work!).ToList();
            args.Add(work.Count);
            args.AddRange(work.Select(w => (RedisValue)OpsJson.Serialize(w)));

            var result = await Db.ScriptEvaluateAsync(RedisScripts.ChangeActions,
                [RedisKeys.Actions(incidentId), RedisKeys.OpsEvents, RedisKeys.Timeline(incidentId), RedisKeys.AgentsWork, RedisKeys.AwaitingApproval], [.. args]);
            if (result.ToString() != "conflict")
            {
                return;
            }
        }

        throw new InvalidOperationException($"The actions of incident '{incidentId}' kept changing under {MaxAttempts} attempts.");
    }

    private async Task<(IReadOnlyList<ProposedAction> Actions, long Version)> ReadAsync(string incidentId)
    {
        var entries = await Db.HashGetAllAsync(RedisKeys.Actions(incidentId));
        var version = entries.Where(e => e.Name == VersionField).Select(e => (long)e.Value).FirstOrDefault();
        var actions = entries.Where(e => e.Name != VersionField)
            .Select(e => OpsJson.Deserialize<ProposedAction>(e.Value.ToString()))
            .OrderBy(a => a.ProposedAt).ThenBy(a => a.Order).ToList();
        return (actions, version);
    }

    /// <summary>The same step of a plan: the same action, or one with the same title and command from a newer plan.</summary>
    private static bool SameStep(ProposedAction a, ProposedAction b) => a.Id == b.Id || (a.Title == b.Title && a.Command == b.Command);

    private sealed record Change(ProposedAction Action, string EventType, WorkItem? Work = null, string? Reason = null);

    private static string Words(ActionState state) => state switch
    {
        ActionState.AwaitingApproval => "awaiting approval",
        _ => state.ToString().ToLowerInvariant(),
    };
}

/// <summary>The payload of every action event: the action after the change, and why when it is not plain (a retry).</summary>
public sealed record ActionChanged(ProposedAction Action, string? Reason = null);
