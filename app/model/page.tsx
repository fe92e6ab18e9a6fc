import { ModelPanel } from '@/components/model/model-panel';

export const dynamic = 'force-dynamic';

export default function ModelPage() {
  return (
    <>
      <h1>Model</h1>
      <p className="muted">The transaction model decides which moves are stale or invalid and which services must agree.</p>
      <ModelPanel />
    </>
  );
}
