'use client';

import Link from 'next/link';
import { DataState } from '@/components/DataState';
import { SiteHeader } from '@/components/SiteHeader';
import { useAccess } from '@/hooks/useAccess';
import { useApiJson } from '@/hooks/useApiJson';
import type { IncidentAiCalls } from '@/lib/aiTypes';
import { formatCount, formatLatency, formatUsd, sumCost } from '@/lib/figures';
import { formatClock } from '@/lib/format';
import type { IncidentDetail } from '@/lib/incidentApi';

const LIVE_MS = 5_000;

type Hypothesis = { category: string; cause: string; confidence: number; evidence: string[] };

/** Every AI call the agents made for one incident, the total cost of its analysis, and the evidence behind each hypothesis. */
export function IncidentAiTimeline({ apiUrl, id }: { apiUrl: string; id: string }) {
  const { token } = useAccess();
  const calls = useApiJson<IncidentAiCalls>(apiUrl, `/api/v1/ai/incidents/${encodeURIComponent(id)}/calls`, token, LIVE_MS);
  const incident = useApiJson<IncidentDetail>(apiUrl, `/api/v1/incidents/${encodeURIComponent(id)}`, token, LIVE_MS);
  const diagnosis = incident.data?.agents.find((a) => a.phase === 'diagnosis')?.result as { hypotheses?: Hypothesis[]; summary?: string } | undefined;
  const data = calls.data;

  return (
    <div className="console">
      <SiteHeader current="/transparency" title="How was this concluded?" />
      <main className="content">
        <p>
          <Link href={`/incidents/${id}`}>← Incident {incident.data?.incident.title ?? id}</Link> · <Link href="/transparency">All AI services</Link>
          {incident.data?.incident.drill && <span className="tag tag--warn"> drill</span>}
        </p>

        <section className="panel" aria-labelledby="calls-heading">
          <h2 id="calls-heading" className="panel__title">
            AI calls <span className="count">{data?.count ?? 0}</span>
            {data && (
              <span className="panel__aside">
                total cost of the analysis <strong data-testid="incident-ai-total">{formatUsd(data.totalCostUsd)}</strong> · tokens {formatCount(data.inputTokens)} in /{' '}
                {formatCount(data.outputTokens)} out
              </span>
            )}
          </h2>
          <DataState
            loading={calls.loading}
            error={calls.error}
            empty={!data || data.count === 0}
            emptyText={calls.error ? `Could not read the calls (${calls.error}).` : 'No AI calls recorded for this incident yet: the agents start within a second of the first alert.'}
          >
            {data && (
              <div className="table-wrap">
                <table className="data-table" data-testid="incident-ai-calls" data-total={data.totalCostUsd} data-sum={sumCost(data.calls.map((c) => c.call.costUsd))}>
                  <caption className="sr-only">Every AI call of this incident, oldest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Phase</th>
                      <th scope="col">Service · model</th>
                      <th scope="col" className="num">Tokens</th>
                      <th scope="col" className="num">Latency</th>
                      <th scope="col" className="num">Cost</th>
                      <th scope="col">Guardrail</th>
                      <th scope="col">What it contributed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.calls.map((c, i) => (
                      <tr key={i} data-testid="ai-call" data-cost={c.call.costUsd} className={c.call.succeeded ? undefined : 'row--failed'}>
                        <td className="mono">{formatClock(c.call.at)}</td>
                        <td>{c.call.phase ?? '—'}</td>
                        <td>
                          <span className="cell-strong">{c.call.service}</span> <span className="mono">{c.call.model}</span>
                          <span className="cell-note">{c.call.operation}{c.call.routeReason ? ` · ${c.call.routeReason}` : ''}</span>
                        </td>
                        <td className="num">
                          {formatCount(c.call.inputTokens)} / {formatCount(c.call.outputTokens)}
                        </td>
                        <td className="num">{formatLatency(c.call.latencyMs)}</td>
                        <td className="num">{formatUsd(c.call.costUsd)}</td>
                        <td>{c.guardrail ?? '—'}</td>
                        <td>
                          {c.contribution}
                          {(c.prompt || c.answer) && (
                            <details className="call__detail">
                              <summary>Prompt and answer (redacted)</summary>
                              {c.prompt && <pre className="mono">{c.prompt}</pre>}
                              {c.answer && <pre className="mono">{c.answer}</pre>}
                            </details>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </DataState>
        </section>

        <section className="panel panel--padded" aria-labelledby="evidence-heading">
          <h2 id="evidence-heading" className="panel__heading">The hypotheses and their evidence</h2>
          {diagnosis?.hypotheses && diagnosis.hypotheses.length > 0 ? (
            <ol className="evidence" data-testid="evidence">
              {diagnosis.hypotheses.map((h) => (
                <li key={h.category}>
                  <strong>{h.cause}</strong> <span className="muted">({Math.round(h.confidence * 100)}% · {h.category.replaceAll('_', ' ')})</span>
                  <ul>
                    {h.evidence.map((e, i) => (
                      <li key={i}>{e}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">{incident.data ? 'The diagnosis has not concluded yet.' : 'Loading the incident…'}</p>
          )}
          {data && <p className="muted footnote">{data.definition}</p>}
        </section>
      </main>
    </div>
  );
}
