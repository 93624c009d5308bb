import Link from 'next/link';
import { elapsedSince, formatClock, formatDuration } from '@/lib/format';
import type { IncidentSummary } from '@/lib/types';
import { AgentStates } from './AgentStates';
import { SeverityTag, StatusTag } from './SeverityTag';

/** The open incidents, one row each, with the agent pipeline inline. */
export function IncidentTable({ incidents, now }: { incidents: IncidentSummary[]; now: number }) {
  return (
    <div className="table-wrap">
      <table className="incidents">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Incident</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Alerts</th>
            <th scope="col">Detected</th>
            <th scope="col">Agents</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident) => (
            <tr
              key={incident.id}
              className={`incident incident--${incident.severity}`}
              data-testid="incident"
              data-incident-id={incident.id}
            >
              <td>
                <SeverityTag severity={incident.severity} />
              </td>
              <td className="incident__main">
                <Link className="incident__title" href={`/incidents/${incident.id}`}>{incident.title}</Link>
                <span className="incident__meta">
                  <span className="service">{incident.service}</span>
                  <span className="mono muted" title={incident.id}>
                    {incident.id}
                  </span>
                </span>
              </td>
              <td>
                <StatusTag status={incident.status} />
                {incident.acknowledgedAt && (
                  <span className="cell-note">ack {formatClock(incident.acknowledgedAt)}</span>
                )}
              </td>
              <td className="num mono">{incident.alertCount}</td>
              <td>
                <span className="mono">{formatClock(incident.detectedAt)}</span>
                <span className="cell-note">open {formatDuration(elapsedSince(incident.detectedAt, now))}</span>
              </td>
              <td className="incident__agents">
                <AgentStates agents={incident.agents} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
