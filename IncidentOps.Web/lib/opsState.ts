import { compareEventIds, isEventId } from './eventId';
import {
  AGENT_PHASES,
  INCIDENT_EVENT_TYPES,
  isDone,
  type AgentPhase,
  type AgentState,
  type AgentStatus,
  type IncidentSummary,
  type MetricsSnapshot,
  type OpsEvent,
  type PendingApproval,
} from './types';

/**
 * The dashboard's state and the pure reducer that moves it. Events carry stream ids, and an
 * event at or before `lastEventId` is dropped, so replays after a reconnect (or events
 * already reflected in the snapshot) never apply twice.
 */
export interface OpsState {
  /** Open incidents plus a few recently resolved ones, by id. */
  incidents: Record<string, IncidentSummary>;
  metrics: MetricsSnapshot | null;
  /** Actions awaiting approval, by action id. */
  approvals: Record<string, PendingApproval>;
  /** False until the first snapshot arrives; lets the page tell "loading" from "nothing open". */
  snapshotLoaded: boolean;
  lastEventId: string | null;
  lastEventAt: string | null;
  /**
   * The id of the last event about each incident (at most `LAST_EVENTS_KEPT`, the least recent dropped first): an
   * incident's page reloads its detail when its own events arrive, not on every event of every incident.
   */
  lastEventIdOf: Record<string, string>;
}

export type OpsAction =
  /** `metrics`: null = not computed yet (404); undefined = could not be read, keep what we show. */
  | { type: 'snapshot'; incidents: IncidentSummary[]; metrics?: MetricsSnapshot | null; approvals?: PendingApproval[]; lastEventId: string | null }
  | { type: 'event'; event: OpsEvent };

/** Resolved incidents stay on screen (in their own section) until this many newer ones push them out. */
export const RESOLVED_KEPT = 8;

/** Incidents whose last event id is remembered (`OpsState.lastEventIdOf`). */
export const LAST_EVENTS_KEPT = 200;

export const initialOpsState: OpsState = {
  incidents: {},
  metrics: null,
  approvals: {},
  snapshotLoaded: false,
  lastEventId: null,
  lastEventAt: null,
  lastEventIdOf: {},
};

const AGENT_STATES: readonly AgentState[] = ['pending', 'initializing', 'processing', 'completed', 'failed'];

export function opsReducer(state: OpsState, action: OpsAction): OpsState {
  switch (action.type) {
    case 'snapshot':
      return applySnapshot(state, action);
    case 'event':
      return applyEvent(state, action.event);
  }
}

function applySnapshot(state: OpsState, snapshot: Extract<OpsAction, { type: 'snapshot' }>): OpsState {
  // The snapshot is the truth for open incidents; keep the recently resolved ones we already show.
  const incidents: Record<string, IncidentSummary> = {};
  for (const incident of Object.values(state.incidents)) {
    if (isDone(incident.status)) incidents[incident.id] = incident;
  }
  for (const incident of snapshot.incidents) incidents[incident.id] = normalizeIncident(incident);
  return {
    ...state,
    incidents: pruneResolved(incidents),
    metrics: snapshot.metrics === undefined ? state.metrics : snapshot.metrics,
    approvals: snapshot.approvals === undefined ? state.approvals : Object.fromEntries(snapshot.approvals.map((a) => [a.id, a])),
    snapshotLoaded: true,
    lastEventId: snapshot.lastEventId,
  };
}

function applyEvent(state: OpsState, event: OpsEvent): OpsState {
  if (!isEventId(event?.id)) return state;
  if (state.lastEventId && compareEventIds(event.id, state.lastEventId) <= 0) return state;

  const data = event.data ?? {};
  const about = event.incidentId ?? data.incidentId ?? data.incident?.id ?? data.action?.incidentId;
  const next: OpsState = {
    ...state,
    lastEventId: event.id,
    lastEventAt: event.at ?? state.lastEventAt,
    lastEventIdOf: typeof about === 'string' ? remember(state.lastEventIdOf, about, event.id) : state.lastEventIdOf,
  };

  if ((INCIDENT_EVENT_TYPES as readonly string[]).includes(event.type)) {
    const incident = data.incident as IncidentSummary | undefined;
    if (!incident?.id) return next;
    // Incident events carry agents: null (agent states travel in their own events), so keep what we have.
    const merged = { ...incident, agents: incident.agents ?? state.incidents[incident.id]?.agents };
    return { ...next, incidents: pruneResolved({ ...state.incidents, [incident.id]: normalizeIncident(merged) }) };
  }

  if (event.type === 'agent.state_changed') {
    const current = typeof about === 'string' ? state.incidents[about] : undefined;
    const phase = data.phase as AgentPhase;
    // An agent update for an incident we never saw has nothing to attach to (its incident.opened event precedes it in the log).
    if (!current || !AGENT_PHASES.includes(phase) || !AGENT_STATES.includes(data.state)) return next;
    const previous = current.agents?.[phase];
    const agentState = data.state as AgentStatus['state'];
    const starting = agentState === 'initializing' || (agentState === 'processing' && !previous?.startedAt);
    const done = agentState === 'completed' || agentState === 'failed';
    const status: AgentStatus = {
      state: agentState,
      progress: clampProgress(data.progress),
      message: data.message ?? null,
      etaSeconds: typeof data.etaSeconds === 'number' ? data.etaSeconds : null,
      // The hub coalesces an agent's changes within a frame to the latest; startedAt then says when that run began.
      startedAt: typeof data.startedAt === 'string' ? data.startedAt : starting ? event.at : (previous?.startedAt ?? event.at),
      finishedAt: done ? event.at : null,
    };
    return {
      ...next,
      incidents: { ...state.incidents, [current.id]: { ...current, agents: { ...current.agents, [phase]: status } } },
    };
  }

  if (event.type === 'metrics.updated') {
    const metrics = data.metrics as MetricsSnapshot | undefined;
    return metrics ? { ...next, metrics } : next;
  }

  if (event.type.startsWith('action.')) {
    // Each action event carries the action as it now is: waiting → listed, anything else → gone.
    const action = data.action as PendingApproval | undefined;
    if (!action?.id) return next;
    const approvals = { ...state.approvals };
    if (action.state === 'awaiting_approval') approvals[action.id] = action;
    else delete approvals[action.id];
    return { ...next, approvals };
  }

  // alert.received and unknown types only move the cursor.
  return next;
}

/** Fills in missing agent phases so the console always shows all four. */
function normalizeIncident(incident: IncidentSummary): IncidentSummary {
  const agents = {} as Record<AgentPhase, AgentStatus>;
  for (const phase of AGENT_PHASES) {
    const status = incident.agents?.[phase];
    agents[phase] = status
      ? { ...status, progress: clampProgress(status.progress) }
      : { state: 'pending', progress: 0, message: null };
  }
  return { ...incident, agents };
}

function clampProgress(progress: unknown): number {
  const value = typeof progress === 'number' && Number.isFinite(progress) ? progress : 0;
  return Math.min(100, Math.max(0, value));
}

function pruneResolved(incidents: Record<string, IncidentSummary>): Record<string, IncidentSummary> {
  const resolved = Object.values(incidents).filter((i) => isDone(i.status));
  if (resolved.length <= RESOLVED_KEPT) return incidents;
  const dropped = resolved.sort(byResolvedDesc).slice(RESOLVED_KEPT);
  const kept = { ...incidents };
  for (const incident of dropped) delete kept[incident.id];
  return kept;
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3 };

function time(value: string | null | undefined): number {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

function byResolvedDesc(a: IncidentSummary, b: IncidentSummary): number {
  return time(b.resolvedAt) - time(a.resolvedAt);
}

/** Open incidents, most severe first, then newest first. */
export function selectOpenIncidents(state: OpsState): IncidentSummary[] {
  return Object.values(state.incidents)
    .filter((i) => !isDone(i.status))
    .sort(
      (a, b) =>
        (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || time(b.detectedAt) - time(a.detectedAt),
    );
}

export function selectRecentlyResolved(state: OpsState): IncidentSummary[] {
  return Object.values(state.incidents)
    .filter((i) => isDone(i.status))
    .sort(byResolvedDesc);
}

/** Changes waiting for a person's approval, oldest first (read-only suggestions stay on their incident's page). */
export function selectPendingApprovals(state: OpsState): PendingApproval[] {
  return Object.values(state.approvals)
    .filter((a) => a.kind === 'approval_required')
    .sort((a, b) => time(a.proposedAt) - time(b.proposedAt));
}

/** The map with `incidentId` → `eventId` as its most recent entry, the least recent dropped past `LAST_EVENTS_KEPT`. */
function remember(map: Record<string, string>, incidentId: string, eventId: string): Record<string, string> {
  const next = { ...map };
  delete next[incidentId];
  next[incidentId] = eventId;
  const ids = Object.keys(next);
  for (let i = 0; i < ids.length - LAST_EVENTS_KEPT; i++) delete next[ids[i]];
  return next;
}
