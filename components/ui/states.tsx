// Loading, error and empty states that keep their box's size, so nothing jumps when data arrives.
import type { ReactNode } from 'react';

export function Loading({ height = 200, label = 'Loading' }: { height?: number; label?: string }) {
  return <div className="skeleton" style={{ height }} role="status" aria-label={label} />;
}

export function ErrorState({ error, height, retry }: { error: unknown; height?: number; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" style={{ minHeight: height }} role="alert">
      <strong>Could not load this.</strong>
      <span>{message}</span>
      {retry && (
        <button type="button" onClick={retry} style={{ marginTop: '0.5rem' }}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ height, children }: { height?: number; children: ReactNode }) {
  return (
    <div className="state" style={{ minHeight: height, padding: '1rem' }}>
      {children}
    </div>
  );
}
