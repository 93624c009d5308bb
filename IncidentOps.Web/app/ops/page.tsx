import type { Metadata } from 'next';
import { resolveApiUrl } from '@/lib/apiUrl';
import { OpsConsole } from './OpsConsole';

// The API address comes from the environment at request time, not at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Ops console · IncidentOps' };

export default function OpsPage() {
  return <OpsConsole apiUrl={resolveApiUrl()} />;
}
