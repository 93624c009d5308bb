import type { IncidentSummary } from './types';

/** The console's filters; empty strings mean "any". */
export interface IncidentFilter {
  status: string;
  severity: string;
  service: string;
}

/** The incidents that pass every filter (service: a case-insensitive substring), in the order given. */
export function filterIncidents(incidents: IncidentSummary[], filter: IncidentFilter): IncidentSummary[] {
  const service = filter.service.trim().toLowerCase();
  return incidents.filter(
    (i) =>
      (!filter.status || i.status === filter.status) &&
      (!filter.severity || i.severity === filter.severity) &&
      (!service || i.service.toLowerCase().includes(service)),
  );
}
