import { describeAgentTime } from '@/lib/figures';
import { AGENT_PHASES, type AgentPhase, type AgentStatus } from '@/lib/types';

/** The four agents of an incident, in pipeline order, each with its state and progress. */
export function AgentStates({ agents, now = Date.now() }: { agents: Record<AgentPhase, AgentStatus>; now?: number }) {
  return (
    <ol className="agents" aria-label="Agent pipeline">
      {AGENT_PHASES.map((phase) => {
        const status = agents[phase] ?? { state: 'pending', progress: 0 };
        const progress = Math.round(status.progress);
        const timing = describeAgentTime(status, now);
        return (
          <li
            key={phase}
            className={`agent agent--${status.state}`}
            data-testid={`agent-${phase}`}
            data-state={status.state}
            title={status.message ? `${phase}: ${status.message}` : `${phase}: ${status.state}`}
          >
            <span className="agent__head">
              <span className="agent__phase">{phase}</span>
              <span className="agent__state">
                {status.state}
                {status.state === 'processing' || status.state === 'initializing' ? ` ${progress}%` : ''}
              </span>
              {timing && (
                <span className="agent__time" data-testid={`agent-${phase}-time`}>
                  {timing}
                </span>
              )}
            </span>
            <span
              className="agent__bar"
              role="progressbar"
              aria-label={`${phase} progress`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={progress}
            >
              <span className="agent__fill" style={{ width: `${progress}%` }} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}
