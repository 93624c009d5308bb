using System.Text.Json;
using IncidentOps.Core.Events;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// What a screen is sent of an action event (<see cref="ScreenEvents"/>). Of actions, a live screen shows one list: the
/// changes waiting for a person on <c>/ops</c> (approval-required actions awaiting approval, <c>selectPendingApprovals</c>
/// in <c>IncidentOps.Web/lib/opsState.ts</c>). An incident's page reads its actions, read-only steps and outcomes included,
/// over REST when an event of its incident arrives. So a proposal the list shows carries what the list shows; a decision
/// that takes one off the list carries the action's id and state; every other action event (a read-only step's proposal,
/// an approved action's start and outcome) goes as its envelope alone (id, type, incident, time): it moves the screen's
/// cursor and tells an incident's page to reload. At 5,000 screens the actions were about 1 of the 4–5 events per alert
/// per screen, most of them read-only steps with their titles and commands (bench/README.md, session 14).
/// </summary>
public static class ScreenActions
{
    private static readonly string[] ListedFields = ["id", "incidentId", "title", "kind", "command", "state", "proposedAt"];
    private static readonly string[] OffTheListFields = ["id", "state"];
    private static readonly JsonElement NoData = JsonDocument.Parse("null").RootElement;

    public enum Form
    {
        /// <summary>Puts the action on <c>/ops</c>' list: an approval-required action awaiting approval.</summary>
        Listed,

        /// <summary>Takes an approval-required action off the list: approved, rejected or superseded.</summary>
        OffTheList,

        /// <summary>Not on any list: the event without its data.</summary>
        EnvelopeOnly,
    }

    /// <summary>The form of an <c>action.*</c> event; null when it does not carry an action (sent as logged).</summary>
    public static Form? Of(OpsEvent evt)
    {
        if (evt.Data.ValueKind != JsonValueKind.Object || !evt.Data.TryGetProperty("action", out var action)
            || action.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!Is(action, "kind", "approval_required"))
        {
            return Form.EnvelopeOnly;
        }

        if (Is(action, "state", "awaiting_approval"))
        {
            return Form.Listed;
        }

        // An approval-required action leaves the awaiting state only by these three; its start and outcome come after it
        // was approved, when it had already left the list.
        return evt.Type is EventTypes.ActionApproved or EventTypes.ActionRejected or EventTypes.ActionSuperseded
            ? Form.OffTheList
            : Form.EnvelopeOnly;
    }

    /// <summary>The data a screen gets for an action event of <paramref name="form"/>.</summary>
    public static JsonElement Project(JsonElement data, Form form) => form switch
    {
        Form.Listed => ScreenEvents.Nested(data, "action", ListedFields),
        Form.OffTheList => ScreenEvents.Nested(data, "action", OffTheListFields),
        _ => NoData,
    };

    private static bool Is(JsonElement action, string field, string value) =>
        action.TryGetProperty(field, out var actual) && actual.ValueKind == JsonValueKind.String && actual.ValueEquals(value);
}
