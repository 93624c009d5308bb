'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { DataState } from '@/components/DataState';
import { SiteHeader } from '@/components/SiteHeader';
import { DailySeverityChart } from '@/components/charts/DailySeverityChart';
import { MttrChart } from '@/components/charts/MttrChart';
import { SurvivalChart } from '@/components/charts/SurvivalChart';
import { TopServicesChart } from '@/components/charts/TopServicesChart';
import { useAccess } from '@/hooks/useAccess';
import { useApiJson } from '@/hooks/useApiJson';
import { type DemoData, topServicesByMinutes } from '@/lib/demoData';
import { formatDateTime } from '@/lib/format';
import type { BusinessMetrics, IncidentListResponse } from '@/lib/types';
import { HeadlineCards } from './HeadlineCards';

const REFRESH_MS = 30_000;

/** The live figures: the 7- and 30-day business figures, and the last 30 days' incidents for the services chart. */
function useLiveData(apiUrl: string, enabled: boolean, token: () => string | null) {
  const from = useMemo(() => new Date(Date.now() - 30 * 86_400_000).toISOString(), []);
  const week = useApiJson<BusinessMetrics>(apiUrl, enabled ? '/api/v1/metrics/business?window=7d' : null, token, REFRESH_MS);
  const month = useApiJson<BusinessMetrics>(apiUrl, enabled ? '/api/v1/metrics/business?window=30d' : null, token, REFRESH_MS);
  const incidents = useApiJson<IncidentListResponse>(apiUrl, enabled ? `/api/v1/incidents?status=all&limit=1000&from=${encodeURIComponent(from)}` : null, token, REFRESH_MS);
  const data: DemoData | null =
    week.data && month.data
      ? {
          source: 'live',
          at: week.data.computedAt,
          provenance: null,
          week: week.data,
          month: month.data,
          topServices: topServicesByMinutes(
            incidents.data?.items ?? [],
            Date.now(),
            6,
            new Set((incidents.data?.items ?? []).flatMap((i, n) => (i.drill ? [n] : []))),
          ),
        }
      : null;
  return { data, loading: week.loading || month.loading, error: week.error ?? month.error ?? incidents.error };
}

/** The build-time snapshot (public/demo-snapshot.json): no API, so the page works offline or from static hosting. */
function useSnapshot(enabled: boolean) {
  const [state, setState] = useState<{ data: DemoData | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: enabled });
  useEffect(() => {
    if (!enabled) return;
    fetch('/demo-snapshot.json', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<DemoData>) : Promise.reject(new Error(`${r.status}`))))
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((e: unknown) => setState({ data: null, error: `the snapshot could not be read (${String(e)})`, loading: false }));
  }, [enabled]);
  return state;
}

export function DemoView({ apiUrl, source }: { apiUrl: string; source: 'live' | 'snapshot' }) {
  const { token } = useAccess();
  const live = useLiveData(apiUrl, source === 'live', token);
  const snapshot = useSnapshot(source === 'snapshot');
  const { data, loading, error } = source === 'live' ? live : snapshot;

  return (
    <div className="console">
      <SiteHeader current="/demo" title="Executive view" />
      <div className={`banner banner--source banner--${source}`} role="status" data-testid="data-source">
        {source === 'live' ? (
          <>
            <strong>Live data</strong> from this system{data ? `, computed ${formatDateTime(data.at)}` : ''}; drills are left out.{' '}
            <Link href="/demo?source=snapshot">Show the demo snapshot</Link>
          </>
        ) : (
          <>
            <strong>Demo snapshot</strong>, not live data{data ? `: generated ${formatDateTime(data.at)}` : ''}
            {data?.provenance ? ` (${data.provenance})` : ''}. <Link href="/demo">Show live data</Link>
          </>
        )}
      </div>
      <main className="content">
        <DataState
          loading={loading}
          error={error}
          empty={!data}
          height={320}
          emptyText="No figures yet: the metrics worker computes them once incidents arrive."
        >
          {data && <DemoBody data={data} />}
        </DataState>
      </main>
    </div>
  );
}

function DemoBody({ data }: { data: DemoData }) {
  const { week, month } = data;
  const daily = month.trends.daily.length > 0 ? month.trends.daily : week.trends.daily;
  const empty = week.dataQuality.sampleSize === 0 && month.dataQuality.sampleSize === 0;
  return (
    <>
      {empty && (
        <section className="panel panel--padded" data-testid="demo-empty">
          <h2 className="panel__heading">No incidents in the last 30 days</h2>
          <p className="muted">
            Send the first alert (see the README: <code className="mono">POST /api/v1/events</code> with the events token, or point
            Alertmanager at <code className="mono">/api/v1/alerts/alertmanager</code>), or start a drill from <Link href="/ops">/ops</Link>. The figures
            appear here as incidents are resolved.
          </p>
        </section>
      )}
      <HeadlineCards week={week} month={month} />
      <div className="grid-2">
        <section className="panel panel--padded" aria-labelledby="daily-heading">
          <h2 id="daily-heading" className="panel__heading">Incidents per day, by severity</h2>
          <DailySeverityChart daily={daily} />
        </section>
        <section className="panel panel--padded" aria-labelledby="mttr-heading">
          <h2 id="mttr-heading" className="panel__heading">Time to resolve per day</h2>
          <MttrChart daily={daily} interval={month.mttr.tInterval} />
        </section>
        <section className="panel panel--padded" aria-labelledby="km-heading">
          <h2 id="km-heading" className="panel__heading">Time to resolve, Kaplan–Meier (30 days)</h2>
          {month.timeToResolve.curve.length > 0 ? (
            <SurvivalChart curve={month.timeToResolve.curve} />
          ) : (
            <p className="empty">No resolved incidents in the last 30 days yet.</p>
          )}
        </section>
        <section className="panel panel--padded" aria-labelledby="services-heading">
          <h2 id="services-heading" className="panel__heading">Top services by incident minutes (30 days)</h2>
          {data.topServices.length > 0 ? <TopServicesChart services={data.topServices} /> : <p className="empty">No incidents in the last 30 days.</p>}
        </section>
      </div>
      <p className="muted footnote">{week.dataQuality.summary}. Definitions are in each card&apos;s details; every figure is computed by the API from the incident history.</p>
    </>
  );
}
