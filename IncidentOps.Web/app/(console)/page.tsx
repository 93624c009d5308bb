import Link from 'next/link';
import { LandingCard } from '@/components/LandingCard';
import { requireSession } from '@/lib/requireSession';

export default async function HomePage() {
  await requireSession('/');
  return (
    <LandingCard>
      <p className="landing__lead">
          Alerts in, incidents out. Correlated alerts become incidents, four agents (detection, diagnosis,
          prediction, resolution) work each one, and the console shows it all live.
        </p>
        <p className="landing__links">
          <Link className="button" href="/ops">
            Open the on-call console →
          </Link>{' '}
          <Link href="/demo">Executive view</Link> · <Link href="/transparency">AI transparency</Link>
        </p>
    </LandingCard>
  );
}
