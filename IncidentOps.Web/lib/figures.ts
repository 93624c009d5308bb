/** Pure formatting of the figures the dashboards show: intervals, p-values, changes, money, AI service states. */
import type { AiServiceState } from './aiTypes';
import type { Interval } from './types';

/** "12.3 min (95% 8.1–16.5)"; the interval left out when either bound is unknown; "—" without a value. */
export function formatWithInterval(value: number | null | undefined, interval: Interval | null | undefined, unit = 'min'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const main = `${value.toFixed(1)} ${unit}`;
  return interval && interval.low !== null && interval.high !== null
    ? `${main} (95% ${interval.low.toFixed(1)}–${interval.high.toFixed(1)})`
    : main;
}

/** "p = 0.01", "p < 0.001", "p = 0.43"; "no test" when none could be run. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'no test';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** "−23 %, p = 0.01" (a true minus sign), "+5 %, p = 0.43"; "no previous period" without a change. */
export function formatChange(percent: number | null | undefined, p: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return 'no previous period to compare';
  const rounded = Math.round(percent);
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${Math.abs(rounded)} %, ${formatPValue(p)}`;
}

/** Whether a change can be told from chance at the 5 % level, in words. */
export function describeSignificance(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'not enough data for a test';
  return p < 0.05 ? 'unlikely to be chance' : 'could be chance';
}

/** "$12.34", "$0.0012" (small AI costs keep their digits), "$1,234". */
export function formatUsd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  if (amount === 0) return '$0';
  if (Math.abs(amount) < 0.01) return `$${amount.toFixed(4)}`;
  if (Math.abs(amount) >= 1000) return `$${Math.round(amount).toLocaleString('en-US')}`;
  return `$${amount.toFixed(2)}`;
}

/** "78 % (95% 61–89 %)" for a proportion with its Wilson interval; "—" without one. */
export function formatShare(value: number | null | undefined, interval?: Interval | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const main = `${Math.round(value * 100)} %`;
  return interval && interval.low !== null && interval.high !== null
    ? `${main} (95% ${Math.round(interval.low * 100)}–${Math.round(interval.high * 100)} %)`
    : main;
}

export interface StateLabel {
  label: string;
  tone: 'ok' | 'warn' | 'bad' | 'off';
  /** What to do about it, when there is something to do. */
  hint: string | null;
}

/** How a listed AI service's state reads: "Not configured — set AI:GuardrailId", never a blank. */
export function describeAiState(state: AiServiceState, setting: string, reason: string): StateLabel {
  switch (state) {
    case 'healthy':
      return { label: 'Healthy', tone: 'ok', hint: null };
    case 'degraded':
      return { label: 'Degraded', tone: 'warn', hint: reason };
    case 'down':
      return { label: 'Down', tone: 'bad', hint: reason };
    case 'not_configured':
      return { label: 'Not configured', tone: 'off', hint: `set ${setting}` };
    default:
      return { label: 'Unknown', tone: 'off', hint: reason };
  }
}

/** "1.2k", "340", "2.1M" tokens. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (Math.abs(n) >= 10_000) return `${Math.round(n / 1000)}k`;
  if (Math.abs(n) >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

/** "420 ms", "1.3 s"; "—" when there were no calls. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The sum of the calls' costs, rounded as the API rounds its total (8 decimals), so the two can be compared. */
export function sumCost(costs: number[]): number {
  return Math.round(costs.reduce((a, b) => a + b, 0) * 1e8) / 1e8;
}

/** What an agent's timing reads: "ETA 12 s" while it works (when known), "took 1.4 s" when done, else nothing. */
export function describeAgentTime(
  status: { state: string; etaSeconds?: number | null; startedAt?: string | null; finishedAt?: string | null },
  now: number,
): string | null {
  if (status.state === 'processing' || status.state === 'initializing') {
    if (status.etaSeconds === null || status.etaSeconds === undefined || !Number.isFinite(status.etaSeconds)) return null;
    return `ETA ${formatSeconds(Math.max(0, status.etaSeconds))}`;
  }
  if ((status.state === 'completed' || status.state === 'failed') && status.startedAt && status.finishedAt) {
    const took = (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000;
    return Number.isFinite(took) && took >= 0 ? `took ${formatSeconds(took)}` : null;
  }
  void now;
  return null;
}

function formatSeconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.round(s / 60)} min`;
}
