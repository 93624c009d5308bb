'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AiHourPoint } from '@/lib/aiTypes';
import { ACCENT, AXIS, GRID, OK, TOOLTIP } from './chartTheme';

/** Calls (bars) and cost (line, right axis) per UTC hour over the last 24 hours. */
export function AiUsageChart({ hours }: { hours: AiHourPoint[] }) {
  const rows = hours.map((h) => ({
    hour: new Date(h.hour).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }),
    calls: h.calls,
    errors: h.errors,
    cost: h.costUsd,
  }));
  return (
    <figure className="chart" aria-label="AI calls and cost over the last 24 hours">
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: -12 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="hour" tick={AXIS} stroke={AXIS.stroke} interval={3} />
          <YAxis yAxisId="calls" allowDecimals={false} tick={AXIS} stroke={AXIS.stroke} />
          <YAxis yAxisId="cost" orientation="right" tick={AXIS} stroke={AXIS.stroke} tickFormatter={(v: number) => `$${v}`} />
          <Tooltip {...TOOLTIP} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="calls" dataKey="calls" name="calls" fill={ACCENT} isAnimationActive={false} />
          <Bar yAxisId="calls" dataKey="errors" name="errors" fill="#f85149" isAnimationActive={false} />
          <Line yAxisId="cost" dataKey="cost" name="cost (USD)" stroke={OK} strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="chart__caption">UTC hours, the current hour last.</figcaption>
    </figure>
  );
}
