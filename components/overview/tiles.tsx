// The overview's tiles: volumes per minute and each flag's current rate against its baseline.
import { formatChange, formatCount, formatPercent } from '@/lib/format/number';
import { tileChange, type Tile } from '@/lib/format/signals';

export function Tiles({ tiles }: { tiles: Tile[] }) {
  return (
    <div className="tiles">
      {tiles.map((t) => {
        const change = tileChange(t, formatChange);
        const up = t.kind === 'rate' && change !== 'at baseline' && t.value > t.baseline;
        return (
          <div className="tile" key={t.label} data-testid={`tile-${t.flag ?? t.label.split(' ')[0]!.toLowerCase()}`}>
            <div className="label">{t.label}</div>
            <div className="value">{t.kind === 'rate' ? formatPercent(t.value) : formatCount(Math.round(t.value))}</div>
            <div className={`change${up ? ' up' : ''}`}>
              {change}
              {t.kind === 'rate' && t.baseline > 0 ? ` (expected ${formatPercent(t.baseline)})` : ''}
            </div>
            <div className="muted small">{t.detail}</div>
          </div>
        );
      })}
    </div>
  );
}
