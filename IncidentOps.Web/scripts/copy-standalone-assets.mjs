// After `next build` with output: 'standalone': the standalone server serves .next/static and public only when they
// sit beside it (Next.js leaves copying them to the deployment), so the AppHost's production run copies them here.
import { cpSync, existsSync } from 'node:fs';

if (!existsSync('.next/standalone/server.js')) {
  console.error('.next/standalone/server.js is missing: run `next build` first.');
  process.exit(1);
}
cpSync('.next/static', '.next/standalone/.next/static', { recursive: true });
if (existsSync('public')) cpSync('public', '.next/standalone/public', { recursive: true });
console.log('copied .next/static and public beside the standalone server');
