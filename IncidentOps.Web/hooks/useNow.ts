'use client';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`, so "open for 7m" keeps counting without new events. */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
