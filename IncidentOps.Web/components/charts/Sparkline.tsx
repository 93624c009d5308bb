'use client';

import { Line, LineChart, ResponsiveContainer } from 'recharts';
import { ACCENT } from './chartTheme';

/** A 7-day trend line beside a figure; its values are in the label for screen readers. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const rows = values.map((v, i) => ({ i, v }));
  return (
    <span className="sparkline" role="img" aria-label={`${label}, last 7 days: ${values.map((v) => (v === null ? 'none' : Math.round(v * 10) / 10)).join(', ')}`}>
      <ResponsiveContainer width="100%" height={28}>
        <LineChart data={rows} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <Line dataKey="v" stroke={ACCENT} strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </span>
  );
}
