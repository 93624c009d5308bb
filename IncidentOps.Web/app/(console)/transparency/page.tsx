import type { Metadata } from 'next';
import { resolveApiUrl } from '@/lib/apiUrl';
import { requireSession } from '@/lib/requireSession';
import { TransparencyView } from './TransparencyView';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'AI transparency · IncidentOps' };

export default async function TransparencyPage() {
  await requireSession('/transparency');
  return <TransparencyView apiUrl={resolveApiUrl()} />;
}
