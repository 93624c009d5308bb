import type { AgentRunView } from '@/lib/incidentApi';

type Row = Record<string, unknown>;
const list = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
const pct = (value: unknown) => (typeof value === 'number' ? `${Math.round(value * 100)}%` : '–');

/** What each agent concluded, in words a responder reads at a glance; the full result stays one click away. */
export function AgentConclusions({ runs }: { runs: AgentRunView[] }) {
  const result = (phase: string) => runs.find((r) => r.phase === phase)?.result as Row | null | undefined;
  const detection = result('detection');
  const diagnosis = result('diagnosis');
  const prediction = result('prediction');
  return (
    <div className="conclusions" data-testid="conclusions">
      {detection && (
        <p>
          <strong>Detection:</strong> {String(detection.summary)} · urgency {pct(detection.urgency)}
          {list(detection.relatedOpenIncidents).length > 0 && ` · related: ${list(detection.relatedOpenIncidents).map((r) => `${r.id} (${r.reason})`).join(', ')}`}
        </p>
      )}
      {diagnosis && (
        <div>
          <strong>Diagnosis:</strong> {String(diagnosis.summary)}
          <ol data-testid="hypotheses">
            {list(diagnosis.hypotheses).map((h) => (
              <li key={String(h.category)}>
                {String(h.cause)} ({pct(h.confidence)}): {(h.evidence as string[]).slice(0, 3).join('; ')}
              </li>
            ))}
          </ol>
          {list(diagnosis.pastFixes).length > 0 && (
            <p className="muted">Worked before: {list(diagnosis.pastFixes).map((f) => `${f.remediation} ${f.worked}/${f.tried}`).join(', ')}</p>
          )}
        </div>
      )}
      {prediction && (
        <p>
          <strong>Prediction:</strong> resolved in ~{String(prediction.expectedMinutesToResolve)} min
          ({String(prediction.intervalLowMinutes)}–{String(prediction.intervalHighMinutes)}), escalation risk {pct(prediction.escalationProbability)}
          {prediction.likelyToBreachSlo ? ' · likely to breach the SLO' : ''}
          {prediction.preventionCandidate ? ' · prevention candidate' : ''}
          <span className="muted"> · {String(prediction.basis)}</span>
        </p>
      )}
    </div>
  );
}
