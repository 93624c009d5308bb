// The AppHost's install step for the web app: `npm ci` when node_modules is missing or older than
// package.json / package-lock.json, nothing otherwise (so `dotnet run` on the AppHost stays fast).
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const installed = 'node_modules/.package-lock.json';
const inputs = ['package.json', 'package-lock.json'];
const stale = !existsSync(installed) || inputs.some((f) => statSync(f).mtimeMs > statSync(installed).mtimeMs);

if (!stale) {
  console.log('node_modules is up to date with package-lock.json');
  process.exit(0);
}

console.log('Installing the web app dependencies (npm ci)…');
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
