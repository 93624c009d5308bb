'use client';

import type { ProposedAction } from '@/lib/incidentApi';

const STATE_WORDS: Record<ProposedAction['state'], string> = {
  awaiting_approval: 'awaiting approval',
  approved: 'approved, queued',
  rejected: 'rejected',
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  superseded: 'superseded by a newer plan',
};

/** The resolution plan as decisions: what each step does, whether it needs a person, who decided, and what happened. */
export function ProposedActions({ actions, busy, onDecide }: {
  actions: ProposedAction[];
  busy: boolean;
  /** Absent when the signed-in person may not approve: the buttons are not shown (the API would refuse them too). */
  onDecide?: (action: ProposedAction, decision: 'approve' | 'reject') => void;
}) {
  const current = actions.filter((a) => a.state !== 'superseded');
  if (current.length === 0) return <p className="muted">No actions proposed yet.</p>;
  return (
    <ol className="actions">
      {current.map((action) => (
        <li key={action.id} data-testid="action" data-action-id={action.id} data-state={action.state} data-kind={action.kind}>
          <span className={`tag ${action.kind === 'approval_required' ? 'tag--warn' : 'tag--ok'}`}>
            {action.kind === 'approval_required' ? 'needs approval' : 'read-only'}
          </span>{' '}
          <strong>{action.title}</strong>
          {action.command && <code className="mono"> {action.command}</code>}
          <span className="muted"> · {action.source}</span>
          <div>
            <span data-testid="action-state">{STATE_WORDS[action.state]}</span>
            {action.decidedBy && <span> · by {action.decidedBy}{action.decisionReason ? `: ${action.decisionReason}` : ''}</span>}
            {(action.attempts ?? 0) > 1 && <span data-testid="action-attempts"> · attempt {action.attempts} (retried after its worker stopped)</span>}
            {action.outcome && <span className="muted"> · {action.outcome}</span>}
          </div>
          {action.state === 'awaiting_approval' && onDecide && (
            <div>
              <button type="button" disabled={busy} data-testid="approve" onClick={() => onDecide(action, 'approve')}>approve</button>{' '}
              <button type="button" disabled={busy} data-testid="reject" onClick={() => onDecide(action, 'reject')}>reject</button>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
