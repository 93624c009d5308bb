'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { elapsedSince, formatClock, formatDuration } from '@/lib/format';
import { filterIncidents, type IncidentFilter } from '@/lib/incidentFilter';
import type { IncidentSummary } from '@/lib/types';
import { AgentStates } from './AgentStates';
import { SeverityTag, StatusTag } from './SeverityTag';

const PAGE = 50;

/**
 * The open incidents, one row each, with the agent pipeline inline: filtered by status, severity and service, shown
 * 50 at a time (so 10,000 open incidents stay a page of DOM), and driven from the keyboard (↑/↓ or j/k move, Enter opens).
 */
export function IncidentTable({ incidents, now }: { incidents: IncidentSummary[]; now: number }) {
  const router = useRouter();
  const [filter, setFilter] = useState<IncidentFilter>({ status: '', severity: '', service: '' });
  const [page, setPage] = useState(0);
  const body = useRef<HTMLTableSectionElement>(null);
  const filtered = useMemo(() => filterIncidents(incidents, filter), [incidents, filter]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE));
  const current = Math.min(page, pages - 1);
  const shown = filtered.slice(current * PAGE, current * PAGE + PAGE);
  const services = useMemo(() => [...new Set(incidents.map((i) => i.service))].sort(), [incidents]);

  function onKey(e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) {
    const rows = body.current?.querySelectorAll<HTMLTableRowElement>('tr[data-incident-id]');
    if (e.key === 'ArrowDown' || e.key === 'j') rows?.[Math.min(index + 1, shown.length - 1)]?.focus();
    else if (e.key === 'ArrowUp' || e.key === 'k') rows?.[Math.max(index - 1, 0)]?.focus();
    else if (e.key === 'Enter') router.push(`/incidents/${id}`);
    else return;
    e.preventDefault();
  }

  const set = (patch: Partial<IncidentFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(0);
  };

  return (
    <>
      <div className="filters" role="search" aria-label="Filter incidents">
        <label>
          Status
          <select className="input" value={filter.status} onChange={(e) => set({ status: e.target.value })} data-testid="filter-status">
            <option value="">all open</option>
            <option value="triggered">triggered</option>
            <option value="acknowledged">acknowledged</option>
            <option value="mitigated">mitigated</option>
          </select>
        </label>
        <label>
          Severity
          <select className="input" value={filter.severity} onChange={(e) => set({ severity: e.target.value })} data-testid="filter-severity">
            <option value="">any</option>
            <option value="critical">critical</option>
            <option value="error">error</option>
            <option value="warning">warning</option>
            <option value="info">info</option>
          </select>
        </label>
        <label>
          Service
          <input className="input" list="incident-services" value={filter.service} onChange={(e) => set({ service: e.target.value })} placeholder="any" data-testid="filter-service" />
          <datalist id="incident-services">
            {services.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        <span className="muted" aria-live="polite">
          {filtered.length.toLocaleString()} of {incidents.length.toLocaleString()}
        </span>
      </div>
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
          <tbody ref={body}>
            {shown.map((incident, index) => (
              <tr
                key={incident.id}
                className={`incident incident--${incident.severity}`}
                data-testid="incident"
                data-incident-id={incident.id}
                tabIndex={0}
                onKeyDown={(e) => onKey(e, index, incident.id)}
              >
                <td>
                  <SeverityTag severity={incident.severity} />
                </td>
                <td className="incident__main">
                  <Link className="incident__title" href={`/incidents/${incident.id}`} tabIndex={-1}>
                    {incident.title}
                  </Link>
                  <span className="incident__meta">
                    <span className="service">{incident.service}</span>
                    {incident.drill && <span className="tag tag--warn">drill</span>}
                    <span className="mono muted" title={incident.id}>
                      {incident.id}
                    </span>
                  </span>
                </td>
                <td>
                  <StatusTag status={incident.status} />
                  {incident.acknowledgedAt && <span className="cell-note">ack {formatClock(incident.acknowledgedAt)}</span>}
                </td>
                <td className="num mono">{incident.alertCount}</td>
                <td>
                  <span className="mono">{formatClock(incident.detectedAt)}</span>
                  <span className="cell-note">open {formatDuration(elapsedSince(incident.detectedAt, now))}</span>
                </td>
                <td className="incident__agents">
                  <AgentStates agents={incident.agents} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav className="pager" aria-label="Incident pages">
          <button type="button" className="button--quiet" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </button>
          <span>
            page {current + 1} of {pages}
          </span>
          <button type="button" className="button--quiet" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </button>
        </nav>
      )}
    </>
  );
}
