import type { ReactNode } from 'react';

/** The branded card of the landing and sign-in pages. */
export function LandingCard({ children }: { children: ReactNode }) {
  return (
    <main className="landing">
      <div className="landing__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          IncidentOps
        </div>
        {children}
      </div>
    </main>
  );
}
