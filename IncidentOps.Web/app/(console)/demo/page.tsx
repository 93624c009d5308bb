import type { Metadata } from 'next';
import { resolveApiUrl } from '@/lib/apiUrl';
import { requireSession } from '@/lib/requireSession';
import { DemoView } from './DemoView';

// The API address and Web:PublicDemo come from the environment at request time, not at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Executive view · IncidentOps' };

/** Web:PublicDemo (WEB_PUBLIC_DEMO=true): the snapshot may be shown without signing in; live data never. */
function publicDemo(): boolean {
  return process.env.WEB_PUBLIC_DEMO === 'true';
}

export default async function DemoPage({ searchParams }: { searchParams: Promise<{ source?: string }> }) {
  const snapshot = (await searchParams).source === 'snapshot';
  if (!(snapshot && publicDemo())) {
    await requireSession(snapshot ? '/demo?source=snapshot' : '/demo');
  }
  return <DemoView apiUrl={resolveApiUrl()} source={snapshot ? 'snapshot' : 'live'} />;
}
