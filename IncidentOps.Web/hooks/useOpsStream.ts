'use client';

import {
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
  type ILogger,
  type ISubscription,
} from '@microsoft/signalr';
import { useEffect, useReducer, useState } from 'react';
import { compareEventIds, isEventId } from '@/lib/eventId';
import { loadSnapshot } from '@/lib/opsApi';
import { initialOpsState, opsReducer, type OpsState } from '@/lib/opsState';
import type { ConnectionState, OpsEvent } from '@/lib/types';

/** Capped backoff shared by automatic reconnects, fresh starts and resubscribes: 0, 1s, 2s, 5s, then 5s forever. */
const RETRY_DELAYS_MS = [0, 1_000, 2_000, 5_000];
const retryDelay = (attempt: number) => RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];

// Expected outages (API restarting) would otherwise hit console.error, which Next's dev overlay
// reports as an application error; the badge already tells the responder, so warnings suffice.
const quietLogger: ILogger = {
  log(level, message) {
    if (level >= LogLevel.Warning && level !== LogLevel.None) console.warn(`[ops-stream] ${message}`);
  },
};

export interface OpsStream {
  state: OpsState;
  connection: ConnectionState;
  /** Why we are not connected, for the banner; null while connected. */
  lastError: string | null;
}

/**
 * The dashboard's one live connection: snapshot over REST (the API), then the hub's `WatchFrames(afterId)`
 * from the snapshot's cursor, its frames arriving at the `frames` handler. Every (re)subscription resumes from the
 * newest event id seen, and the reducer drops anything at or before it, so gaps and duplicates cannot happen.
 */
export function useOpsStream(apiUrl: string, hubUrl: string, token: () => string | null): OpsStream {
  const [state, dispatch] = useReducer(opsReducer, initialOpsState);
  const [connection, setConnection] = useState<ConnectionState>('offline');
  const [lastError, setLastError] = useState<string | null>(null);

  useEffect(() => {
    const base = apiUrl.replace(/\/+$/, '');
    const hubBase = hubUrl.replace(/\/+$/, '');
    const aborter = new AbortController();
    let disposed = false;
    let cursor: string | null = null;
    let subscription: ISubscription<unknown> | null = null;
    let generation = 0;
    let resubscribeAttempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const hub: HubConnection = new HubConnectionBuilder()
      .withUrl(`${hubBase}/hubs/ops`, { accessTokenFactory: () => token() ?? '' })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ({ previousRetryCount }) => retryDelay(previousRetryCount) })
      .configureLogging(quietLogger)
      .build();

    const later = (ms: number, action: () => void) => {
      clearTimeout(timer);
      timer = setTimeout(() => !disposed && action(), ms);
    };

    // Frames: several events per message (oldest first), written once on the hub for every screen. A frame of an
    // older subscription still arriving is harmless: the reducer ignores what it has already applied.
    hub.on('frames', (frame: OpsEvent[]) => {
      if (disposed) return;
      resubscribeAttempts = 0;
      for (const event of frame ?? []) {
        if (isEventId(event?.id) && compareEventIds(event.id, cursor) > 0) cursor = event.id;
        dispatch({ type: 'event', event });
      }
    });

    const subscribe = () => {
      // A newer subscription makes every callback of the older one a no-op.
      const mine = ++generation;
      subscription?.dispose();
      // The stream itself carries no items: it stays open while frames flow, and ends with a resync or an error.
      subscription = hub.stream<unknown>('WatchFrames', cursor).subscribe({
        next: () => {},
        error: (err) => streamEnded(mine, err),
        complete: () => streamEnded(mine, null),
      });
    };

    // Automatic reconnect does not resume streams: onreconnected resubscribes after a lost
    // connection; here we only cover a stream that ended while the connection stayed up.
    const streamEnded = (mine: number, err: unknown) => {
      if (mine !== generation) return;
      subscription = null;
      if (err) console.warn('[ops-stream] stream ended:', describe(err));
      // Too far behind for a replay: the hub says so; reload the state and continue from its cursor.
      if (describe(err).includes('resync:')) {
        later(250, () => void start(0));
        return;
      }
      later(Math.max(250, retryDelay(resubscribeAttempts++)), () => {
        if (mine === generation && hub.state === HubConnectionState.Connected) subscribe();
      });
    };

    const start = async (attempt: number) => {
      try {
        const snapshot = await loadSnapshot(base, aborter.signal, token());
        if (disposed) return;
        dispatch({ type: 'snapshot', incidents: snapshot.items, metrics: snapshot.metrics, approvals: snapshot.approvals, lastEventId: snapshot.lastEventId });
        cursor = snapshot.lastEventId;
        await hub.start();
        if (disposed) return;
        resubscribeAttempts = 0;
        subscribe();
        setConnection('connected');
        setLastError(null);
      } catch (err) {
        if (disposed) return;
        setConnection('offline');
        setLastError(describe(err));
        later(Math.max(1_000, retryDelay(attempt + 1)), () => void start(attempt + 1));
      }
    };

    hub.onreconnecting((err) => {
      generation++;
      subscription = null;
      setConnection('reconnecting');
      setLastError(err ? describe(err) : 'connection lost');
    });
    hub.onreconnected(() => {
      resubscribeAttempts = 0;
      subscribe();
      setConnection('connected');
      setLastError(null);
    });
    // Closed for good (the server closed without reconnect): start over, snapshot included.
    hub.onclose((err) => {
      if (disposed) return;
      generation++;
      subscription = null;
      setConnection('offline');
      setLastError(err ? describe(err) : 'connection closed');
      later(1_000, () => void start(0));
    });

    void start(0);

    return () => {
      disposed = true;
      generation++;
      clearTimeout(timer);
      aborter.abort();
      subscription?.dispose();
      hub.stop().catch(() => {});
    };
    // token is a stable reader of the current token: a refreshed token does not restart the stream.
  }, [apiUrl, hubUrl, token]);

  return { state, connection, lastError };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'unknown error';
}
