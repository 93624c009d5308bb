import { describeSavings } from '@/lib/demoData';
import { describeSignificance, formatChange, formatShare, formatUsd, formatWithInterval } from '@/lib/figures';
import type { BusinessMetrics } from '@/lib/types';

/** The five answers a VP asks for, each with its definition one click away. */
export function HeadlineCards({ week, month }: { week: BusinessMetrics; month: BusinessMetrics }) {
  const change = week.trends.change;
  const savings = describeSavings(week.costSavings);
  return (
    <section className="cards" aria-label="Headline figures">
      <article className="card" data-testid="card-handled">
        <h2 className="card__label">Incidents handled</h2>
        <p className="card__value">
          <span data-testid="handled-7d">{week.incidentsHandled.count.toLocaleString()}</span>
          <span className="card__unit"> in 7 days</span>
        </p>
        <p className="card__note">
          <span data-testid="handled-30d">{month.incidentsHandled.count.toLocaleString()}</span> in 30 days ·{' '}
          <span data-testid="prevented-7d">{week.incidentsPrevented.count.toLocaleString()}</span> prevented (7 d),{' '}
          <span data-testid="prevented-30d">{month.incidentsPrevented.count.toLocaleString()}</span> (30 d)
        </p>
        <Definition text={`${week.incidentsHandled.definition} Prevented: ${week.incidentsPrevented.definition}`} />
      </article>

      <article className="card" data-testid="card-mttr">
        <h2 className="card__label">Mean time to resolve, 7 days</h2>
        <p className="card__value card__value--text" data-testid="mttr-7d">
          {formatWithInterval(week.mttr.meanMinutes, week.mttr.tInterval)}
        </p>
        <p className="card__note">
          30 days: <span data-testid="mttr-30d">{formatWithInterval(month.mttr.meanMinutes, month.mttr.tInterval)}</span> · n = {week.mttr.sampleSize}
        </p>
        <Definition text={week.mttr.definition} />
      </article>

      <article className="card" data-testid="card-median">
        <h2 className="card__label">Median time to resolve, 7 days</h2>
        <p className="card__value card__value--text" data-testid="median-7d">
          {formatWithInterval(week.mttr.medianMinutes, week.mttr.medianInterval)}
        </p>
        <p className="card__note">
          vs the previous 7 days: <strong data-testid="mttr-change">{formatChange(change.mttrChangePercent, change.mttrPValue)}</strong>{' '}
          <span className="muted">({describeSignificance(change.mttrPValue)})</span>
        </p>
        <Definition text={`${week.trends.definition} ${change.summary}`} />
      </article>

      <article className="card" data-testid="card-success">
        <h2 className="card__label">AI-proposed fixes that worked</h2>
        <p className="card__value card__value--text" data-testid="success-rate">
          {formatShare(week.successRate.value, week.successRate.interval)}
        </p>
        <p className="card__note">
          {week.successRate.numerator} of {week.successRate.denominator} resolved with an approved AI remediation, 7 days
        </p>
        <Definition text={`${week.successRate.definition} ${week.successRate.formula}`} />
      </article>

      <article className="card" data-testid="card-savings">
        <h2 className="card__label">Cost savings, 7 days</h2>
        <p className="card__value card__value--text" data-testid="savings">
          {savings.headline}
        </p>
        {savings.missing.length > 0 ? (
          <p className="card__note" data-testid="savings-missing">
            Set {savings.missing.map((m, i) => (
              <span key={m}>
                {i > 0 ? ', ' : ''}
                <code className="mono">{m}</code>
              </span>
            ))}
          </p>
        ) : (
          <p className="card__note">prevention {formatUsd(week.costSavings.prevention.amount)} · faster resolution {formatUsd(week.costSavings.fasterResolution.amount)}</p>
        )}
        <details className="card__details">
          <summary>The arithmetic</summary>
          <p>{week.costSavings.prevention.definition}</p>
          <pre className="mono">{week.costSavings.prevention.arithmetic ?? 'prevention: not computed (settings missing)'}</pre>
          <p>{week.costSavings.fasterResolution.definition}</p>
          <pre className="mono">{week.costSavings.fasterResolution.arithmetic ?? 'faster resolution: not computed (settings missing)'}</pre>
        </details>
      </article>
    </section>
  );
}

function Definition({ text }: { text: string }) {
  return (
    <details className="card__details">
      <summary>Definition</summary>
      <p>{text}</p>
    </details>
  );
}
