'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, GRID, SEVERITY_COLOURS, TOOLTIP, shortDay } from './chartTheme';

export interface DailySeverity {
  day: string;
  severity: Record<string, number>;
}

/** Incidents per UTC day, stacked by severity. */
export function DailySeverityChart({ daily }: { daily: DailySeverity[] }) {
  const rows = daily.map((d) => ({ day: shortDay(d.day), ...d.severity }));
  return (
    <figure className="chart" aria-label="Incidents per day by severity">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tick={AXIS} stroke={AXIS.stroke} />
          <YAxis allowDecimals={false} tick={AXIS} stroke={AXIS.stroke} />
          <Tooltip {...TOOLTIP} cursor={{ fill: 'rgba(255,255,255,0.04)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {['critical', 'error', 'warning', 'info'].map((s) => (
            <Bar key={s} dataKey={s} stackId="severity" fill={SEVERITY_COLOURS[s]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
