'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { postJson } from '@/hooks/useApiJson';
import type { DrillScenarioCard, DrillStarted } from '@/lib/aiTypes';
import { SCENARIO_PAGE, filterScenarios, scenarioCategories } from '@/lib/scenarioFilter';

/**
 * The scenario corpus as cards, filtered by category and words and shown a page at a time (thousands of cards at once
 * made the page too heavy to render); "Replay" (responder and above) runs one through the live system as a drill.
 */
export function ScenarioGallery({
  apiUrl,
  scenarios,
  canReplay,
  token,
}: {
  apiUrl: string;
  scenarios: DrillScenarioCard[];
  canReplay: boolean;
  token: () => string | null;
}) {
  const [started, setStarted] = useState<Record<string, DrillStarted>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const [shown, setShown] = useState(SCENARIO_PAGE);
  const categories = useMemo(() => scenarioCategories(scenarios), [scenarios]);
  const matching = useMemo(() => filterScenarios(scenarios, { category, text }), [scenarios, category, text]);
  const visible = matching.slice(0, shown);
  // A changed filter starts again from the first page.
  const refilter = (set: (value: string) => void, value: string) => {
    set(value);
    setShown(SCENARIO_PAGE);
  };

  async function replay(id: string) {
    setBusy(id);
    setError(null);
    try {
      const drill = await postJson<DrillStarted>(apiUrl, '/api/v1/drills', { scenarioId: id }, token());
      setStarted((s) => ({ ...s, [id]: drill }));
    } catch (e) {
      setError(`Replay of ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {error && (
        <p className="state__stale" role="alert">
          {error}
        </p>
      )}
      <div className="inline-form" role="search">
        <label htmlFor="scenario-category">Category</label>
        <select
          id="scenario-category"
          className="input"
          value={category}
          onChange={(e) => refilter(setCategory, e.target.value)}
        >
          <option value="">any ({scenarios.length})</option>
          {categories.map((c) => (
            <option key={c.category} value={c.category}>
              {c.category.replaceAll('_', ' ')} ({c.count})
            </option>
          ))}
        </select>
        <label htmlFor="scenario-text">Words</label>
        <input
          id="scenario-text"
          className="input"
          placeholder="service, id, symptom…"
          value={text}
          onChange={(e) => refilter(setText, e.target.value)}
        />
        <span className="muted" data-testid="scenario-count" data-shown={visible.length} data-matching={matching.length}>
          {visible.length} of {matching.length} shown{matching.length !== scenarios.length ? ` (${scenarios.length} in all)` : ''}
        </span>
      </div>
      <ul className="gallery" data-testid="scenario-gallery">
        {visible.map((s) => (
          <li key={s.id} className={`scenario incident--${s.severity}`} data-scenario-id={s.id} data-category={s.category}>
            <div className="scenario__head">
              <span className={`tag severity--${s.severity}`}>{s.severity}</span>
              <span className="service">{s.service}</span>
              <span className="muted mono">{s.id}</span>
            </div>
            <p className="scenario__title">{s.title}</p>
            <p className="scenario__text">{s.description}</p>
            <p className="cell-note cell-note--wrap">
              {s.alertCount} alert(s), {s.changeCount} recent change(s) · known answer: {s.category.replaceAll('_', ' ')}, first fix {s.knownRemediation.replaceAll('_', ' ')}
            </p>
            {started[s.id] ? (
              <p className="scenario__started" role="status">
                Drill running: <Link href={`/incidents/${started[s.id].incidentId}`}>incident</Link> ·{' '}
                <Link href={`/transparency/incidents/${started[s.id].incidentId}`} data-testid="drill-timeline-link">
                  its AI calls
                </Link>
              </p>
            ) : (
              canReplay && (
                <button type="button" className="button button--small" disabled={busy !== null} onClick={() => void replay(s.id)}>
                  {busy === s.id ? 'Starting…' : 'Replay as a drill'}
                </button>
              )
            )}
          </li>
        ))}
      </ul>
      {matching.length > visible.length && (
        <button type="button" className="button button--small" data-testid="scenario-more" onClick={() => setShown((n) => n + SCENARIO_PAGE)}>
          Show {Math.min(SCENARIO_PAGE, matching.length - visible.length)} more
        </button>
      )}
    </>
  );
}
