import type { Metadata } from 'next';
import { resolveApiUrl, resolveHubUrl } from '@/lib/apiUrl';
import { requireSession } from '@/lib/requireSession';
import { IncidentView } from './IncidentView';

// The API's and the hub's addresses come from the environment at request time, not at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Incident · IncidentOps' };

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSession(`/incidents/${encodeURIComponent(id)}`);
  return <IncidentView apiUrl={resolveApiUrl()} hubUrl={resolveHubUrl()} id={id} />;
}
