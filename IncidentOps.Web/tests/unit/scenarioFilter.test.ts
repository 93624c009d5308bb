import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterScenarios, scenarioCategories } from '../../lib/scenarioFilter';
import type { DrillScenarioCard } from '../../lib/aiTypes';

const card = (id: string, category: string, title: string, service = 'checkout'): DrillScenarioCard => ({
  id, category, title, service, description: `${title} on ${service}`, knownRemediation: 'rollback', severity: 'critical', alertCount: 1, changeCount: 0,
});

const corpus = [
  card('bad_deploy-01', 'bad_deploy', 'Checkout 5xx after release'),
  card('disk_full-07', 'disk_full', 'Postgres WAL volume at 98%', 'ledger-db'),
  card('bad_deploy-02', 'bad_deploy', 'Search latency after canary', 'search'),
];

test('the category filter keeps only that category, in the order given', () => {
  assert.deepEqual(filterScenarios(corpus, { category: 'bad_deploy', text: '' }).map((s) => s.id), ['bad_deploy-01', 'bad_deploy-02']);
});

test('every word must appear somewhere, case-blind, in the id, title, service or description', () => {
  assert.deepEqual(filterScenarios(corpus, { category: '', text: 'LEDGER wal' }).map((s) => s.id), ['disk_full-07']);
  assert.deepEqual(filterScenarios(corpus, { category: '', text: 'ledger canary' }), []);
  assert.deepEqual(filterScenarios(corpus, { category: 'bad_deploy', text: '  search ' }).map((s) => s.id), ['bad_deploy-02']);
});

test('no filter keeps everything', () => {
  assert.equal(filterScenarios(corpus, { category: '', text: ' ' }).length, 3);
});

test('categories are counted and listed by name', () => {
  assert.deepEqual(scenarioCategories(corpus), [{ category: 'bad_deploy', count: 2 }, { category: 'disk_full', count: 1 }]);
});
