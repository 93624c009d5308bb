/** The AI transparency and drills half of the API contract (`/api/v1/ai/*`, `/api/v1/drills*`), written once. */

export type AiServiceState = 'healthy' | 'degraded' | 'down' | 'not_configured' | 'unknown';

export interface AiUsageFigures {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  fallbacks: number;
}

export interface AiHourPoint {
  hour: string;
  calls: number;
  errors: number;
  costUsd: number;
}

/** One AI service of the system, configured or not (`catalog` of `GET /api/v1/ai/services`). */
export interface AiCatalogStatus {
  id: string;
  name: string;
  service: string;
  model: string | null;
  state: AiServiceState;
  stateReason: string;
  setting: string;
  lastHour: AiUsageFigures;
  allTime: AiUsageFigures;
  last24Hours: AiHourPoint[];
}

export interface AiRouteRecord {
  service: string;
  model: string;
  operation: string;
  incidentId: string | null;
  reason: string;
  fallbackFrom: string | null;
  at: string;
}

export interface AiServicesReport {
  at: string;
  lastHour: AiUsageFigures;
  allTime: AiUsageFigures;
  catalog: AiCatalogStatus[];
  recentRoutes: AiRouteRecord[];
  provider: string | null;
  providerReason: string | null;
  definitions: string;
}

export interface AiCall {
  service: string;
  model: string;
  operation: string;
  incidentId: string | null;
  phase: string | null;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  costUsd: number;
  succeeded: boolean;
  error: string | null;
  routeReason: string | null;
  fallbackFrom: string | null;
  at: string;
}

export interface IncidentAiCall {
  call: AiCall;
  contribution: string;
  prompt: string | null;
  answer: string | null;
  guardrail: string | null;
}

/** `GET /api/v1/ai/incidents/{id}/calls` */
export interface IncidentAiCalls {
  incidentId: string;
  calls: IncidentAiCall[];
  count: number;
  inputTokens: number;
  outputTokens: number;
  totalCostUsd: number;
  definition: string;
}

export interface DrillScenarioCard {
  id: string;
  title: string;
  description: string;
  service: string;
  category: string;
  knownRemediation: string;
  severity: string;
  alertCount: number;
  changeCount: number;
}

export interface DrillStarted {
  drillId: string;
  scenarioId: string;
  incidentId: string;
  alerts: number;
  changes: number;
}
