'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { ConnectionBadge } from '@/components/ConnectionBadge';
import { SeverityTag, StatusTag } from '@/components/SeverityTag';
import { AgentStates } from '@/components/AgentStates';
import { AgentConclusions } from '@/components/AgentConclusions';
import { ProposedActions } from '@/components/ProposedActions';
import { useOpsStream } from '@/hooks/useOpsStream';
import { useAccess } from '@/hooks/useAccess';
import { formatClock } from '@/lib/format';
import { ALLOWED_COMMANDS, CAUSES, FIXES, attachDocument, decideAction, loadIncident, runCommand, type Confirmation, type IncidentCommand, type IncidentDetail, type ProposedAction } from '@/lib/incidentApi';

/** One incident: what fired, why alerts were grouped, what the agents concluded, the timeline, and the lifecycle commands. */
export function IncidentView({ apiUrl, hubUrl, id }: { apiUrl: string; hubUrl: string; id: string }) {
  const access = useAccess();
  const { token } = access;
  const { state, connection } = useOpsStream(apiUrl, hubUrl, token);
  const [detail, setDetail] = useState<IncidentDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  // What the responder confirms on resolve, prefilled with the diagnosis' first cause and the plan's first fix (null: not touched yet).
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  const refresh = useCallback(() => {
    loadIncident(apiUrl, id, token()).then(setDetail, (e: Error) => setError(e.message));
  }, [apiUrl, id, token]);

  // Reload the detail when an event about this incident arrives (its summary, agents, actions, timeline), not on every
  // event of every incident: with many screens open during a storm that was a GET per event per screen.
  const live = state.incidents[id];
  const liveKey = live ? JSON.stringify([live.status, live.severity, live.alertCount, live.assignee, live.agents]) : '';
  const ownLastEvent = state.lastEventIdOf[id];
  useEffect(() => refresh(), [refresh, liveKey, ownLastEvent]);

  // Every change is recorded under the signed-in person: the API reads who from the token.
  async function act(change: (token: string | null) => Promise<string | null>) {
    const sent = reason;
    setBusy(true);
    setError(await change(token()));
    setBusy(false);
    // Clears the reason that went with this change, not one typed while it was on its way.
    setReason((current) => (current === sent ? '' : current));
    refresh();
  }

  const run = (command: IncidentCommand) => act((t) => runCommand(apiUrl, id, command, t, reason.trim(), confirmed));
  const decide = (action: ProposedAction, decision: 'approve' | 'reject') =>
    act((t) => decideAction(apiUrl, id, action.id, decision, t, reason.trim()));

  if (detail === null) return <main className="page"><p>No incident {id}.</p><Link href="/ops">Back to the console</Link></main>;
  if (!detail) return <main className="page"><p className="muted">Loading {id}…</p></main>;

  const incident = detail.incident;
  type Concluded = { hypotheses?: { category?: string }[]; steps?: { remediation?: string | null }[] } | null | undefined;
  const result = (phase: string) => detail.agents.find((r) => r.phase === phase)?.result as Concluded;
  // Only what the vocabulary holds is prefilled: the diagnosis may say 'unknown' and a plan may start with a read-only
  // step ('inspect'), which the API would refuse as a confirmed cause or fix.
  const cause = result('diagnosis')?.hypotheses?.[0]?.category;
  const fix = result('resolution')?.steps?.map((s) => s.remediation).find((r) => (FIXES as readonly (string | null | undefined)[]).includes(r));
  const suggested: Confirmation = {
    cause: cause && (CAUSES as readonly string[]).includes(cause) ? cause : '',
    fix: cause && (CAUSES as readonly string[]).includes(cause) ? fix ?? '' : '',
  };
  const confirmed = confirmation ?? suggested;
  return (
    <main className="page incident-page" data-testid="incident-page" data-status={incident.status}>
      <header className="incident-page__header">
        <Link href="/ops">← Ops console</Link>
        <ConnectionBadge state={connection} />
      </header>
      <h1>{incident.title}</h1>
      <p className="incident-page__tags">
        <SeverityTag severity={incident.severity} /> <StatusTag status={incident.status} />
        <span className="service">{incident.service}</span>
        {incident.assignee && <span>assigned to {incident.assignee}</span>}
        {incident.previousIncidentId && (
          <span>follows <Link href={`/incidents/${incident.previousIncidentId}`}>{incident.previousIncidentId}</Link></span>
        )}
        {incident.drill && <span className="tag tag--warn">drill</span>}
        <Link href={`/transparency/incidents/${incident.id}`} data-testid="how-concluded">How was this concluded?</Link>
      </p>

      {access.can('respond') ? (
        <section className="panel" aria-label="Actions">
          <input aria-label="Reason" placeholder="Why (optional)" value={reason} onChange={(e) => setReason(e.target.value)} />
          {ALLOWED_COMMANDS[incident.status].includes('resolve') && (
            <span data-testid="resolve-confirmation">
              <select aria-label="Confirmed cause" value={confirmed.cause} onChange={(e) => setConfirmation({ ...confirmed, cause: e.target.value })}>
                <option value="">cause not confirmed</option>
                {CAUSES.map((c) => <option key={c} value={c}>{c.replaceAll('_', ' ')}</option>)}
              </select>
              <select aria-label="Fix that worked" value={confirmed.fix} disabled={!confirmed.cause} onChange={(e) => setConfirmation({ ...confirmed, fix: e.target.value })}>
                <option value="">fix not confirmed</option>
                {FIXES.map((f) => <option key={f} value={f}>{f.replaceAll('_', ' ')}</option>)}
              </select>
            </span>
          )}
          {ALLOWED_COMMANDS[incident.status].map((command) => (
            <button key={command} type="button" disabled={busy} data-testid={`command-${command}`} onClick={() => run(command)}>
              {command}
            </button>
          ))}
          {error && <p className="error" role="alert">{error}</p>}
        </section>
      ) : (
        <p className="muted" data-testid="read-only-notice">You are signed in as a {access.role ?? 'viewer'}: you can follow this incident but not change it.</p>
      )}

      <section className="panel" aria-label="Agents">
        <h2>Agents</h2>
        {incident.agents && <AgentStates agents={incident.agents} />}
        <AgentConclusions runs={detail.agents} />
        {detail.agents.map((run) => (
          <details key={run.phase}>
            <summary>{run.phase}: {String(run.result?.summary ?? run.error ?? run.state)}</summary>
            <pre>{JSON.stringify(run.result, null, 2)}</pre>
          </details>
        ))}
      </section>

      <section className="panel" aria-label="Proposed actions">
        <h2>Proposed actions</h2>
        <ProposedActions actions={detail.actions ?? []} busy={busy} onDecide={access.can('approve') ? decide : undefined} />
      </section>

      <section className="panel" aria-label="Attachments">
        <h2>Attachments</h2>
        {access.can('respond') && <input
          type="file"
          aria-label="Attach a document"
          data-testid="attach"
          disabled={busy}
          accept=".txt,.log,.md,.csv,.json,.pdf,.png,.jpg,.jpeg,.tif,.tiff"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void act((t) => attachDocument(apiUrl, id, file, t));
            e.target.value = '';
          }}
        />}
        <ul className="attachments">
          {(detail.attachments ?? []).map((a) => (
            <li key={a.id} data-testid="attachment" data-read={a.engine ? 'yes' : 'no'}>
              <strong>{a.name}</strong> <span className="muted">· {a.contentType} · by {a.addedBy}</span>
              <div className="muted">
                {a.engine ? `read by ${a.engine}${a.lines ? `, ${a.lines} lines` : ''}` : 'being read…'}
                {a.note ? ` · ${a.note}` : ''}
              </div>
              {a.text && <pre className="attachment__text">{a.text.slice(0, 400)}</pre>}
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" aria-label="Alerts">
        <h2>Alerts ({detail.alerts.length})</h2>
        <table className="incidents">
          <thead><tr><th>Status</th><th>Alert</th><th>Source</th><th>Why it is here</th><th>Seen</th></tr></thead>
          <tbody>
            {detail.alerts.map((alert) => (
              <tr key={alert.id} data-testid="alert">
                <td>{alert.status}</td>
                <td>{alert.sourceUrl ? <a href={alert.sourceUrl}>{alert.summary}</a> : alert.summary}</td>
                <td>{alert.source}</td>
                <td>{alert.groupingReason}</td>
                <td>{alert.occurrences}× · {formatClock(alert.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label="Timeline">
        <h2>Timeline</h2>
        <ol className="timeline" data-testid="timeline">
          {detail.timeline.map((event) => (
            <li key={event.id}>
              <span className="mono">{formatClock(event.at)}</span> {event.type}
              {event.data?.phase ? ` · ${event.data.phase} ${event.data.state}` : ''}
              {event.data?.action ? ` · ${event.data.action.title}${event.data.action.decidedBy && event.type !== 'action.proposed' ? ` · by ${event.data.action.decidedBy}` : ''}` : ''}
              {event.data?.actor ? ` · by ${event.data.actor}` : ''}
              {event.data?.reason ? ` · ${event.data.reason}` : ''}
              {event.data?.note ? ` · “${event.data.note}”` : ''}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
