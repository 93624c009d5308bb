import type { IncidentListResponse, MetricsSnapshot, PendingApproval } from './types';

/** The REST half of the contract: the snapshot the live stream continues from. */
export interface OpsSnapshot extends IncidentListResponse {
  /** null when the API has not computed metrics yet (404); undefined when they could not be read. */
  metrics: MetricsSnapshot | null | undefined;
  /** Actions waiting for a person; undefined when they could not be read. */
  approvals: PendingApproval[] | undefined;
}

const REQUEST_TIMEOUT_MS = 10_000;

async function getJson(url: string, signal: AbortSignal, token: string | null): Promise<Response> {
  // The person's access token; a hung API must not hang the retry loop.
  return fetch(url, {
    cache: 'no-store',
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

export async function loadSnapshot(apiUrl: string, signal: AbortSignal, token: string | null): Promise<OpsSnapshot> {
  const [incidentsResponse, metricsResponse] = await Promise.all([
    getJson(`${apiUrl}/api/v1/incidents?status=open`, signal, token),
    getJson(`${apiUrl}/api/v1/metrics`, signal, token).catch(() => null),
  ]);
  if (!incidentsResponse.ok) {
    throw new Error(`GET /api/v1/incidents answered ${incidentsResponse.status}`);
  }
  const incidents = (await incidentsResponse.json()) as IncidentListResponse;

  // Read after the incidents: events after their lastEventId re-apply to it harmlessly (each sets an action's state).
  const approvalsResponse = await getJson(`${apiUrl}/api/v1/actions/awaiting-approval`, signal, token).catch(() => null);
  const approvals = approvalsResponse?.ok
    ? ((await approvalsResponse.json().catch(() => null)) as { items: PendingApproval[] } | null)?.items
    : undefined;

  // Metrics are secondary: a failure there must not keep the incident list from loading.
  let metrics: MetricsSnapshot | null | undefined;
  if (metricsResponse?.status === 404) metrics = null;
  else if (metricsResponse?.ok) metrics = (await metricsResponse.json().catch(() => undefined)) as MetricsSnapshot | undefined;

  return { items: incidents.items ?? [], lastEventId: incidents.lastEventId ?? null, metrics, approvals };
}
