/**
 * The IncidentOps API contract (REST + SignalR hub `/hubs/ops`), written once.
 * Mirrors the back end's camelCase JSON exactly.
 */

export type Severity = 'critical' | 'error' | 'warning' | 'info';
export type IncidentStatus = 'triggered' | 'acknowledged' | 'mitigated' | 'resolved' | 'closed';

/** Resolved and closed incidents are done: they leave the open list. */
export const isDone = (status: IncidentStatus): boolean => status === 'resolved' || status === 'closed';
export type AgentPhase = 'detection' | 'diagnosis' | 'prediction' | 'resolution';
export type AgentState = 'pending' | 'initializing' | 'processing' | 'completed' | 'failed';

/** The order the agents run in, and the order the console shows them. */
export const AGENT_PHASES: readonly AgentPhase[] = ['detection', 'diagnosis', 'prediction', 'resolution'];

export interface AgentStatus {
  state: AgentState;
  /** 0..100 */
  progress: number;
  message?: string | null;
}

export interface IncidentSummary {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  service: string;
  alertCount: number;
  detectedAt: string;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
  mitigatedAt?: string | null;
  closedAt?: string | null;
  assignee?: string | null;
  previousIncidentId?: string | null;
  agents: Record<AgentPhase, AgentStatus>;
}

export interface MttrEstimate {
  sampleSize: number;
  meanMinutes: number | null;
  ciLowMinutes: number | null;
  ciHighMinutes: number | null;
  definition: string;
}

export interface MetricsSnapshot {
  incidentsHandled: number;
  incidentsOpen: number;
  mttr: MttrEstimate;
  computedAt: string;
}

/** `GET /api/v1/incidents?status=open` */
export interface IncidentListResponse {
  items: IncidentSummary[];
  /** Newest event id at snapshot time (read before the snapshot, so replaying later events must be harmless). */
  lastEventId: string | null;
}

/** One entry of the event log, as streamed by the hub's `Subscribe(afterId)`. Ids are Redis stream ids `"<ms>-<seq>"`. */
export interface OpsEvent {
  id: string;
  type: string;
  incidentId?: string | null;
  at: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

export interface IncidentEventData {
  incident: IncidentSummary;
}

export interface AgentStateChangedData {
  phase: AgentPhase;
  state: AgentState;
  progress: number;
  message?: string | null;
}

export interface MetricsUpdatedData {
  metrics: MetricsSnapshot;
}

export const INCIDENT_EVENT_TYPES = [
  'incident.opened',
  'incident.updated',
  'incident.acknowledged',
  'incident.mitigated',
  'incident.resolved',
  'incident.closed',
  'incident.reopened',
  'incident.severity_changed',
  'incident.assigned',
  'incident.note_added',
] as const;

/** What the header badge shows: `offline` = not connected and not inside an automatic reconnect. */
export type ConnectionState = 'connected' | 'reconnecting' | 'offline';

/** An action of a resolution plan that waits for a person (the console's approval queue). */
export interface PendingApproval {
  id: string;
  incidentId: string;
  title: string;
  kind: 'read_only' | 'approval_required';
  command?: string | null;
  state: string;
  proposedAt: string;
}
