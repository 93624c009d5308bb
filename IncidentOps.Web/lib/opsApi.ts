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

const PAGE_SIZE = 1000;
const MAX_OPEN = 10_000;

/**
 * Every open incident, paged from the API (1,000 a page, up to 10,000): the first page's lastEventId is the snapshot's,
 * so events after it re-apply harmlessly to the later pages.
 */
async function loadOpenIncidents(apiUrl: string, signal: AbortSignal, token: string | null): Promise<IncidentListResponse> {
  const items: IncidentListResponse['items'] = [];
  let lastEventId: string | null = null;
  let cursor: string | null = null;
  do {
    const response = await getJson(
      `${apiUrl}/api/v1/incidents?status=open&limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      signal,
      token,
    );
    if (!response.ok) throw new Error(`GET /api/v1/incidents answered ${response.status}`);
    const page = (await response.json()) as IncidentListResponse & { nextCursor?: string | null };
    if (items.length === 0) lastEventId = page.lastEventId ?? null;
    items.push(...(page.items ?? []));
    cursor = page.nextCursor ?? null;
  } while (cursor && items.length < MAX_OPEN);
  return { items, lastEventId };
}

export async function loadSnapshot(apiUrl: string, signal: AbortSignal, token: string | null): Promise<OpsSnapshot> {
  const metricsRequest = getJson(`${apiUrl}/api/v1/metrics`, signal, token).catch(() => null);
  const incidents = await loadOpenIncidents(apiUrl, signal, token);
  const metricsResponse = await metricsRequest;

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
