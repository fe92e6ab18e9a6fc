// A flag as a small labelled badge.
import type { FlagName } from '@/lib/analysis/flags';
import { FLAG_LABEL } from '@/lib/format/signals';

export function FlagBadge({ flag }: { flag: FlagName }) {
  return <span className="badge bad">{FLAG_LABEL[flag]}</span>;
}
