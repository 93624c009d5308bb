import type { IncidentSummary, OpsEvent, Severity } from './types';

/** GET /api/v1/incidents/{id}: the incident with its alerts, agent runs and timeline. */
export interface IncidentDetail {
  incident: IncidentSummary;
  dedupKey: string;
  occurredAt: string;
  alerts: AlertView[];
  agents: AgentRunView[];
  timeline: OpsEvent[];
  actions: ProposedAction[];
  attachments?: AttachmentView[];
}

/** A document attached to the incident, with the text the agents read from it. */
export interface AttachmentView {
  id: string;
  name: string;
  contentType: string;
  size: number;
  addedBy: string;
  addedAt: string;
  text?: string | null;
  engine?: string | null;
  lines?: number | null;
  note?: string | null;
}

export type ActionState = 'awaiting_approval' | 'approved' | 'rejected' | 'running' | 'succeeded' | 'failed' | 'superseded';

/** One step of the resolution plan as a decision: approve / reject, then its executor's outcome. */
export interface ProposedAction {
  id: string;
  order: number;
  title: string;
  kind: 'read_only' | 'approval_required';
  remediation?: string | null;
  command?: string | null;
  source: string;
  executor: string;
  state: ActionState;
  decidedBy?: string | null;
  decisionReason?: string | null;
  outcome?: string | null;
  /** Executions started; above 1 when a worker stopped mid-run and the action was retried (same idempotency key). */
  attempts?: number;
  idempotencyKey?: string;
}

export interface AlertView {
  id: string;
  source: string;
  dedupKey: string;
  status: 'firing' | 'resolved';
  summary: string;
  severity: Severity;
  service: string;
  occurredAt: string;
  lastSeenAt: string;
  occurrences: number;
  labels: Record<string, string>;
  sourceUrl?: string | null;
  groupingReason?: string | null;
}

export interface AgentRunView {
  phase: string;
  state: string;
  progress: number;
  attempt: number;
  error?: string | null;
  result?: Record<string, unknown> | null;
}

export type IncidentCommand = 'acknowledge' | 'mitigate' | 'resolve' | 'close' | 'reopen';

/** Which commands the lifecycle allows from each status (the API answers 409 to the others). */
export const ALLOWED_COMMANDS: Record<IncidentSummary['status'], IncidentCommand[]> = {
  triggered: ['acknowledge', 'mitigate', 'resolve'],
  acknowledged: ['mitigate', 'resolve'],
  mitigated: ['resolve', 'reopen'],
  resolved: ['close', 'reopen'],
  closed: ['reopen'],
};

const bearer = (token: string | null): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});

export async function loadIncident(apiUrl: string, id: string, token: string | null, signal?: AbortSignal): Promise<IncidentDetail | null> {
  const response = await fetch(`${apiUrl}/api/v1/incidents/${encodeURIComponent(id)}`, { cache: 'no-store', signal, headers: bearer(token) });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET /api/v1/incidents/${id} answered ${response.status}`);
  return (await response.json()) as IncidentDetail;
}

/** POSTs a person's decision and why; who is the signed-in person (the API reads it from the token). Null on success, else the API's problem detail. */
async function postDecision(url: string, token: string | null, reason: string, what: string, extra: Record<string, string | null> = {}): Promise<string | null> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...bearer(token) },
    body: JSON.stringify({ reason: reason || null, ...extra }),
  });
  if (response.ok) return null;
  const problem = await response.json().catch(() => null);
  return problem?.detail ?? `${what} failed (${response.status})`;
}

/** The causes and fixes the API accepts on resolve (Core's CauseVocabulary; CauseVocabularyTests keeps them equal). */
export const CAUSES = ['bad_deploy', 'config_error', 'certificate_expiry', 'disk_full', 'memory_leak', 'database_contention', 'network_partition', 'dependency_outage', 'traffic_spike', 'resource_exhaustion'] as const;
export const FIXES = ['rollback', 'revert_config', 'renew_certificate', 'free_disk_space', 'restart', 'kill_blocking_queries', 'reroute_traffic', 'failover', 'scale_out', 'rate_limit'] as const;

/** On resolve: the cause it really had and the fix that worked (empty: not confirmed); they teach the diagnosis. */
export interface Confirmation { cause: string; fix: string }

/** Runs a lifecycle command; resolves to null on success or the API's problem detail. */
export const runCommand = (apiUrl: string, id: string, command: IncidentCommand, token: string | null, reason: string, confirmation?: Confirmation) =>
  postDecision(`${apiUrl}/api/v1/incidents/${encodeURIComponent(id)}/${command}`, token, reason, command,
    command === 'resolve' && confirmation?.cause ? { cause: confirmation.cause, fix: confirmation.fix || null } : {});

/** Approves or rejects an action; resolves to null on success or the API's problem detail. */
export const decideAction = (apiUrl: string, id: string, actionId: string, decision: 'approve' | 'reject', token: string | null, reason: string) =>
  postDecision(`${apiUrl}/api/v1/incidents/${encodeURIComponent(id)}/actions/${encodeURIComponent(actionId)}/${decision}`, token, reason, decision);

/** Uploads a document to the incident; resolves to null on success or the API's problem detail. */
export async function attachDocument(apiUrl: string, id: string, file: File, token: string | null): Promise<string | null> {
  const query = new URLSearchParams({ name: file.name });
  const response = await fetch(`${apiUrl}/api/v1/incidents/${encodeURIComponent(id)}/attachments?${query}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'text/plain', ...bearer(token) },
    body: file,
  });
  if (response.ok) return null;
  const problem = await response.json().catch(() => null);
  return problem?.detail ?? `upload failed (${response.status})`;
}
