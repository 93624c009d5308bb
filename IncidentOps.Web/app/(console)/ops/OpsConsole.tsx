'use client';

import Link from 'next/link';
import { ConnectionBadge } from '@/components/ConnectionBadge';
import { DrillStarter } from '@/components/DrillStarter';
import { HealthPanel } from '@/components/HealthPanel';
import { IncidentTable } from '@/components/IncidentTable';
import { MetricsPanel } from '@/components/MetricsPanel';
import { ResolvedIncidents } from '@/components/ResolvedIncidents';
import { SiteHeader } from '@/components/SiteHeader';
import { useNow } from '@/hooks/useNow';
import { useOpsStream } from '@/hooks/useOpsStream';
import { useAccess } from '@/hooks/useAccess';
import { formatClock } from '@/lib/format';
import { selectOpenIncidents, selectPendingApprovals, selectRecentlyResolved } from '@/lib/opsState';

export function OpsConsole({ apiUrl, hubUrl }: { apiUrl: string; hubUrl: string }) {
  const access = useAccess();
  const { token } = access;
  const { state, connection, lastError } = useOpsStream(apiUrl, hubUrl, token);
  const now = useNow();
  const open = selectOpenIncidents(state);
  const resolved = selectRecentlyResolved(state);
  const approvals = selectPendingApprovals(state);

  return (
    <div className="console">
      <SiteHeader current="/ops" title="On-call console">
        <span className="topbar__meta mono" title={state.lastEventId ?? undefined}>
          last event {state.lastEventAt ? formatClock(state.lastEventAt) : '—'}
        </span>
        <ConnectionBadge state={connection} />
      </SiteHeader>

      {connection !== 'connected' && (
        <div className={`banner banner--${connection}`} role="alert">
          <strong>{connection === 'reconnecting' ? 'Connection lost.' : 'API unreachable.'}</strong>{' '}
          {state.snapshotLoaded ? 'The data below may be stale. ' : ''}
          Retrying automatically against <span className="mono">{apiUrl}</span>
          {lastError ? <span className="banner__detail"> ({lastError})</span> : null}
        </div>
      )}

      <main className="content">
        <section className="panel panel--padded" aria-labelledby="health-heading">
          <h2 id="health-heading" className="sr-only">System health</h2>
          <HealthPanel apiUrl={apiUrl} token={token} />
          {access.can('respond') && <DrillStarter apiUrl={apiUrl} token={token} />}
        </section>
        <MetricsPanel metrics={state.metrics} />

        <section className="panel" aria-labelledby="open-heading">
          <h2 id="open-heading" className="panel__title">
            Open incidents <span className="count">{open.length}</span>
          </h2>
          {open.length > 0 ? (
            <IncidentTable incidents={open} now={now} />
          ) : (
            <p className="empty" data-testid="no-incidents">
              {state.snapshotLoaded
                ? 'No open incidents. All quiet. Monitoring sends alerts to /api/v1/alerts/alertmanager (or /api/v1/events); a drill shows the agents at work.'
                : 'Waiting for the first snapshot from the API…'}
            </p>
          )}
        </section>

        {approvals.length > 0 && (
          <section className="panel" aria-labelledby="approvals-heading" data-testid="approvals">
            <h2 id="approvals-heading" className="panel__title">
              Awaiting approval <span className="count">{approvals.length}</span>
            </h2>
            <ul className="approvals">
              {approvals.map((a) => (
                <li key={a.id} data-action-id={a.id}>
                  <Link href={`/incidents/${a.incidentId}`}>{a.title}</Link>
                  {a.command && <code className="mono"> {a.command}</code>}
                  <span className="muted"> · {state.incidents[a.incidentId]?.title ?? a.incidentId}</span>
                </li>
              ))}
            </ul>
          </section>
        )}

        {resolved.length > 0 && (
          <section className="panel" aria-labelledby="resolved-heading">
            <h2 id="resolved-heading" className="panel__title">
              Recently resolved <span className="count">{resolved.length}</span>
            </h2>
            <ResolvedIncidents incidents={resolved} />
          </section>
        )}
      </main>
    </div>
  );
}
