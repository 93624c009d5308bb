import type { AiCatalogStatus } from '@/lib/aiTypes';
import { describeAiState, formatCount, formatLatency, formatUsd } from '@/lib/figures';

/** Every AI service of the system, configured or not, with its state and its figures (last hour / all time). */
export function AiServiceTable({ services }: { services: AiCatalogStatus[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="ai-services">
        <caption className="sr-only">AI services: state, calls, errors, tokens, latency and cost, last hour and in total</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">State</th>
            <th scope="col" className="num">Calls (1 h / total)</th>
            <th scope="col" className="num">Errors</th>
            <th scope="col" className="num">Tokens in / out</th>
            <th scope="col" className="num">p50 / p95 (1 h)</th>
            <th scope="col" className="num">Cost (1 h / total)</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => {
            const state = describeAiState(s.state, s.setting, s.stateReason);
            return (
              <tr key={s.id} data-service-id={s.id} data-state={s.state}>
                <th scope="row">
                  <span className="cell-strong">{s.name}</span>
                  <span className="cell-note mono">{s.model ?? s.service}</span>
                </th>
                <td>
                  <span className={`tag tag--${state.tone}`}>{state.label}</span>
                  {state.hint && <span className="cell-note cell-note--wrap">{state.hint}</span>}
                  {s.state === 'healthy' && <span className="cell-note cell-note--wrap">{s.stateReason}</span>}
                </td>
                <td className="num" data-testid="calls">
                  {formatCount(s.lastHour.calls)} / {formatCount(s.allTime.calls)}
                </td>
                <td className="num">{formatCount(s.allTime.errors)}</td>
                <td className="num">
                  {formatCount(s.allTime.inputTokens)} / {formatCount(s.allTime.outputTokens)}
                </td>
                <td className="num">
                  {formatLatency(s.lastHour.latencyP50Ms)} / {formatLatency(s.lastHour.latencyP95Ms)}
                </td>
                <td className="num">
                  {formatUsd(s.lastHour.costUsd)} / {formatUsd(s.allTime.costUsd)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
