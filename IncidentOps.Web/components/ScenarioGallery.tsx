'use client';

import Link from 'next/link';
import { useState } from 'react';
import { postJson } from '@/hooks/useApiJson';
import type { DrillScenarioCard, DrillStarted } from '@/lib/aiTypes';

/** The scenario corpus as cards; "Replay" (responder and above) runs one through the live system as a drill. */
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
      <ul className="gallery" data-testid="scenario-gallery">
        {scenarios.map((s) => (
          <li key={s.id} className={`scenario incident--${s.severity}`} data-scenario-id={s.id}>
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
    </>
  );
}
