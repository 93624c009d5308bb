import Link from 'next/link';
import type { ReactNode } from 'react';

const PAGES = [
  { href: '/ops', label: 'Ops' },
  { href: '/demo', label: 'Executive view' },
  { href: '/transparency', label: 'AI transparency' },
];

/** The top bar of every dashboard: the brand, the three dashboards, the page's own title and status. */
export function SiteHeader({ current, title, children }: { current: string; title: string; children?: ReactNode }) {
  return (
    <header className="topbar">
      <Link className="brand" href="/">
        <span className="brand__mark" aria-hidden="true" />
        IncidentOps
      </Link>
      <nav className="topnav" aria-label="Dashboards">
        {PAGES.map((p) => (
          <Link key={p.href} href={p.href} className="topnav__link" aria-current={p.href === current ? 'page' : undefined}>
            {p.label}
          </Link>
        ))}
      </nav>
      <span className="topbar__title">{title}</span>
      <div className="topbar__right">{children}</div>
    </header>
  );
}
