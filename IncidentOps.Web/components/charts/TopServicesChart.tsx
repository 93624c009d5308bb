'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, GRID, SEVERITY_COLOURS, TOOLTIP } from './chartTheme';

export interface ServiceMinutes {
  service: string;
  minutes: number;
  incidents: number;
}

/** The services that spent the most minutes in incidents. */
export function TopServicesChart({ services }: { services: ServiceMinutes[] }) {
  return (
    <figure className="chart" aria-label="Top services by incident minutes">
      <ResponsiveContainer width="100%" height={Math.max(120, services.length * 34 + 30)}>
        <BarChart data={services} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={GRID} horizontal={false} />
          <XAxis type="number" tick={AXIS} stroke={AXIS.stroke} unit=" m" />
          <YAxis type="category" dataKey="service" tick={AXIS} stroke={AXIS.stroke} width={120} />
          <Tooltip {...TOOLTIP} cursor={{ fill: 'rgba(255,255,255,0.04)' }} />
          <Bar dataKey="minutes" name="incident minutes" fill={SEVERITY_COLOURS.error} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
