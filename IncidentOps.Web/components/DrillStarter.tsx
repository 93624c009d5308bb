'use client';

import Link from 'next/link';
import { useState } from 'react';
import { postJson, useApiJson } from '@/hooks/useApiJson';
import type { DrillScenarioCard, DrillStarted } from '@/lib/aiTypes';

/** "Start a drill": pick a scenario of the corpus; it runs as a drill incident (the same path as the gallery's replay). */
export function DrillStarter({ apiUrl, token }: { apiUrl: string; token: () => string | null }) {
  const scenarios = useApiJson<{ items: DrillScenarioCard[] }>(apiUrl, '/api/v1/drills/scenarios', token);
  const [scenarioId, setScenarioId] = useState('');
  const [started, setStarted] = useState<DrillStarted | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = scenarios.data?.items ?? [];

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setStarted(await postJson<DrillStarted>(apiUrl, '/api/v1/drills', { scenarioId: scenarioId || items[0]?.id }, token()));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="drill"
      aria-label="Start a drill"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <label htmlFor="drill-scenario">Start a drill</label>
      <select id="drill-scenario" className="input" value={scenarioId} onChange={(e) => setScenarioId(e.target.value)} disabled={items.length === 0}>
        {items.length === 0 && <option value="">{scenarios.error ? 'scenarios unavailable' : 'loading scenarios…'}</option>}
        {items.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id} · {s.service} · {s.title}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small" disabled={busy || items.length === 0} data-testid="start-drill">
        {busy ? 'Starting…' : 'Start drill'}
      </button>
      {started && (
        <span role="status" data-testid="drill-started" data-incident-id={started.incidentId}>
          Drill {started.scenarioId} opened <Link href={`/incidents/${started.incidentId}`}>{started.incidentId}</Link>
        </span>
      )}
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </form>
  );
}
