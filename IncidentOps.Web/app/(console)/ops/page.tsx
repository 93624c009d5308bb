import type { Metadata } from 'next';
import { resolveApiUrl, resolveHubUrl } from '@/lib/apiUrl';
import { requireSession } from '@/lib/requireSession';
import { OpsConsole } from './OpsConsole';

// The API's and the hub's addresses come from the environment at request time, not at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Ops console · IncidentOps' };

export default async function OpsPage() {
  await requireSession('/ops');
  return <OpsConsole apiUrl={resolveApiUrl()} hubUrl={resolveHubUrl()} />;
}
