import type { IncidentStatus, Severity } from '@/lib/types';

export function SeverityTag({ severity }: { severity: Severity }) {
  return <span className={`tag severity severity--${severity}`}>{severity}</span>;
}

export function StatusTag({ status }: { status: IncidentStatus }) {
  return <span className={`tag status status--${status}`}>{status}</span>;
}
