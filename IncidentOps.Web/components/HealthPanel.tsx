'use client';

import Link from 'next/link';
import { useApiJson } from '@/hooks/useApiJson';
import { describeAiState } from '@/lib/figures';
import type { AiServiceState } from '@/lib/aiTypes';

interface DetailedHealth {
  status: string;
  redis: { reachable: boolean; latencyMs: number | null };
  streams: { name: string; length: number }[];
  consumerGroups: { group: string; stream: string; exists: boolean; consumers: number; pending: number; lag: number | null }[];
  hubConnections: number;
  aiCatalog: { id: string; name: string; state: AiServiceState; reason: string }[];
}

const LIVE_MS = 5_000;
const shortName = (stream: string) => stream.replace('{io}:', '');

/** The system's health from /dashboard/health/detailed, re-read every few seconds. */
export function HealthPanel({ apiUrl, token }: { apiUrl: string; token: () => string | null }) {
  const { data, error, loading } = useApiJson<DetailedHealth>(apiUrl, '/dashboard/health/detailed', token, LIVE_MS);
  if (loading) return <p className="health__line muted" role="status">Reading the system&apos;s health…</p>;
  if (!data) return <p className="health__line error" role="alert">Health unavailable ({error}).</p>;
  const configured = data.aiCatalog.filter((s) => s.state !== 'not_configured' && s.state !== 'unknown');
  return (
    <div className="health" data-testid="health" data-status={data.status}>
      <span className={`tag ${data.redis.reachable ? 'tag--ok' : 'tag--bad'}`}>
        Redis {data.redis.reachable ? `${data.redis.latencyMs?.toFixed(1) ?? '–'} ms` : 'unreachable'}
      </span>
      {data.streams.map((s) => (
        <span key={s.name} className="health__item">
          {shortName(s.name)} <strong>{s.length.toLocaleString()}</strong>
        </span>
      ))}
      {data.consumerGroups.map((g) => (
        <span key={`${g.stream}/${g.group}`} className={`health__item ${g.exists && g.consumers > 0 ? '' : 'health__item--warn'}`} title={shortName(g.stream)}>
          {shortName(g.stream)} · {g.group}: {g.exists ? `${g.consumers} consumer(s), lag ${g.lag ?? '–'}, pending ${g.pending}` : 'no consumer group yet'}
        </span>
      ))}
      <span className="health__item">hub connections <strong>{data.hubConnections}</strong></span>
      <span className="health__item">
        AI:{' '}
        {configured.map((s) => {
          const state = describeAiState(s.state, '', s.reason);
          return (
            <span key={s.id} className={`tag tag--${state.tone}`} title={s.reason}>
              {s.name} {state.label.toLowerCase()}
            </span>
          );
        })}{' '}
        <Link href="/transparency">{data.aiCatalog.length - configured.length} not configured</Link>
      </span>
    </div>
  );
}
