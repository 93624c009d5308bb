// The incident page: an approver signs in, opens an incident from the console, reads what the agents concluded,
// approves the proposed remediation (it runs through its executor), acknowledges and resolves the
// incident with a reason, and sees the timeline record who did it.
//   WEB_URL=… API_URL=… node tests/incident.browser.mjs
import { randomUUID } from 'node:crypto';
import { launch, raiseIncident, recordDeploy, requiredUrl, signIn, waitFor, waitForConnection } from './browser.mjs';

const webUrl = requiredUrl('WEB_URL');
const apiUrl = requiredUrl('API_URL');

let session;
let exitCode = 0;
try {
  const runId = randomUUID();
  await recordDeploy(apiUrl, `payments-${runId}`, '3.2.1');
  const incidentId = await raiseIncident(apiUrl, 'e2e-incident-page',
    `Payments 5xx error rate 14% since the deploy of release 3.2.1 (${runId})`, `payments-${runId}`);

  session = await launch();
  const { page } = session;
  await signIn(page, webUrl, 'approver');
  await waitForConnection(page, ['connected'], 30_000);
  // The console's approval queue lists the remediation the agents proposed for it.
  await waitFor('the approval queue to list the proposed rollback', 30_000, async () =>
    (await page.locator(`[data-testid="approvals"] a[href="/incidents/${incidentId}"]`).count()) > 0);
  console.log('ok: /ops lists the action awaiting approval');
  await page.locator(`[data-incident-id="${incidentId}"] a.incident__title`).click();
  await page.getByTestId('incident-page').waitFor({ timeout: 30_000 });

  // The agents conclude a bad deploy and propose a rollback that waits for a person.
  const rollback = page.locator('[data-testid="action"][data-kind="approval_required"]').first();
  await rollback.waitFor({ timeout: 30_000 });
  if (!/deploy/i.test(await page.getByTestId('hypotheses').innerText())) throw new Error('the diagnosis does not name the deploy');
  if ((await rollback.getAttribute('data-state')) !== 'awaiting_approval') throw new Error('a remediation ran without approval');
  const actionId = await rollback.getAttribute('data-action-id');
  await rollback.getByTestId('approve').click();
  const approved = page.locator(`[data-action-id="${actionId}"]`);
  await waitFor('the approved action to be carried out', 30_000, async () => (await approved.getAttribute('data-state')) === 'succeeded');
  if (!/by Ana Approver/.test(await approved.innerText())) throw new Error('the action does not show who approved it (the signed-in approver)');
  console.log('ok: rollback proposed, approved, carried out');
  await page.goto(`${webUrl}/ops`, { waitUntil: 'domcontentloaded' });
  await waitForConnection(page, ['connected'], 30_000);
  if ((await page.locator(`[data-testid="approvals"] [data-action-id="${actionId}"]`).count()) !== 0) throw new Error('an approved action is still in the approval queue');
  await page.locator(`[data-incident-id="${incidentId}"] a.incident__title`).click();
  await page.getByTestId('incident-page').waitFor({ timeout: 30_000 });
  // A responder attaches a log; the agents read it and the page shows what was read.
  await page.getByTestId('attach').setInputFiles({
    name: 'payments.log',
    mimeType: 'text/plain',
    buffer: Buffer.from('ERROR payments: upstream 503 from the card processor\nrelease 3.2.1 rolled out 09:12'),
  });
  await waitFor('the attached log to be read', 30_000, async () =>
    (await page.locator('[data-testid="attachment"][data-read="yes"]').count()) > 0);
  if (!/read by local/.test(await page.locator('[data-testid="attachment"]').first().innerText())) throw new Error('the attachment does not say who read it');
  console.log('ok: attached log read by the agents');

  for (const [command, status] of [['acknowledge', 'acknowledged'], ['resolve', 'resolved']]) {
    // The status can change on the live stream before the previous command's answer re-enables the buttons.
    await waitFor(`command ${command} enabled`, 30_000, () => page.getByTestId(`command-${command}`).isEnabled());
    if (command === 'resolve') await page.getByLabel('Reason').fill('rolled back the release');
    await page.getByTestId(`command-${command}`).click();
    await waitFor(`status ${status}`, 30_000, async () => (await page.getByTestId('incident-page').getAttribute('data-status')) === status,
      async () => ` (it reads "${await page.getByTestId('incident-page').getAttribute('data-status')}"; the page says "${await page.locator('.incident-page [role=alert]').allInnerTexts()}")`);
    console.log(`ok: ${command} → ${status}`);
  }

  await waitFor('the timeline to record who resolved and why', 30_000, async () =>
    /incident\.resolved · by Ana Approver · rolled back the release/.test(await page.getByTestId('timeline').innerText()));
  if (await page.getByTestId('command-acknowledge').count() !== 0) throw new Error('a resolved incident still offers acknowledge');
  if (process.env.SCREENSHOT_PATH) await page.screenshot({ path: process.env.SCREENSHOT_PATH, fullPage: true });
  console.log('PASS: the incident page drives the lifecycle');
} catch (error) {
  console.error(`FAIL: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await session?.close();
}
process.exit(exitCode);
