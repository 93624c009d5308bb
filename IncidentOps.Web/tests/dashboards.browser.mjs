// The three dashboards in a real browser against the whole system, checking what a person would check:
//   /ops          a responder starts a drill; its four agents reach COMPLETED on the page (with their durations)
//   /transparency every AI service listed (not configured ones name their setting); the drill's AI calls, with a
//                 total cost equal to the sum of the calls and to the API's total
//   /demo         the cards show the API's figures; the snapshot banner in snapshot mode
// and saves each page at 1280×800 and 390×844 under artifacts/screenshots/ (repo root; CI keeps the folder).
//
//   WEB_URL=… API_URL=… API_TOKEN=<a viewer's access token> node tests/dashboards.browser.mjs
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, launch, requiredUrl, signIn, waitFor, waitForCompletedAgents } from './browser.mjs';

const webUrl = requiredUrl('WEB_URL');
const apiUrl = requiredUrl('API_URL');
const apiToken = process.env.API_TOKEN ?? fail('API_TOKEN (a viewer access token, to read the figures the page must show) is not set');
const shots = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'screenshots');
mkdirSync(shots, { recursive: true });

const WIDTHS = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '390x844', width: 390, height: 844 },
];

async function api(path) {
  const response = await fetch(`${apiUrl}${path}`, { headers: { Authorization: `Bearer ${apiToken}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return response.json();
}

/** Saves the page at both widths (full page), back at the desktop size afterwards. */
async function screenshots(page, name, ready) {
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await ready();
    const path = join(shots, `${name}-${size.name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const text = async (locator) => (await locator.innerText({ timeout: 2_000 })).trim();
// Waits for the element to show text starting with `start` (the page may still be rendering after a navigation: a CI run
// once found no banner 2 s after the snapshot page's cards), then fails with what it does show.
const says = async (locator, start, failure) => {
  try {
    await locator.filter({ hasText: new RegExp(`^\\s*${start}`) }).first().waitFor({ timeout: 30_000 });
  } catch {
    throw new Error(`${failure}: it shows ${JSON.stringify(await locator.allInnerTexts())}`);
  }
};

let session;
let exitCode = 0;
try {
  session = await launch();
  const { page } = session;
  const errors = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.setViewportSize({ width: 1280, height: 800 });

  // /ops: a responder starts a drill from the console; its agents complete on the page.
  await signIn(page, webUrl, 'responder', '/ops');
  await page.getByTestId('health').waitFor({ timeout: 60_000 });
  const select = page.locator('#drill-scenario');
  await waitFor('the scenario list', 30_000, async () => (await select.locator('option').count()) >= 40);
  // The picker lists the first matches of thousands; words narrow it to the scenario wanted.
  const matches = page.getByTestId('drill-matches');
  const total = Number(await matches.getAttribute('data-total'));
  const listed = await select.locator('option').count();
  if (!(total > 2000 && listed < total)) throw new Error(`the drill picker lists ${listed} of ${total} scenarios`);
  await page.getByTestId('drill-find').fill('bad_deploy-01');
  await waitFor('the picker narrowed', 10_000, async () => Number(await matches.getAttribute('data-matches')) < total);
  const narrowed = await select.locator('option').allInnerTexts();
  if (narrowed.length === 0 || !narrowed.every((o) => o.includes('bad_deploy-01'))) throw new Error(`"bad_deploy-01" lists: ${narrowed.join(' | ')}`);
  console.log(`ok: the drill picker listed ${listed} of ${total} scenarios, ${narrowed.length} for "bad_deploy-01"`);
  await select.selectOption('bad_deploy-01');
  await page.getByTestId('start-drill').click();
  const started = page.getByTestId('drill-started');
  await started.waitFor({ timeout: 30_000 });
  const incidentId = await started.getAttribute('data-drill-incident');
  console.log(`ok: drill started as ${incidentId}`);
  await waitForCompletedAgents(page, incidentId, 90_000);
  const row = page.locator(`[data-incident-id="${incidentId}"]`).first();
  if (!/\bdrill\b/i.test(await row.innerText())) throw new Error('the drill incident is not marked as a drill on /ops');
  const took = await text(row.getByTestId('agent-diagnosis-time'));
  if (!/^took /.test(took)) throw new Error(`the finished diagnosis shows "${took}", not its duration`);
  console.log(`ok: the drill's four agents COMPLETED on /ops (diagnosis ${took})`);
  await screenshots(page, 'ops', () => page.getByTestId('health').waitFor());

  // /transparency: the drill's AI calls, their total equal to their sum and to the API's.
  await page.goto(`${webUrl}/transparency/incidents/${incidentId}`);
  const calls = page.getByTestId('ai-call');
  await waitFor('the drill incident\'s AI calls', 30_000, async () => (await calls.count()) > 0);
  const fromApi = await api(`/api/v1/ai/incidents/${incidentId}/calls`);
  await waitFor(`${fromApi.count} calls on the page`, 15_000, async () => (await calls.count()) >= fromApi.count);
  const costs = await calls.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-cost'))));
  const table = page.getByTestId('incident-ai-calls');
  const pageTotal = Number(await table.getAttribute('data-total'));
  const sum = Math.round(costs.reduce((a, b) => a + b, 0) * 1e8) / 1e8;
  const apiNow = await api(`/api/v1/ai/incidents/${incidentId}/calls`);
  if (Math.abs(pageTotal - sum) > 1e-9) throw new Error(`the page's total ${pageTotal} is not the sum of its calls ${sum}`);
  if (costs.length === apiNow.count && Math.abs(pageTotal - apiNow.totalCostUsd) > 1e-9) throw new Error(`the page's total ${pageTotal} is not the API's ${apiNow.totalCostUsd}`);
  const phases = await calls.evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent));
  if (!phases.includes('diagnosis')) throw new Error(`no diagnosis call in the timeline (phases: ${phases.join(', ')})`);
  await page.getByTestId('evidence').waitFor({ timeout: 30_000 });
  console.log(`ok: ${costs.length} AI calls on the drill's timeline, total ${pageTotal} = their sum`);
  await screenshots(page, 'transparency-incident', () => table.waitFor());

  // /transparency: every AI service, the unconfigured ones naming their setting; the scenario gallery.
  await page.goto(`${webUrl}/transparency`);
  const services = page.getByTestId('ai-services').locator('tbody tr');
  await waitFor('13 AI services', 30_000, async () => (await services.count()) === 13);
  const report = await api('/api/v1/ai/services');
  for (const s of report.catalog) {
    const listed = page.locator(`[data-service-id="${s.id}"]`);
    const state = await listed.getAttribute('data-state');
    if (state !== s.state) throw new Error(`${s.id} is "${state}" on the page, "${s.state}" at the API`);
    if (s.state === 'not_configured' && !(await listed.innerText()).includes(`set ${s.setting}`)) throw new Error(`${s.id} does not name its setting`);
  }
  // The figures move while the agents work: the page (re-read every 5 s) and the API must agree at some moment.
  const count = (n) => (n >= 1000 ? null : String(n));
  let local;
  await waitFor('the local engine\'s calls as the API counts them', 20_000, async () => {
    local = (await api('/api/v1/ai/services')).catalog.find((s) => s.id === 'local');
    return (await text(page.locator('[data-service-id="local"]').getByTestId('calls'))) === `${count(local.lastHour.calls)} / ${count(local.allTime.calls)}`;
  });
  console.log(`ok: 13 AI services listed as the API lists them (local: ${local.allTime.calls} calls)`);
  // The gallery: the corpus (thousands) a page at a time, filtered by category and words.
  const corpus = (await api('/api/v1/drills/scenarios')).items;
  const cards = page.locator('[data-scenario-id]');
  const counted = page.getByTestId('scenario-count');
  const galleryReads = async (shown, matching) =>
    Number(await counted.getAttribute('data-shown')) === shown && Number(await counted.getAttribute('data-matching')) === matching && (await cards.count()) === shown;
  await waitFor(`the gallery to show 24 of the API's ${corpus.length} scenarios`, 30_000, () => galleryReads(Math.min(24, corpus.length), corpus.length));
  const diskFull = corpus.filter((s) => s.category === 'disk_full');
  await page.locator('#scenario-category').selectOption('disk_full');
  await waitFor(`the gallery filtered to ${diskFull.length} disk_full scenarios`, 10_000, () => galleryReads(Math.min(24, diskFull.length), diskFull.length));
  const categories = await cards.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-category')));
  if (categories.some((c) => c !== 'disk_full')) throw new Error(`the disk_full filter shows ${[...new Set(categories)].join(', ')}`);
  await page.getByTestId('scenario-more').click();
  await waitFor('24 more cards', 10_000, () => galleryReads(Math.min(48, diskFull.length), diskFull.length));
  const one = diskFull[diskFull.length - 1];
  await page.locator('#scenario-text').fill(one.id);
  await waitFor(`the gallery searched to ${one.id}`, 10_000, async () => (await cards.count()) >= 1 && (await cards.first().getAttribute('data-scenario-id')) === one.id);
  await page.locator('#scenario-text').fill('');
  await page.locator('#scenario-category').selectOption('');
  await waitFor('the gallery back to its first page', 10_000, () => galleryReads(Math.min(24, corpus.length), corpus.length));
  console.log(`ok: the gallery pages ${corpus.length} scenarios (disk_full ${diskFull.length}, searched to ${one.id})`);
  await screenshots(page, 'transparency', () => page.getByTestId('ai-services').waitFor());

  // /demo: the cards show the API's figures.
  await page.goto(`${webUrl}/demo`);
  await page.getByTestId('card-handled').waitFor({ timeout: 60_000 });
  await waitFor('the cards to equal the API\'s figures', 60_000, async () => {
    const [week, month] = await Promise.all([api('/api/v1/metrics/business?window=7d'), api('/api/v1/metrics/business?window=30d')]);
    const shown = {
      handled7: await text(page.getByTestId('handled-7d')),
      handled30: await text(page.getByTestId('handled-30d')),
      prevented7: await text(page.getByTestId('prevented-7d')),
      savings: await text(page.getByTestId('savings')),
    };
    const ok =
      shown.handled7 === week.incidentsHandled.count.toLocaleString() &&
      shown.handled30 === month.incidentsHandled.count.toLocaleString() &&
      shown.prevented7 === week.incidentsPrevented.count.toLocaleString() &&
      (week.costSavings.total === null ? shown.savings === 'not configured' : shown.savings.includes(Math.round(week.costSavings.total).toLocaleString('en-US')));
    if (!ok) console.log(`waiting: page ${JSON.stringify(shown)} vs API handled ${week.incidentsHandled.count}/${month.incidentsHandled.count}`);
    return ok;
  });
  await says(page.getByTestId('data-source'), 'Live data', 'the live page does not say it shows live data');
  console.log('ok: /demo cards equal the API\'s figures');
  await screenshots(page, 'demo', () => page.getByTestId('card-savings').waitFor());

  await page.goto(`${webUrl}/demo?source=snapshot`);
  await page.getByTestId('card-handled').waitFor({ timeout: 60_000 });
  await says(page.getByTestId('data-source'), 'Demo snapshot', 'the snapshot page does not say it shows the snapshot');
  console.log('ok: /demo?source=snapshot shows the snapshot, and says so');
  await screenshots(page, 'demo-snapshot', () => page.getByTestId('card-handled').waitFor());

  if (errors.length > 0) throw new Error(`the pages raised errors:\n${errors.join('\n')}`);
  console.log('PASS');
} catch (error) {
  console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await session?.close();
}
process.exit(exitCode);
