import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LAST_EVENTS_KEPT, initialOpsState, opsReducer, selectPendingApprovals, type OpsState } from '../../lib/opsState';
import type { IncidentSummary, OpsEvent } from '../../lib/types';

const incident = { id: 'inc_a', title: 'checkout 5xx', status: 'triggered', severity: 'critical', service: 'checkout', alertCount: 1, detectedAt: '2026-12-01T20:00:00Z', agents: null } as unknown as IncidentSummary;

function withIncident(): OpsState {
  return opsReducer(initialOpsState, { type: 'snapshot', incidents: [incident], lastEventId: '1-0' });
}

const agent = (id: string, at: string, data: Record<string, unknown>): OpsEvent => ({ id, type: 'agent.state_changed', incidentId: 'inc_a', at, data });

test("a finished agent's line of prose becomes its tooltip; a run at work shows none", () => {
  const working = opsReducer(withIncident(), {
    type: 'event',
    event: agent('1-5', '2026-12-01T20:00:02.000Z', { phase: 'diagnosis', state: 'processing', progress: 40 }),
  });
  assert.equal(working.incidents.inc_a.agents!.diagnosis.message, null);
  const done = opsReducer(working, {
    type: 'event',
    event: agent('1-6', '2026-12-01T20:00:03.000Z', { phase: 'diagnosis', state: 'completed', progress: 100, message: 'Most likely bad_deploy (82%)' }),
  });
  assert.equal(done.incidents.inc_a.agents!.diagnosis.message, 'Most likely bad_deploy (82%)');
});

test('an agent change coalesced by the hub takes its run start from startedAt', () => {
  // The hub sent only the latest change of this run (completed), with when the run began.
  const state = opsReducer(withIncident(), {
    type: 'event',
    event: agent('1-5', '2026-12-01T20:00:03.000Z', { phase: 'detection', state: 'completed', progress: 100, startedAt: '2026-12-01T20:00:01.600Z' }),
  });
  const status = state.incidents.inc_a.agents!.detection;
  assert.equal(status.state, 'completed');
  assert.equal(status.startedAt, '2026-12-01T20:00:01.600Z');
  assert.equal(status.finishedAt, '2026-12-01T20:00:03.000Z');
});

test('without startedAt the run starts at its initializing event, as before', () => {
  let state = opsReducer(withIncident(), { type: 'event', event: agent('1-1', '2026-12-01T20:00:01.000Z', { phase: 'diagnosis', state: 'initializing', progress: 0 }) });
  state = opsReducer(state, { type: 'event', event: agent('1-2', '2026-12-01T20:00:02.500Z', { phase: 'diagnosis', state: 'completed', progress: 100 }) });
  const status = state.incidents.inc_a.agents!.diagnosis;
  assert.equal(status.startedAt, '2026-12-01T20:00:01.000Z');
  assert.equal(status.finishedAt, '2026-12-01T20:00:02.500Z');
});

test('each incident remembers its own last event, so its page reloads on its events only, and old ones are let go', () => {
  let state = withIncident();
  state = opsReducer(state, { type: 'event', event: agent('2-1', '2026-12-01T20:01:00.000Z', { phase: 'detection', state: 'processing', progress: 40 }) });
  state = opsReducer(state, { type: 'event', event: { id: '2-2', type: 'alert.received', incidentId: 'inc_b', at: '2026-12-01T20:01:01.000Z', data: {} } });
  state = opsReducer(state, { type: 'event', event: { id: '2-3', type: 'metrics.updated', incidentId: null, at: '2026-12-01T20:01:02.000Z', data: {} } });
  assert.equal(state.lastEventIdOf.inc_a, '2-1');
  assert.equal(state.lastEventIdOf.inc_b, '2-2');
  assert.equal(state.lastEventId, '2-3');

  // An action event names its incident in the action.
  state = opsReducer(state, { type: 'event', event: { id: '2-4', type: 'action.proposed', at: '2026-12-01T20:01:03.000Z', data: { action: { id: 'act_1', incidentId: 'inc_a', state: 'awaiting_approval' } } } });
  assert.equal(state.lastEventIdOf.inc_a, '2-4');

  for (let i = 0; i < LAST_EVENTS_KEPT; i++) {
    state = opsReducer(state, { type: 'event', event: { id: `3-${i}`, type: 'alert.received', incidentId: `inc_${i}`, at: '2026-12-01T20:02:00.000Z', data: {} } });
  }
  assert.equal(Object.keys(state.lastEventIdOf).length, LAST_EVENTS_KEPT);
  assert.equal(state.lastEventIdOf.inc_a, undefined);
  assert.equal(state.lastEventIdOf[`inc_${LAST_EVENTS_KEPT - 1}`], `3-${LAST_EVENTS_KEPT - 1}`);
});

test("the hub's screen form of actions: a listed proposal shows, its decision's id and state take it off, an envelope alone reloads its incident's page", () => {
  let state = withIncident();
  const at = '2026-12-01T20:03:00.000Z';
  // The hub sends a proposal /ops lists with what the list shows (ScreenActions.Listed).
  state = opsReducer(state, {
    type: 'event',
    event: { id: '4-1', type: 'action.proposed', incidentId: 'inc_a', at, data: { action: { id: 'act_2', incidentId: 'inc_a', title: 'Roll back checkout', kind: 'approval_required', command: 'kubectl rollout undo deployment/checkout', state: 'awaiting_approval', proposedAt: at } } },
  });
  assert.deepEqual(selectPendingApprovals(state).map((a) => [a.id, a.title, a.command]), [['act_2', 'Roll back checkout', 'kubectl rollout undo deployment/checkout']]);

  // A read-only step, or an approved action's start and outcome, arrive as their envelope alone (data null).
  state = opsReducer(state, { type: 'event', event: { id: '4-2', type: 'action.proposed', incidentId: 'inc_a', at, data: null } });
  assert.equal(state.lastEventIdOf.inc_a, '4-2');
  assert.equal(state.lastEventId, '4-2');
  assert.deepEqual(selectPendingApprovals(state).map((a) => a.id), ['act_2']);

  // A decision carries only the action's id and state (ScreenActions.OffTheList): the action leaves the list.
  state = opsReducer(state, { type: 'event', event: { id: '4-3', type: 'action.approved', incidentId: 'inc_a', at, data: { action: { id: 'act_2', state: 'approved' } } } });
  assert.deepEqual(selectPendingApprovals(state), []);
  assert.equal(state.lastEventIdOf.inc_a, '4-3');
});
