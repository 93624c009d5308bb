import type { Metadata } from 'next';
import { resolveApiUrl } from '@/lib/apiUrl';
import { requireSession } from '@/lib/requireSession';
import { IncidentAiTimeline } from './IncidentAiTimeline';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'How was this concluded? · IncidentOps' };

export default async function IncidentAiPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSession(`/transparency/incidents/${encodeURIComponent(id)}`);
  return <IncidentAiTimeline apiUrl={resolveApiUrl()} id={id} />;
}
