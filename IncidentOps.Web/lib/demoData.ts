/** What the executive view shows, from the live API or from the build-time snapshot: the same shape either way. */
import type { BusinessMetrics, IncidentSummary } from './types';

export interface ServiceMinutes {
  service: string;
  minutes: number;
  incidents: number;
}

export interface DemoData {
  source: 'live' | 'snapshot';
  /** When the figures were computed (live) or generated (snapshot). */
  at: string;
  /** How the snapshot was made (the command and its inputs); null for live data. */
  provenance: string | null;
  week: BusinessMetrics;
  month: BusinessMetrics;
  topServices: ServiceMinutes[];
}

/**
 * Minutes each service spent in incidents (detected → resolved, or → now while open), drills left out, the top
 * <paramref name="limit"/> first.
 */
export function topServicesByMinutes(incidents: Pick<IncidentSummary, 'service' | 'detectedAt' | 'resolvedAt'>[], now: number, limit = 6, drills?: Set<number>): ServiceMinutes[] {
  const totals = new Map<string, ServiceMinutes>();
  incidents.forEach((incident, i) => {
    if (drills?.has(i)) return;
    const start = Date.parse(incident.detectedAt);
    const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
    if (Number.isNaN(start) || Number.isNaN(end) || end < start) return;
    const entry = totals.get(incident.service) ?? { service: incident.service, minutes: 0, incidents: 0 };
    entry.minutes += (end - start) / 60_000;
    entry.incidents += 1;
    totals.set(incident.service, entry);
  });
  return [...totals.values()]
    .map((s) => ({ ...s, minutes: Math.round(s.minutes) }))
    .sort((a, b) => b.minutes - a.minutes || a.service.localeCompare(b.service))
    .slice(0, limit);
}

/** The savings card: the amount, or "not configured" naming every missing setting. */
export function describeSavings(savings: BusinessMetrics['costSavings']): { headline: string; missing: string[] } {
  const missing = [...new Set([...savings.prevention.missing, ...savings.fasterResolution.missing])];
  if (savings.total === null || savings.status === 'not configured') return { headline: 'not configured', missing };
  const currency = savings.currency ?? 'USD';
  const amount = Math.round(savings.total).toLocaleString('en-US');
  return { headline: currency === 'USD' ? `$${amount}` : `${amount} ${currency}`, missing };
}
