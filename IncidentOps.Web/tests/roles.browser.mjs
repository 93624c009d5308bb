// Roles in the browser: a viewer signs in and sees the incident but no command, no upload and no approve button,
// and a request forged with the viewer's own token is refused (403) by the API; signing out ends the session.
//   WEB_URL=… API_URL=… node tests/roles.browser.mjs
import { randomUUID } from 'node:crypto';
import { launch, raiseIncident, recordDeploy, requiredUrl, signIn, waitFor } from './browser.mjs';

const webUrl = requiredUrl('WEB_URL');
const apiUrl = requiredUrl('API_URL');

let session;
let exitCode = 0;
try {
  // Anonymous: a console page sends the browser to sign in, and the API refuses the read.
  session = await launch();
  const { page } = session;
  await page.goto(`${webUrl}/ops`, { waitUntil: 'domcontentloaded' });
  if (!new URL(page.url()).pathname.startsWith('/signin')) throw new Error(`anonymous /ops was not sent to sign in (at ${page.url()})`);
  const anonymous = await fetch(`${apiUrl}/api/v1/incidents`);
  if (anonymous.status !== 401) throw new Error(`anonymous GET /api/v1/incidents answered ${anonymous.status}`);
  console.log('ok: anonymous is sent to sign in; the API answers 401');

  const runId = randomUUID();
  await recordDeploy(apiUrl, `payments-${runId}`, '3.2.1');
  const incidentId = await raiseIncident(apiUrl, 'e2e-roles',
    `Payments 5xx error rate 14% since the deploy of release 3.2.1 (${runId})`, `payments-${runId}`);

  await signIn(page, webUrl, 'viewer', `/incidents/${incidentId}`);
  await page.getByTestId('incident-page').waitFor({ timeout: 30_000 });
  const action = page.locator('[data-testid="action"][data-kind="approval_required"]').first();
  await action.waitFor({ timeout: 30_000 });
  await page.getByTestId('read-only-notice').waitFor({ timeout: 5_000 });
  for (const testId of ['approve', 'reject', 'attach', 'command-acknowledge']) {
    if ((await page.getByTestId(testId).count()) !== 0) throw new Error(`a viewer sees the "${testId}" control`);
  }
  console.log('ok: a viewer sees the proposed remediation but no control to change anything');

  // The viewer's own token, taken from their session as a forger in the page would, does not approve.
  const forged = await page.evaluate(async ({ apiUrl, incidentId, actionId }) => {
    const { accessToken } = await (await fetch('/api/auth/session')).json();
    const response = await fetch(`${apiUrl}/api/v1/incidents/${incidentId}/actions/${actionId}/approve`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` }, body: '{}',
    });
    return response.status;
  }, { apiUrl, incidentId, actionId: await action.getAttribute('data-action-id') });
  if (forged !== 403) throw new Error(`a forged approval with the viewer's token answered ${forged}`);
  if ((await action.getAttribute('data-state')) !== 'awaiting_approval') throw new Error('the forged approval changed the action');
  console.log('ok: a forged approval with the viewer token is refused (403)');

  // Signing out ends the session: the console asks for sign-in again.
  await page.getByTestId('sign-out').click();
  await waitFor('the sign-out to end on the sign-in page', 30_000, async () => page.url().startsWith(`${webUrl}/signin`) && (await page.getByTestId('sign-in').count()) > 0);
  await page.goto(`${webUrl}/ops`, { waitUntil: 'domcontentloaded' });
  if (!new URL(page.url()).pathname.startsWith('/signin')) throw new Error(`after sign-out /ops did not ask for sign-in (at ${page.url()})`);
  if (process.env.SCREENSHOT_PATH) await page.screenshot({ path: process.env.SCREENSHOT_PATH });
  console.log('PASS: roles are enforced in the browser and the API');
} catch (error) {
  console.error(`FAIL: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await session?.close();
}
process.exit(exitCode);
