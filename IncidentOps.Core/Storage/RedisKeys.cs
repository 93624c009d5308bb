using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Every Redis key IncidentOps uses, in one place. Every key carries the hash tag <c>{io}</c>: the scripts change an
/// incident, the event log and the work queue in one step, and Redis in cluster mode (Amazon MemoryDB always is)
/// runs a script only over keys of one hash slot. One slot means one shard: scale Redis up and with replicas, not out.
/// </summary>
public static class RedisKeys
{
    /// <summary>The hash tag every key starts with.</summary>
    public const string Tag = "{io}";

    /// <summary>The one ordered log of everything that happened (a stream; entry id = sequence number).</summary>
    public const string OpsEvents = "{io}:ops:events";

    /// <summary>The agent pipeline's work queue (a stream read through the <see cref="AgentsGroup"/> consumer group).</summary>
    public const string AgentsWork = "{io}:agents:work";

    /// <summary>
    /// The first analysis of each new incident (a stream, same <see cref="AgentsGroup"/>): workers read it before
    /// <see cref="AgentsWork"/>, so a new incident is not queued behind re-analyses of busy ones during a storm.
    /// </summary>
    public const string AgentsUrgent = "{io}:agents:urgent";

    public const string AgentsGroup = "agents";

    /// <summary>Work items that failed every worker <c>Agents:MaxDeliveries</c> times, with why: for a person to look at.</summary>
    public const string AgentsDead = "{io}:agents:dead";
    public const string MetricsGroup = "metrics";

    /// <summary>Pub/sub channel on which every append to a stream announces the stream's name, so readers wake at once.</summary>
    public const string StreamNotify = "{io}:notify";

    /// <summary>The audit trail (a stream of who did what, trimmed by age).</summary>
    public const string Audit = "{io}:audit";

    /// <summary>Set for an hour when an API key's read of one endpoint with one outcome is audited: later ones in the hour are not.</summary>
    public static string AuditKeyRead(string keyId, string action, string outcome) => $"{Audit}:keyread:{keyId}:{action}:{outcome}";

    /// <summary>Hash of API key id → key metadata JSON (never the secret).</summary>
    public const string ApiKeys = "{io}:apikeys";

    /// <summary>Hash of SHA-256 digest of an API key's secret → key id.</summary>
    public const string ApiKeyDigests = "{io}:apikeys:digests";

    /// <summary>Hash of the digest of an ingest token issued by rotation → <see cref="IssuedIngestToken"/> JSON, per source.</summary>
    public static string IngestTokens(string source) => $"{{io}}:ingest:tokens:{source}";

    /// <summary>Hash of API key id → last use (unix ms).</summary>
    public const string ApiKeysLastUsed = "{io}:apikeys:lastused";

    /// <summary>Sorted set of every incident id, scored by detection time (unix ms).</summary>
    public const string Incidents = "{io}:incidents";

    /// <summary>Set of the ids of incidents not yet resolved.</summary>
    public const string OpenIncidents = "{io}:incidents:open";

    /// <summary>The latest metrics snapshot (JSON), written by the metrics worker.</summary>
    public const string MetricsSnapshot = "{io}:metrics:snapshot";

    /// <summary>
    /// Prefix of the metrics worker's packed incident facts (see FactStore): <c>:data</c> a string of 48-byte records,
    /// <c>:slots</c> hash incident id → record number, <c>:services</c> hash service → index, and their counters.
    /// </summary>
    public const string MetricsFacts = "{io}:metrics:facts";

    /// <summary>Set once the facts hold every stored incident (after the first full rebuild); a worker without it rebuilds.</summary>
    public const string MetricsFactsReady = "{io}:metrics:facts:ready";

    /// <summary>
    /// Sorted set of resolved incidents (score: resolved at, unix ms) whose dedup and grouping keys still point at them:
    /// the retention trimmer releases those keys <c>Retention:DedupGraceHours</c> after the resolution.
    /// </summary>
    public const string RetentionDedupDue = "{io}:retention:dedup";

    /// <summary>Sorted set of resolved incidents (score: resolved at, unix ms) still stored: archived after <c>Retention:ResolvedIncidentDays</c>.</summary>
    public const string RetentionArchiveDue = "{io}:retention:archive";

    /// <summary>Set once every incident stored before the trimmer existed has been scheduled (the one-time backfill).</summary>
    public const string RetentionReady = "{io}:retention:ready";

    /// <summary>
    /// Hash with fields <c>doc</c> (the incident JSON, with its alert counts but not its alerts) and <c>version</c>.
    /// Documents written before the alerts moved to <see cref="IncidentAlerts"/> hold their alerts inline; readers take both.
    /// </summary>
    public static string Incident(string id) => $"{{io}}:incident:{id}";

    /// <summary>
    /// Hash of alert id → <see cref="Alert"/> JSON: an incident's alerts, apart from its document so that an alert joining
    /// an incident of 5,000 alerts writes one field, not the whole incident again.
    /// </summary>
    public static string IncidentAlerts(string incidentId) => $"{{io}}:incident:{incidentId}:alerts";

    /// <summary>Hash of agent phase → <see cref="AgentRun"/> JSON.</summary>
    public static string AgentRuns(string incidentId) => $"{{io}}:incident:{incidentId}:agents";

    /// <summary>
    /// Set while an analysis of the incident is queued and not yet started: however many alerts arrive, the incident has
    /// at most one pending analysis (the worker deletes it as it starts, then reads the incident as it is by then).
    /// </summary>
    public static string AnalysisPending(string incidentId) => $"{{io}}:incident:{incidentId}:analysis-pending";

    /// <summary>The holder of the incident's analysis (one at a time across workers), with a time to live.</summary>
    public static string IncidentLease(string incidentId) => $"{{io}}:incident:{incidentId}:lease";

    /// <summary>List of the incident's timeline entries (its events, oldest first).</summary>
    public static string Timeline(string incidentId) => $"{{io}}:incident:{incidentId}:timeline";

    /// <summary>Hash of action id → <see cref="ProposedAction"/> JSON, plus field <c>_version</c> for optimistic concurrency.</summary>
    public static string Actions(string incidentId) => $"{{io}}:incident:{incidentId}:actions";

    /// <summary>Set of <c>{incidentId}/{actionId}</c> of every action awaiting approval (the console's approval queue).</summary>
    public const string AwaitingApproval = "{io}:actions:awaiting";

    /// <summary>Hash of how remediations fared for one diagnosis category: <c>{remediation}:tried</c>, <c>{remediation}:worked</c>.</summary>
    public static string FixOutcomes(string category) => $"{{io}}:fixes:{category}";

    /// <summary>
    /// Hash of <c>{category}:{remediation}</c> → how this incident counts in that fix's history: <c>a</c> tried by an
    /// action, <c>A</c> worked when an action ran it, <c>c</c> confirmed as the fix by a responder on resolve (an incident
    /// counts once per fix however many of these it has).
    /// </summary>
    public static string FixCredits(string incidentId) => $"{{io}}:incident:{incidentId}:fixes";

    /// <summary>Hash of incident id → <see cref="ConfirmedCase"/> JSON: the causes responders confirmed on resolve.</summary>
    public const string ConfirmedCases = "{io}:cases:confirmed";

    /// <summary>Counter of confirmations recorded (a re-confirmation changes no count of <see cref="ConfirmedCases"/>).</summary>
    public const string ConfirmedCasesVersion = "{io}:cases:confirmed:version";

    /// <summary>Hash of attachment id → <see cref="Attachment"/> metadata JSON (with the extracted text once read).</summary>
    public static string Attachments(string incidentId) => $"{{io}}:incident:{incidentId}:attachments";

    /// <summary>The bytes of one attachment.</summary>
    public static string AttachmentContent(string attachmentId) => $"{{io}}:attachment:{attachmentId}";

    /// <summary>Sorted set of a service's production changes (JSON), scored by time (unix ms).</summary>
    public static string Changes(string service) => $"{{io}}:changes:{service.ToLowerInvariant()}";

    /// <summary>The incident that an alert dedup key (per source) last landed in.</summary>
    public static string Dedup(string source, string dedupKey) => $"{{io}}:dedup:{source}:{dedupKey}";

    /// <summary>The open incident that alerts with this grouping key join.</summary>
    public static string Group(string groupKey) => $"{{io}}:group:{groupKey}";

    /// <summary>Marks a webhook delivery as processed (HA duplicates, retries, SNS MessageId), with a TTL.</summary>
    public static string Delivery(string source, string deliveryId) => $"{{io}}:delivery:{source}:{deliveryId}";

    public static string PhaseField(AgentPhase phase) => phase.ToString().ToLowerInvariant();

    /// <summary>Set of every "service|model" pair the AI layer has called.</summary>
    public const string AiPairs = "{io}:ai:pairs";

    /// <summary>List of the latest routing decisions (JSON, newest first, capped).</summary>
    public const string AiRecentRoutes = "{io}:ai:routes:recent";

    /// <summary>All-time counters of one AI service and model (hash: calls, errors, tokens, cost, ...).</summary>
    public static string AiTotals(string service, string model) => $"{{io}}:ai:usage:{{{service}|{model}}}";

    /// <summary>Held (with a TTL) by the one caller probing a down AI service/model, so concurrent callers do not all probe.</summary>
    public static string AiProbe(string service, string model) => $"{{io}}:ai:probe:{service}|{model}";

    /// <summary>The counters of one minute (unix minutes), kept for two hours: the last-hour and health windows.</summary>
    public static string AiMinute(string service, string model, long minute) => $"{{io}}:ai:usage:{{{service}|{model}}}:m:{minute}";

    /// <summary>The counters of one hour (unix hours: calls, errors, cost), kept 25 hours: the 24-hour chart.</summary>
    public static string AiHour(string service, string model, long hour) => $"{{io}}:ai:usage:{{{service}|{model}}}:h:{hour}";

    /// <summary>The AI configuration the agents worker runs with (JSON, written at its start).</summary>
    public const string AiConfiguration = "{io}:ai:configuration";

    /// <summary>List of the AI calls made for one incident (JSON with the redacted prompt and answer, oldest first, capped).</summary>
    public static string IncidentAiCalls(string incidentId) => $"{{io}}:incident:{incidentId}:ai";

    /// <summary>All-time latency histogram (hash: bucket upper bound in ms → count).</summary>
    public static string AiLatencyHistogram(string service, string model) => $"{{io}}:ai:usage:{{{service}|{model}}}:hist";

    /// <summary>Sorted set of the last hour's latencies (score: unix ms), for exact last-hour percentiles.</summary>
    public static string AiRecentLatency(string service, string model) => $"{{io}}:ai:usage:{{{service}|{model}}}:lat";

    /// <summary>List of what the agents remember about a service's past incidents (JSON, newest first, capped).</summary>
    public static string AiServiceMemory(string service) => $"{{io}}:ai:memory:{service}";
}
