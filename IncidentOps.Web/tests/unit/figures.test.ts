import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeAiState,
  describeSignificance,
  formatChange,
  formatCount,
  formatLatency,
  formatPValue,
  formatShare,
  formatUsd,
  formatWithInterval,
  sumCost,
} from '../../lib/figures';

test('an interval is shown beside its value, and left out when a bound is unknown', () => {
  assert.equal(formatWithInterval(12.34, { low: 8.06, high: 16.5 }), '12.3 min (95% 8.1–16.5)');
  assert.equal(formatWithInterval(12.34, { low: null, high: 16.5 }), '12.3 min');
  assert.equal(formatWithInterval(null, { low: 1, high: 2 }), '—');
});

test('p-values read as a statistician writes them', () => {
  assert.equal(formatPValue(0.0123), 'p = 0.01');
  assert.equal(formatPValue(0.0049), 'p = 0.005');
  assert.equal(formatPValue(0.0004), 'p < 0.001');
  assert.equal(formatPValue(0.43), 'p = 0.43');
  assert.equal(formatPValue(null), 'no test');
});

test('a change carries its sign (a true minus) and its test', () => {
  assert.equal(formatChange(-23.4, 0.012), '−23 %, p = 0.01');
  assert.equal(formatChange(5.2, 0.43), '+5 %, p = 0.43');
  assert.equal(formatChange(0.2, 0.9), '±0 %, p = 0.90');
  assert.equal(formatChange(null, null), 'no previous period to compare');
  assert.equal(describeSignificance(0.01), 'unlikely to be chance');
  assert.equal(describeSignificance(0.2), 'could be chance');
});

test('money keeps the digits small AI costs need', () => {
  assert.equal(formatUsd(0.00144), '$0.0014');
  assert.equal(formatUsd(12.345), '$12.35');
  assert.equal(formatUsd(12345.6), '$12,346');
  assert.equal(formatUsd(0), '$0');
  assert.equal(formatUsd(null), '—');
});

test('shares, counts and latencies', () => {
  assert.equal(formatShare(0.781, { low: 0.61, high: 0.894 }), '78 % (95% 61–89 %)');
  assert.equal(formatShare(null), '—');
  assert.equal(formatCount(1234), '1.2k');
  assert.equal(formatCount(45_678), '46k');
  assert.equal(formatLatency(420.4), '420 ms');
  assert.equal(formatLatency(1340), '1.3 s');
  assert.equal(formatLatency(null), '—');
});

test('a service that is not configured names the setting to set', () => {
  const state = describeAiState('not_configured', 'AI:Provider=Bedrock and AI:GuardrailId', 'not configured: set …');
  assert.equal(state.label, 'Not configured');
  assert.equal(state.tone, 'off');
  assert.equal(state.hint, 'set AI:Provider=Bedrock and AI:GuardrailId');
  assert.equal(describeAiState('healthy', 'x', 'fine').hint, null);
  assert.equal(describeAiState('down', 'x', '5 failures in a row').hint, '5 failures in a row');
  assert.equal(describeAiState('unknown', 'x', 'not reported yet').label, 'Unknown');
});

test('the sum of call costs is rounded as the API rounds its total', () => {
  assert.equal(sumCost([0.1, 0.2]), 0.3);
  assert.equal(sumCost([0.00168, 0.0003]), 0.00198);
  assert.equal(sumCost([]), 0);
});

import { describeSavings, topServicesByMinutes } from '../../lib/demoData';

test('top services add each incident\'s minutes, open ones up to now, drills and skewed clocks left out', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const top = topServicesByMinutes(
    [
      { service: 'checkout', detectedAt: '2026-11-30T10:00:00Z', resolvedAt: '2026-11-30T10:30:00Z' },
      { service: 'checkout', detectedAt: '2026-11-30T11:00:00Z', resolvedAt: null },
      { service: 'search', detectedAt: '2026-11-30T09:00:00Z', resolvedAt: '2026-11-30T09:10:00Z' },
      { service: 'search', detectedAt: '2026-11-30T09:00:00Z', resolvedAt: '2026-11-30T08:00:00Z' },
      { service: 'drill-svc', detectedAt: '2026-11-30T00:00:00Z', resolvedAt: null },
    ],
    now,
    6,
    new Set([4]),
  );
  assert.deepEqual(top, [
    { service: 'checkout', minutes: 90, incidents: 2 },
    { service: 'search', minutes: 10, incidents: 1 },
  ]);
});

test('savings say "not configured" and name every missing setting once', () => {
  const line = (missing: string[]) => ({ definition: '', amount: null, arithmetic: null, missing });
  const notConfigured = describeSavings({
    status: 'not configured', currency: null, total: null,
    prevention: line(['Metrics:Cost:CostPerMinute:critical', 'Metrics:Cost:ResponderHourlyCost']),
    fasterResolution: line(['Metrics:Cost:ResponderHourlyCost']),
    assumptions: { costPerMinute: {}, responderHourlyCost: null, baselineMttrMinutes: {} },
  });
  assert.equal(notConfigured.headline, 'not configured');
  assert.deepEqual(notConfigured.missing, ['Metrics:Cost:CostPerMinute:critical', 'Metrics:Cost:ResponderHourlyCost']);
  const configured = describeSavings({
    status: 'configured', currency: 'USD', total: 12345.4,
    prevention: line([]), fasterResolution: line([]),
    assumptions: { costPerMinute: {}, responderHourlyCost: 90, baselineMttrMinutes: {} },
  });
  assert.equal(configured.headline, '$12,345');
});

import { describeAgentTime } from '../../lib/figures';

test('an agent shows its ETA while it works and its duration when done', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  assert.equal(describeAgentTime({ state: 'processing', etaSeconds: 12.4 }, now), 'ETA 12 s');
  assert.equal(describeAgentTime({ state: 'processing', etaSeconds: 0.35 }, now), 'ETA 0.3 s');
  assert.equal(describeAgentTime({ state: 'processing', etaSeconds: null }, now), null);
  assert.equal(describeAgentTime({ state: 'completed', startedAt: '2026-12-01T09:59:58.600Z', finishedAt: '2026-12-01T10:00:00Z' }, now), 'took 1.4 s');
  assert.equal(describeAgentTime({ state: 'failed', startedAt: '2026-12-01T09:58:00Z', finishedAt: '2026-12-01T10:00:00Z' }, now), 'took 2 min');
  assert.equal(describeAgentTime({ state: 'pending' }, now), null);
});

import { filterIncidents } from '../../lib/incidentFilter';

test('the console filters by status, severity and part of a service name', () => {
  const incident = (id: string, status: string, severity: string, service: string) =>
    ({ id, status, severity, service }) as unknown as Parameters<typeof filterIncidents>[0][number];
  const all = [incident('a', 'triggered', 'critical', 'checkout-api'), incident('b', 'acknowledged', 'warning', 'search'), incident('c', 'triggered', 'warning', 'Checkout-web')];
  assert.deepEqual(filterIncidents(all, { status: '', severity: '', service: '' }).map((i) => i.id), ['a', 'b', 'c']);
  assert.deepEqual(filterIncidents(all, { status: 'triggered', severity: '', service: 'checkout' }).map((i) => i.id), ['a', 'c']);
  assert.deepEqual(filterIncidents(all, { status: '', severity: 'warning', service: ' CHECKOUT ' }).map((i) => i.id), ['c']);
});
