// Shared by the browser tests: the system Chromium through playwright-core (never
// `npx playwright install`), deadline waits, and reading the console's agent states.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const PHASES = ['detection', 'diagnosis', 'prediction', 'resolution'];

/** Raises an incident as monitoring does (Events v2 with the ingest token); returns its id. */
/**
 * Records a deploy of the service some minutes ago through POST /api/v1/changes, as a CD tool's webhook would: the
 * diagnosis names a bad deploy (and a rollback is proposed) from a deploy it knows of, not from an alert's words alone.
 */
export async function recordDeploy(apiUrl, service, version, minutesAgo = 8) {
  const response = await fetch(`${apiUrl}/api/v1/changes`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.INGEST_TOKEN ?? 'dev-ingest-token'}` },
    body: JSON.stringify({
      routing_key: 'e2e-changes',
      payload: {
        summary: `Deployed ${service} ${version}`, source: 'argo-cd', service, kind: 'deploy',
        timestamp: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      },
    }),
  });
  if (response.status !== 202) throw new Error(`POST /api/v1/changes answered ${response.status}: ${await response.text()}`);
}

export async function raiseIncident(apiUrl, routingKey, summary, service) {
  const response = await fetch(`${apiUrl}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.INGEST_TOKEN ?? 'dev-ingest-token'}` },
    body: JSON.stringify({
      routing_key: routingKey, event_action: 'trigger', dedup_key: `${routingKey}-${service}`,
      payload: { summary, source: service, severity: 'error' },
    }),
  });
  const { incidentId } = await response.json();
  if (response.status !== 202 || !incidentId) throw new Error(`POST /api/v1/events answered ${response.status}`);
  return incidentId;
}

export function requiredUrl(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set (e.g. ${name}=http://localhost:3000)`);
  return value.replace(/\/+$/, '');
}

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

/** Polls `condition` until it returns a truthy value or the deadline passes. */
export async function waitFor(description, deadlineMs, condition, describeLast = async () => '') {
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

/** A headless Chromium with a fresh profile; `close()` removes the profile. */
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'incidentops-chromium-'));
  // playwright-core wants the fresh profile directory as launchPersistentContext's argument, not as --user-data-dir.
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
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
  const page = browser.pages()[0] ?? (await browser.newPage());
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { browser, page, close };
}

/** Waits until the console's connection badge reads one of `states`; returns what it read. */
export async function waitForConnection(page, states, deadlineMs) {
  const badge = page.getByTestId('connection-state');
  return waitFor(`connection-state to read ${states.map((s) => `"${s}"`).join(' or ')}`, deadlineMs,
    async () => {
      const text = (await badge.textContent())?.trim();
      return states.includes(text) ? text : undefined;
    },
    async () => ` (it reads "${(await badge.textContent())?.trim()}")`);
}

/** Waits until the incident is on the page with all four agents completed. */
export async function waitForCompletedAgents(page, incidentId, deadlineMs) {
  const incident = page.locator(`[data-incident-id="${incidentId}"]`).first();
  const agentStates = () =>
    Promise.all(PHASES.map((phase) => incident.getByTestId(`agent-${phase}`).getAttribute('data-state', { timeout: 1_000 })));
  await waitFor(`incident ${incidentId} with all four agents completed`, deadlineMs,
    async () => (await agentStates()).every((state) => state === 'completed'),
    async () => ((await incident.count()) === 0
      ? ' (the incident never appeared on the page)'
      : ` (agents: ${(await agentStates()).map((state, i) => `${PHASES[i]}=${state}`).join(', ')})`));
}

/**
 * Signs the seeded user of `role` in the way a person does: open a console page, get sent to sign-in, continue to
 * the provider's login form, type the password (the README's), and land back where they started.
 */
export async function signIn(page, webUrl, role, path = '/ops') {
  await page.goto(`${webUrl}${path}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid="sign-in"][data-ready="true"]').click({ timeout: 60_000 });
  await page.locator('input[name="username"]').waitFor({ timeout: 60_000 });
  await page.fill('input[name="username"]', role);
  await page.fill('input[name="password"]', `${role}-password`);
  await page.click('button[type="submit"]');
  // The first visit of a page compiles it (next dev): on a loaded machine that alone can take most of a minute.
  await page.getByTestId('user-name').waitFor({ timeout: 90_000 });
  const shown = (await page.getByTestId('user-role').innerText()).trim().toLowerCase();
  if (shown !== role) throw new Error(`signed in as ${role}, the page shows role "${shown}"`);
}
