// End-to-end check of the live console: load /ops, raise an incident through the API,
// and watch all four agents complete on the page without a reload.
//
//   WEB_URL=http://localhost:3000 API_URL=http://localhost:5080 [SCREENSHOT_PATH=ops.png] npm run test:browser
//
// Uses the system Chromium through playwright-core (never `npx playwright install`).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const PHASES = ['detection', 'diagnosis', 'prediction', 'resolution'];
const CONNECT_DEADLINE_MS = 30_000;
const COMPLETE_DEADLINE_MS = 60_000;

const webUrl = requiredUrl('WEB_URL');
const apiUrl = requiredUrl('API_URL');
const screenshotPath = process.env.SCREENSHOT_PATH;
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function requiredUrl(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set (e.g. ${name}=http://localhost:3000)`);
  return value.replace(/\/+$/, '');
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

/** Polls `condition` until it returns a truthy value or the deadline passes. */
async function waitFor(description, deadlineMs, condition, describeLast = async () => '') {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${deadlineMs / 1000}s waiting for ${description}${await describeLast().catch(() => '')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The contract answers 404 from /api/v1/metrics until metrics are first computed;
// Chromium reports that as a console error, but it is an expected state, not a fault.
function isExpectedConsoleError(message) {
  const url = message.location()?.url ?? '';
  return /status of 404/.test(message.text()) && url.includes('/api/v1/metrics');
}

const userDataDir = mkdtempSync(join(tmpdir(), 'incidentops-chromium-'));
let browser;
let page;
let exitCode = 0;

try {
  // playwright-core wants the fresh profile directory as launchPersistentContext's argument, not as --user-data-dir.
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());

  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedConsoleError(message)) {
      pageErrors.push(`console.error: ${message.text()}`);
    }
  });

  // 1. The console connects to the API on its own.
  const badge = page.getByTestId('connection-state');
  await page.goto(`${webUrl}/ops`, { waitUntil: 'domcontentloaded' });
  await waitFor('connection-state to read "connected"', CONNECT_DEADLINE_MS,
    async () => (await badge.textContent())?.trim() === 'connected',
    async () => ` (it reads "${(await badge.textContent())?.trim()}")`);
  console.log('ok: console connected');

  // 2. Raise an incident that did not exist when the page loaded.
  const runId = randomUUID();
  const response = await fetch(`${apiUrl}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.INGEST_TOKEN ?? 'dev-ingest-token'}` },
    body: JSON.stringify({
      routing_key: 'e2e-browser',
      event_action: 'trigger',
      dedup_key: `e2e-browser-${runId}`,
      payload: {
        summary: `Checkout latency above SLO (browser test ${runId})`,
        source: 'checkout-api',
        severity: 'critical',
        component: 'checkout',
        group: 'payments',
        class: 'latency',
      },
    }),
  }).catch((error) => {
    throw new Error(`could not POST to ${apiUrl}/api/v1/events: ${error.cause?.message ?? error.message}`);
  });
  const accepted = await response.json().catch(() => null);
  if (response.status !== 202 || !accepted?.incidentId) {
    throw new Error(`POST /api/v1/events answered ${response.status} ${JSON.stringify(accepted)}; expected 202 with incidentId`);
  }
  const incidentId = String(accepted.incidentId);
  console.log(`ok: event accepted, incident ${incidentId}`);

  // 3. The incident appears live and its four agents run to completion.
  const incident = page.locator(`[data-incident-id="${incidentId}"]`).first();
  const agentStates = () =>
    Promise.all(PHASES.map((phase) => incident.getByTestId(`agent-${phase}`).getAttribute('data-state', { timeout: 1_000 })));
  await waitFor(`incident ${incidentId} with all four agents completed`, COMPLETE_DEADLINE_MS,
    async () => (await agentStates()).every((state) => state === 'completed'),
    async () => ((await incident.count()) === 0
      ? ' (the incident never appeared on the page)'
      : ` (agents: ${(await agentStates()).map((state, i) => `${PHASES[i]}=${state}`).join(', ')})`));
  console.log('ok: all four agents completed on the page');

  // 4. Evidence.
  if (screenshotPath) {
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`ok: screenshot saved to ${screenshotPath}`);
  }

  // 5. The page must not have logged errors along the way.
  if (pageErrors.length > 0) {
    throw new Error(`the page reported ${pageErrors.length} error(s):\n  ${pageErrors.join('\n  ')}`);
  }
  console.log('PASS: live updates reached the console');
} catch (error) {
  console.error(`FAIL: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
  if (page && screenshotPath) {
    await page.screenshot({ path: screenshotPath, fullPage: true }).then(
      () => console.error(`screenshot of the failure saved to ${screenshotPath}`),
      () => {},
    );
  }
} finally {
  await browser?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(exitCode);
