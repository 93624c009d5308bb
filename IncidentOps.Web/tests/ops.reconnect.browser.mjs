// The console survives an API outage: it shows the outage, reconnects by itself, and replays
// what happened while it was away. Driven by the end-to-end test over stdin/stdout:
//   prints READY when connected; on "API_DOWN" waits for the badge to leave "connected" and prints
//   SAW <state>; on "INCIDENT <id>" waits for that incident (created during the outage) with its four
//   agents completed and the badge connected again, and prints PASS. Any failure: FAIL and exit 1.
import { createInterface } from 'node:readline';
import { launch, requiredUrl, signIn, waitForCompletedAgents, waitForConnection } from './browser.mjs';

const webUrl = requiredUrl('WEB_URL');
const screenshotPath = process.env.SCREENSHOT_PATH;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function expectLine(prefix) {
  const { value, done } = await lines.next();
  if (done || !value.startsWith(prefix)) throw new Error(`expected "${prefix}" from the test driver, got "${value ?? 'end of input'}"`);
  return value.slice(prefix.length).trim();
}

let session;
let exitCode = 0;
try {
  session = await launch();
  const { page } = session;
  const uncaught = [];
  page.on('pageerror', (error) => uncaught.push(error.message));

  await signIn(page, webUrl, 'viewer');
  await waitForConnection(page, ['connected'], 30_000);
  console.log('READY');

  await expectLine('API_DOWN');
  console.log(`SAW ${await waitForConnection(page, ['reconnecting', 'offline'], 60_000)}`);

  const incidentId = await expectLine('INCIDENT');
  await waitForConnection(page, ['connected'], 90_000);
  await waitForCompletedAgents(page, incidentId, 60_000);
  if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
  if (uncaught.length > 0) throw new Error(`uncaught page errors: ${uncaught.join('; ')}`);
  console.log('PASS');
} catch (error) {
  console.log(`FAIL: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await session?.close();
}
process.exit(exitCode);
