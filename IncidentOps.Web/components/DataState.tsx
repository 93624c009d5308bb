import type { ReactNode } from 'react';

/**
 * The designed states of a panel that reads the API: loading (a skeleton of the panel's height), error (what failed,
 * and that it retries), empty (what to do next), else the content.
 */
export function DataState({
  loading,
  error,
  empty,
  emptyText,
  children,
  height = 160,
}: {
  loading: boolean;
  error: string | null;
  empty: boolean;
  emptyText: ReactNode;
  children: ReactNode;
  height?: number;
}) {
  if (loading) {
    return (
      <div className="state state--loading" style={{ minHeight: height }} role="status" aria-live="polite">
        <span className="skeleton" aria-hidden="true" />
        Loading…
      </div>
    );
  }
  if (error && empty) {
    return (
      <div className="state state--error" style={{ minHeight: height }} role="alert">
        Could not read this from the API ({error}). Retrying automatically.
      </div>
    );
  }
  if (empty) {
    return (
      <div className="state state--empty" style={{ minHeight: height }}>
        {emptyText}
      </div>
    );
  }
  return (
    <>
      {error && (
        <p className="state__stale" role="alert">
          Showing the last good data: {error}
        </p>
      )}
      {children}
    </>
  );
}
