import type { ConnectionState } from '@/lib/types';

const HINT: Record<ConnectionState, string> = {
  connected: 'Receiving live events',
  reconnecting: 'Connection lost; reconnecting automatically',
  offline: 'Not connected; retrying automatically',
};

/** The live-connection state. Its text is exactly the state name (tests and responders rely on it). */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  return (
    <span className={`connection connection--${state}`} title={HINT[state]} role="status" aria-live="polite">
      <span className="connection__dot" aria-hidden="true" />
      <span data-testid="connection-state">{state}</span>
    </span>
  );
}
