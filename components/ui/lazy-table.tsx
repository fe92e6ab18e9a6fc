'use client';
// A chart's table alternative behind "Show as table": the rows are rendered only once it is
// opened, so hundreds of hidden rows cost nothing at load and hydration.
import { useState, type ReactNode } from 'react';

export function LazyTable({ children, summary = 'Show as table' }: { children: () => ReactNode; summary?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
}
