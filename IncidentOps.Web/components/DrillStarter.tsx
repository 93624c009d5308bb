'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { postJson, useApiJson } from '@/hooks/useApiJson';
import type { DrillScenarioCard, DrillStarted } from '@/lib/aiTypes';
import { filterScenarios } from '@/lib/scenarioFilter';

/** How many matching scenarios the picker lists (the corpus has thousands; the filter narrows them). */
const DRILL_OPTIONS = 100;

/**
 * "Start a drill": find a scenario of the corpus by words (id, title, service, description) and pick it from the first
 * matches; it runs as a drill incident (the same path as the gallery's replay).
 */
export function DrillStarter({ apiUrl, token }: { apiUrl: string; token: () => string | null }) {
  const scenarios = useApiJson<{ items: DrillScenarioCard[] }>(apiUrl, '/api/v1/drills/scenarios', token);
  const [scenarioId, setScenarioId] = useState('');
  const [text, setText] = useState('');
  const [started, setStarted] = useState<DrillStarted | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = useMemo(() => scenarios.data?.items ?? [], [scenarios.data]);
  const matches = useMemo(() => filterScenarios(items, { category: '', text }), [items, text]);
  const listed = matches.slice(0, DRILL_OPTIONS);
  // The picked scenario while it is listed, else the first match: what the select shows is what starts.
  const chosen = listed.some((s) => s.id === scenarioId) ? scenarioId : (listed[0]?.id ?? '');

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setStarted(await postJson<DrillStarted>(apiUrl, '/api/v1/drills', { scenarioId: chosen }, token()));
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
      <input
        type="search"
        className="input"
        aria-label="Find a scenario"
        placeholder="find: id, service, words"
        value={text}
        onChange={(e) => setText(e.target.value)}
        disabled={items.length === 0}
        data-testid="drill-find"
      />
      <select id="drill-scenario" className="input" value={chosen} onChange={(e) => setScenarioId(e.target.value)} disabled={listed.length === 0}>
        {items.length === 0 && <option value="">{scenarios.error ? 'scenarios unavailable' : 'loading scenarios…'}</option>}
        {items.length > 0 && listed.length === 0 && <option value="">no scenario matches</option>}
        {listed.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id} · {s.service} · {s.title}
          </option>
        ))}
      </select>
      {items.length > 0 && (
        <span className="muted" data-testid="drill-matches" data-matches={matches.length} data-total={items.length}>
          {matches.length === items.length ? `${items.length} scenarios` : `${matches.length} of ${items.length} match`}
          {matches.length > listed.length ? `, first ${listed.length} listed` : ''}
        </span>
      )}
      <button type="submit" className="button button--small" disabled={busy || !chosen} data-testid="start-drill">
        {busy ? 'Starting…' : 'Start drill'}
      </button>
      {started && (
        <span role="status" data-testid="drill-started" data-drill-incident={started.incidentId}>
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
