'use client';

import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SurvivalPoint } from '@/lib/types';
import { ACCENT, AXIS, BAND, GRID, TOOLTIP } from './chartTheme';

/** Kaplan–Meier: the share of incidents still open after t minutes (open incidents censored), with its 95% band. */
export function SurvivalChart({ curve }: { curve: SurvivalPoint[] }) {
  const rows = [{ time: 0, survival: 1, band: [1, 1] }, ...curve.map((p) => ({
    time: Math.round(p.time),
    survival: p.survival,
    band: p.low !== null && p.high !== null ? [p.low, p.high] : null,
  }))];
  return (
    <figure className="chart" aria-label="Kaplan–Meier time to resolve">
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="time" type="number" tick={AXIS} stroke={AXIS.stroke} unit=" m" domain={[0, 'dataMax']} />
          <YAxis tick={AXIS} stroke={AXIS.stroke} domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <Tooltip {...TOOLTIP} formatter={(v) => (Array.isArray(v) ? v.map((x) => `${Math.round(Number(x) * 100)}%`).join('–') : `${Math.round(Number(v) * 100)}%`)} />
          <Area dataKey="band" type="stepAfter" name="95% band" stroke="none" fill={BAND} isAnimationActive={false} />
          <Line dataKey="survival" type="stepAfter" name="still open" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="chart__caption">Share of incidents not yet resolved after t minutes; open incidents count until now (censored).</figcaption>
    </figure>
  );
}
