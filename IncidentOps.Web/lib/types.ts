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
  /** Seconds the phase still expects to need (from its recent runs), while it works. */
  etaSeconds?: number | null;
  startedAt?: string | null;
  finishedAt?: string | null;
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
  /** A drill (a replayed scenario): worked like any incident, left out of the business figures. */
  drill?: boolean;
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
  /** The last 7 days' business figures; in `metrics.updated` without the survival curve (the API serves it). */
  business?: BusinessMetrics | null;
}

export interface Interval {
  low: number | null;
  high: number | null;
}

/** A duration in minutes (MTTR, MTTA, MTTD) with its estimators; null where the sample is too small. */
export interface DurationFigure {
  definition: string;
  sampleSize: number;
  rejectedClockSkew: number;
  meanMinutes: number | null;
  tInterval: Interval;
  bootstrap: Interval & { resamples: number; seed: number; method: string };
  medianMinutes: number | null;
  medianInterval: Interval & { coverage: number | null };
  p90Minutes: number | null;
}

export interface SurvivalPoint {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  survival: number;
  standardError: number | null;
  low: number | null;
  high: number | null;
}

export interface RateFigure {
  definition: string;
  formula: string;
  numerator: number;
  denominator: number;
  value: number | null;
  interval: Interval;
}

export interface SavingsLine {
  definition: string;
  amount: number | null;
  arithmetic: string | null;
  /** Configuration keys this line needs and does not have. */
  missing: string[];
}

/** `GET /api/v1/metrics/business?window=7d|30d&service=&severity=` */
export interface BusinessMetrics {
  window: { name: string; from: string; to: string };
  service: string | null;
  severity: Severity | null;
  mttr: DurationFigure;
  mtta: DurationFigure;
  mttd: DurationFigure;
  timeToResolve: {
    definition: string;
    sampleSize: number;
    resolved: number;
    censored: number;
    medianMinutes: number | null;
    medianInterval: Interval;
    curve: SurvivalPoint[];
  };
  trends: {
    definition: string;
    daily: { day: string; incidents: number; resolved: number; mttrMinutes: number | null; severity: Record<string, number> }[];
    change: {
      incidents: number;
      previousIncidents: number;
      incidentsChangePercent: number | null;
      incidentsPValue: number | null;
      incidentsDistinguishable: boolean;
      resolved: number;
      previousResolved: number;
      medianMttrMinutes: number | null;
      previousMedianMttrMinutes: number | null;
      mttrChangePercent: number | null;
      mttrPValue: number | null;
      mttrDistinguishable: boolean;
      severityShare: Record<string, number>;
      previousSeverityShare: Record<string, number>;
      summary: string;
    };
  };
  incidentsHandled: { definition: string; count: number };
  incidentsPrevented: { definition: string; count: number };
  costSavings: {
    status: 'configured' | 'partly configured' | 'not configured';
    currency: string | null;
    prevention: SavingsLine;
    fasterResolution: SavingsLine;
    total: number | null;
    assumptions: {
      costPerMinute: Record<string, number>;
      responderHourlyCost: number | null;
      baselineMttrMinutes: Record<string, number>;
    };
  };
  efficiency: RateFigure;
  successRate: RateFigure;
  dataQuality: {
    sampleSize: number;
    resolved: number;
    open: number;
    completeTimestamps: number;
    completeShare: number | null;
    rejectedClockSkew: number;
    confidence: 'low' | 'medium' | 'high';
    summary: string;
    definition: string;
  };
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
