import Link from 'next/link';
import type { AiRouteRecord } from '@/lib/aiTypes';
import { formatClock } from '@/lib/format';

/** Which model each request went to and why (complexity, budget, fallback), newest first. */
export function RoutingDecisions({ routes }: { routes: AiRouteRecord[] }) {
  if (routes.length === 0) {
    return <p className="empty">No routing decisions yet: the router decides when a model is asked (AI:Provider Bedrock or OpenAI, or a fallback to the local engine).</p>;
  }
  return (
    <ol className="routes" data-testid="routes">
      {routes.map((r, i) => (
        <li key={`${r.at}-${i}`} className="route">
          <span className="mono muted">{formatClock(r.at)}</span>
          <span className="route__model mono">{r.model}</span>
          <span className="route__reason">{r.reason}</span>
          {r.fallbackFrom && <span className="tag tag--warn">fallback from {r.fallbackFrom}</span>}
          {r.incidentId && <Link href={`/transparency/incidents/${r.incidentId}`}>{r.incidentId}</Link>}
        </li>
      ))}
    </ol>
  );
}
