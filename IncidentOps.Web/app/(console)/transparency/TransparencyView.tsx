'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { AiServiceTable } from '@/components/AiServiceTable';
import { DataState } from '@/components/DataState';
import { RoutingDecisions } from '@/components/RoutingDecisions';
import { ScenarioGallery } from '@/components/ScenarioGallery';
import { SiteHeader } from '@/components/SiteHeader';
import { AiUsageChart } from '@/components/charts/AiUsageChart';
import { useAccess } from '@/hooks/useAccess';
import { useApiJson } from '@/hooks/useApiJson';
import type { AiHourPoint, AiServicesReport, DrillScenarioCard } from '@/lib/aiTypes';
import { formatCount, formatUsd } from '@/lib/figures';
import { formatClock } from '@/lib/format';

const LIVE_MS = 5_000;

/** The 24 hourly points of every service added up. */
function totalHours(report: AiServicesReport): AiHourPoint[] {
  const first = report.catalog[0]?.last24Hours ?? [];
  return first.map((h, i) => ({
    hour: h.hour,
    calls: report.catalog.reduce((a, s) => a + (s.last24Hours[i]?.calls ?? 0), 0),
    errors: report.catalog.reduce((a, s) => a + (s.last24Hours[i]?.errors ?? 0), 0),
    costUsd: report.catalog.reduce((a, s) => a + (s.last24Hours[i]?.costUsd ?? 0), 0),
  }));
}

export function TransparencyView({ apiUrl }: { apiUrl: string }) {
  const access = useAccess();
  const router = useRouter();
  const report = useApiJson<AiServicesReport>(apiUrl, '/api/v1/ai/services', access.token, LIVE_MS);
  const scenarios = useApiJson<{ items: DrillScenarioCard[] }>(apiUrl, '/api/v1/drills/scenarios', access.token);
  const [incidentId, setIncidentId] = useState('');
  const data = report.data;

  return (
    <div className="console">
      <SiteHeader current="/transparency" title="Which AI did what, and what it cost">
        {data && <span className="topbar__meta mono">updated {formatClock(data.at)}</span>}
      </SiteHeader>
      <main className="content">
        <section className="panel" aria-labelledby="services-heading">
          <h2 id="services-heading" className="panel__title">
            AI services
            {data?.provider && (
              <span className="muted panel__aside" data-testid="provider">
                provider: {data.provider} ({data.providerReason})
              </span>
            )}
          </h2>
          <DataState loading={report.loading} error={report.error} empty={!data} emptyText="No AI figures yet." height={300}>
            {data && (
              <>
                <div className="totals" data-testid="ai-totals">
                  <span>
                    Last hour: <strong>{formatCount(data.lastHour.calls)}</strong> calls, <strong>{formatUsd(data.lastHour.costUsd)}</strong>
                  </span>
                  <span>
                    In total: <strong data-testid="total-calls">{formatCount(data.allTime.calls)}</strong> calls, {formatCount(data.allTime.errors)} errors,{' '}
                    <strong data-testid="total-cost">{formatUsd(data.allTime.costUsd)}</strong>
                  </span>
                </div>
                <AiServiceTable services={data.catalog} />
              </>
            )}
          </DataState>
        </section>

        <div className="grid-2">
          <section className="panel panel--padded" aria-labelledby="usage-heading">
            <h2 id="usage-heading" className="panel__heading">Calls and cost, last 24 hours</h2>
            {data && data.catalog.length > 0 ? <AiUsageChart hours={totalHours(data)} /> : <p className="empty">No calls recorded yet.</p>}
          </section>
          <section className="panel panel--padded" aria-labelledby="routes-heading">
            <h2 id="routes-heading" className="panel__heading">Routing decisions (live)</h2>
            <RoutingDecisions routes={data?.recentRoutes ?? []} />
          </section>
        </div>

        <section className="panel panel--padded" aria-labelledby="incident-heading">
          <h2 id="incident-heading" className="panel__heading">How was an incident concluded?</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (incidentId.trim()) router.push(`/transparency/incidents/${encodeURIComponent(incidentId.trim())}`);
            }}
          >
            <label htmlFor="incident-id">Incident id</label>
            <input id="incident-id" className="input mono" placeholder="inc_…" value={incidentId} onChange={(e) => setIncidentId(e.target.value)} />
            <button type="submit" className="button button--small">
              Show its AI calls
            </button>
          </form>
          <p className="muted">Every incident page links here too (&ldquo;How was this concluded?&rdquo;).</p>
        </section>

        <section className="panel panel--padded" aria-labelledby="gallery-heading">
          <h2 id="gallery-heading" className="panel__heading">Cached scenarios</h2>
          <p className="muted">
            Incidents written as data (the scenario corpus). Replaying one sends its alerts through the live system as a drill: a real incident the agents
            work, marked as a drill and left out of the business figures.{access.can('respond') ? '' : ' Replaying needs the responder role.'}
          </p>
          <DataState
            loading={scenarios.loading}
            error={scenarios.error}
            empty={(scenarios.data?.items.length ?? 0) === 0}
            emptyText="No scenarios are shipped with this API."
          >
            <ScenarioGallery apiUrl={apiUrl} scenarios={scenarios.data?.items ?? []} canReplay={access.can('respond')} token={access.token} />
          </DataState>
        </section>
        {data && <p className="muted footnote">{data.definitions}</p>}
      </main>
    </div>
  );
}
