'use client';

import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Interval } from '@/lib/types';
import { ACCENT, AXIS, BAND, GRID, TOOLTIP, shortDay } from './chartTheme';

/**
 * Mean time to resolve per UTC day as a line; the band is the whole period's 95% interval of the mean (the API gives
 * no per-day interval: a day holds too few incidents for one), said in the caption.
 */
export function MttrChart({ daily, interval }: { daily: { day: string; mttrMinutes: number | null }[]; interval: Interval }) {
  const band = interval.low !== null && interval.high !== null ? [interval.low, interval.high] : null;
  const rows = daily.map((d) => ({ day: shortDay(d.day), mttr: d.mttrMinutes, band }));
  return (
    <figure className="chart" aria-label="Mean time to resolve per day">
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tick={AXIS} stroke={AXIS.stroke} />
          <YAxis tick={AXIS} stroke={AXIS.stroke} unit=" m" />
          <Tooltip {...TOOLTIP} />
          {band && <Area dataKey="band" name="95% interval (period)" stroke="none" fill={BAND} isAnimationActive={false} />}
          <Line dataKey="mttr" name="MTTR (min)" stroke={ACCENT} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="chart__caption">Line: mean minutes to resolve of the day&apos;s incidents. Band: the period&apos;s 95% interval of the mean.</figcaption>
    </figure>
  );
}
