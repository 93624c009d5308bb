/** Colours and axis styling shared by the charts (the console's palette, readable on its dark surface). */
export const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#f85149',
  error: '#fb8f44',
  warning: '#d29922',
  info: '#58a6ff',
};

export const AXIS = { stroke: '#8b96a5', fontSize: 11 };
export const GRID = '#2a3441';
export const ACCENT = '#4c9aff';
export const BAND = 'rgba(76, 154, 255, 0.22)';
export const OK = '#3fb950';
export const TOOLTIP = {
  contentStyle: { background: '#1c2430', border: '1px solid #2a3441', borderRadius: 6, fontSize: 12 },
  labelStyle: { color: '#e6edf3' },
};

/** "Mon 30" from an ISO day. */
export function shortDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
}
