using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Events;

/// <summary>
/// Generated serialization metadata for the types every ingested alert reads and writes (the incident document, its
/// alerts, the ingest events, the work item, the Events v2 body), so the hot path uses no reflection to build them.
/// <see cref="OpsJson"/> puts it first in its resolver chain; its own options (camelCase, snake_case enums) apply as
/// before, and every other type still resolves by reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(AlertReceived))]
[JsonSerializable(typeof(IncidentChanged))]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(PagerDutyEvent))]
[JsonSerializable(typeof(DateTimeOffset))]
internal sealed partial class OpsJsonContext : JsonSerializerContext;
