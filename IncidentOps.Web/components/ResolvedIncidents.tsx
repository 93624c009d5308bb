import { elapsedSince, formatClock, formatDuration } from '@/lib/format';
import type { IncidentSummary } from '@/lib/types';
import { AgentStates } from './AgentStates';
import { SeverityTag } from './SeverityTag';

/** Incidents resolved while the console was open; kept briefly so a fast resolution is not a blink. */
export function ResolvedIncidents({ incidents }: { incidents: IncidentSummary[] }) {
  return (
    <ul className="resolved">
      {incidents.map((incident) => {
        const resolvedAt = incident.resolvedAt ? Date.parse(incident.resolvedAt) : NaN;
        return (
          <li key={incident.id} className="resolved__item" data-testid="resolved-incident" data-incident-id={incident.id}>
            <SeverityTag severity={incident.severity} />
            <span className="resolved__title">{incident.title}</span>
            <span className="service">{incident.service}</span>
            <span className="mono muted">
              resolved {formatClock(incident.resolvedAt)}
              {Number.isFinite(resolvedAt) && ` · took ${formatDuration(elapsedSince(incident.detectedAt, resolvedAt))}`}
            </span>
            <AgentStates agents={incident.agents} />
          </li>
        );
      })}
    </ul>
  );
}
