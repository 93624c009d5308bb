'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiJson<T> {
  data: T | null;
  /** Why the last read failed, in words; null while fine. */
  error: string | null;
  loading: boolean;
  reload: () => void;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * One JSON read of the API with the person's token, re-read every <paramref name="refreshMs"/> (live pages);
 * a failed refresh keeps the last good data and says why. `path` null waits (nothing to read yet).
 */
export function useApiJson<T>(apiUrl: string, path: string | null, token: () => string | null, refreshMs = 0): ApiJson<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const tokenRef = useRef(token);
  tokenRef.current = token;

  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    const read = async () => {
      try {
        const bearer = tokenRef.current();
        const response = await fetch(`${apiUrl}${path}`, {
          cache: 'no-store',
          signal: AbortSignal.any([abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
          headers: { Accept: 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
        });
        if (!response.ok) {
          const problem = (await response.json().catch(() => null)) as { detail?: string; title?: string } | null;
          throw new Error(`${response.status}: ${problem?.detail ?? problem?.title ?? response.statusText}`);
        }
        setData((await response.json()) as T);
        setError(null);
      } catch (e) {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (!abort.signal.aborted) setLoading(false);
      }
    };
    void read();
    const timer = refreshMs > 0 ? setInterval(() => void read(), refreshMs) : null;
    return () => {
      abort.abort();
      if (timer) clearInterval(timer);
    };
  }, [apiUrl, path, refreshMs, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** POSTs JSON with the person's token; the API's problem detail as the error. */
export async function postJson<T>(apiUrl: string, path: string, body: unknown, token: string | null): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => null)) as (T & { detail?: string; title?: string }) | null;
  if (!response.ok) throw new Error(json?.detail ?? json?.title ?? `${response.status}`);
  return json as T;
}
