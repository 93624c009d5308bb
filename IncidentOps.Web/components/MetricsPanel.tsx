import { Sparkline } from '@/components/charts/Sparkline';
import { describeSavings } from '@/lib/demoData';
import { formatShare } from '@/lib/figures';
import { formatClock, formatMinutes } from '@/lib/format';
import type { BusinessMetrics, MetricsSnapshot, MttrEstimate } from '@/lib/types';

/** Headline numbers computed by the API; "no data yet" until the first computation (404). */
export function MetricsPanel({ metrics }: { metrics: MetricsSnapshot | null }) {
  if (!metrics) {
    return (
      <section className="metrics metrics--empty" data-testid="metrics" aria-label="Metrics">
        <span className="metrics__empty">Metrics: no data yet</span>
      </section>
    );
  }
  return (
    <section className="metrics" data-testid="metrics" aria-label="Metrics">
      <Stat label="Incidents handled" value={metrics.incidentsHandled.toLocaleString()} />
      <Stat label="Open incidents" value={metrics.incidentsOpen.toLocaleString()} />
      <div className="stat stat--wide" title={metrics.mttr.definition}>
        <span className="stat__label">Mean time to resolve</span>
        <span className="stat__value stat__value--text">{describeMttr(metrics.mttr)}</span>
        <span className="stat__note">{metrics.mttr.definition}</span>
      </div>
      {metrics.business && <WeekFigures business={metrics.business} />}
      <Stat label="Computed at" value={formatClock(metrics.computedAt)} small />
    </section>
  );
}

/** The last 7 days: median time to resolve with its interval, prevented incidents, the week-over-week change, and how sure we are. */
function WeekFigures({ business }: { business: BusinessMetrics }) {
  const median = business.mttr.medianMinutes;
  const interval = business.mttr.medianInterval;
  const success = business.successRate;
  const daily = business.trends.daily;
  const savings = describeSavings(business.costSavings);
  return (
    <>
      <div className="stat" data-testid="week-incidents">
        <span className="stat__label">Incidents, 7 days</span>
        <span className="stat__value">{daily.reduce((a, d) => a + d.incidents, 0).toLocaleString()}</span>
        <Sparkline values={daily.map((d) => d.incidents)} label="Incidents per day" />
      </div>
      <div className="stat stat--wide" title={business.mttr.definition} data-testid="week-mttr">
        <span className="stat__label">Median time to resolve, 7 days</span>
        <span className="stat__value stat__value--text">
          {median === null ? 'too few resolved' : `${formatMinutes(median)} min`}
          {interval.low !== null && interval.high !== null ? ` (95% ${formatMinutes(interval.low)}–${formatMinutes(interval.high)})` : ''}
        </span>
        <span className="stat__note">{business.trends.change.summary}</span>
        <Sparkline values={daily.map((d) => d.mttrMinutes)} label="Mean minutes to resolve per day" />
      </div>
      <div className="stat" title={business.incidentsPrevented.definition}>
        <span className="stat__label">Prevented, 7 days</span>
        <span className="stat__value">{business.incidentsPrevented.count.toLocaleString()}</span>
      </div>
      <div className="stat" title={`${success.definition} ${success.formula}`}>
        <span className="stat__label">Approved fixes that worked</span>
        <span className="stat__value stat__value--text">
          {success.value === null ? '–' : `${Math.round(success.value * 100)}%`} <span className="muted">({success.numerator}/{success.denominator})</span>
        </span>
      </div>
      <div className="stat" title={`${business.efficiency.definition} ${business.efficiency.formula}`} data-testid="week-efficiency">
        <span className="stat__label">Resolved without escalation</span>
        <span className="stat__value stat__value--text">{formatShare(business.efficiency.value, business.efficiency.interval)}</span>
      </div>
      <div className="stat" title={business.costSavings.prevention.definition} data-testid="week-savings">
        <span className="stat__label">Cost savings, 7 days</span>
        <span className="stat__value stat__value--text">{savings.headline}</span>
        {savings.missing.length > 0 && <span className="stat__note">set {savings.missing.join(', ')}</span>}
      </div>
      <div className="stat" title={business.dataQuality.definition}>
        <span className="stat__label">Confidence</span>
        <span className="stat__value stat__value--text">{business.dataQuality.summary}</span>
      </div>
    </>
  );
}

function Stat({ label, value, small }: { label: string; value: string; small?: boolean }) {
  return (
    <div className="stat">
      <span className="stat__label">{label}</span>
      <span className={small ? 'stat__value stat__value--small' : 'stat__value'}>{value}</span>
    </div>
  );
}

/** "MTTR 12.3 min (95% CI 8.1–16.5, n=14)"; the interval is left out when the API could not compute one. */
export function describeMttr(mttr: MttrEstimate): string {
  if (mttr.sampleSize === 0 || mttr.meanMinutes === null) return 'no resolved incidents yet';
  const ci =
    mttr.ciLowMinutes !== null && mttr.ciHighMinutes !== null
      ? `95% CI ${formatMinutes(mttr.ciLowMinutes)}–${formatMinutes(mttr.ciHighMinutes)}, `
      : '';
  return `MTTR ${formatMinutes(mttr.meanMinutes)} min (${ci}n=${mttr.sampleSize})`;
}
