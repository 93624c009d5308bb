import Link from 'next/link';
import { requireSession } from '@/lib/requireSession';

export default async function HomePage() {
  await requireSession('/');
  return (
    <main className="landing">
      <div className="landing__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          IncidentOps
        </div>
        <p className="landing__lead">
          Alerts in, incidents out. Correlated alerts become incidents, four agents (detection, diagnosis,
          prediction, resolution) work each one, and the console shows it all live.
        </p>
        <Link className="button" href="/ops">
          Open the on-call console →
        </Link>
      </div>
    </main>
  );
}
