// A small inline spine chart for one indicator row of the area profile (Fingertips style): a
// horizontal scale centred on Riket's value, the area's value as a marker whose shape and colour
// follow its comparison with Riket, its 95 % interval as a line, and the county's value as a tick.
// Plain SVG, no chart library, so that a profile of hundreds of rows stays quick.
import type { Comparison } from '../../api-profile';

/** Colours with at least 3:1 contrast against white (WCAG 1.4.11); the shape differs too. */
export const comparisonColors: Record<Comparison, string> = {
  better: '#1b7a3a',
  similar: '#8a6a00',
  worse: '#c0182b',
  higher: '#1f4e9c',
  lower: '#6a3d9a',
  not_compared: '#59636e',
};

/** The marker's shape centred on (x, y) with half-size r. */
function shape(kind: Comparison, x: number, y: number, r: number) {
  const color = comparisonColors[kind];
  switch (kind) {
    case 'better':
      return <circle cx={x} cy={y} r={r} fill={color} stroke="#ffffff" stroke-width="1" />;
    case 'similar':
      return (
        <polygon
          points={`${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}`}
          fill={color}
          stroke="#ffffff"
          stroke-width="1"
        />
      );
    case 'worse':
      return (
        <rect x={x - r + 0.5} y={y - r + 0.5} width={2 * r - 1} height={2 * r - 1} fill={color} stroke="#ffffff" stroke-width="1" />
      );
    case 'higher':
      return (
        <polygon
          points={`${x},${y - r - 1} ${x + r + 1},${y + r} ${x - r - 1},${y + r}`}
          fill={color}
          stroke="#ffffff"
          stroke-width="1"
        />
      );
    case 'lower':
      return (
        <polygon
          points={`${x - r - 1},${y - r} ${x + r + 1},${y - r} ${x},${y + r + 1}`}
          fill={color}
          stroke="#ffffff"
          stroke-width="1"
        />
      );
    default:
      return <circle cx={x} cy={y} r={r - 1} fill="#ffffff" stroke={color} stroke-width="2" />;
  }
}

/** The comparison's symbol on its own, for the comparison column and the legend. */
export function ComparisonSymbol({ kind }: { kind: Comparison }) {
  return (
    <svg class="spine-symbol" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      {shape(kind, 7, 7, 5)}
    </svg>
  );
}

interface Props {
  value: number | null;
  low: number | null;
  high: number | null;
  county: number | null;
  country: number | null;
  comparison: Comparison;
  /** The same numbers in words (the chart's accessible name). */
  label: string;
}

const width = 136;
const height = 26;
const pad = 8;
const mid = height / 2;

/**
 * Each row has its own scale: Riket in the middle, the edges a little beyond the figure farthest
 * from it (value, interval or county), so that the marker's side and distance can be read.
 */
export function SpineChart({ value, low, high, county, country, comparison, label }: Props) {
  const centre = country ?? county ?? value;
  if (centre === null)
    return (
      <svg class="spine" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="spine">
        <rect x="0" y={mid - 5} width={width} height="10" fill="#eef1f4" />
      </svg>
    );
  let half = 0;
  for (const v of [value, low, high, county, country])
    if (v !== null && Number.isFinite(v)) half = Math.max(half, Math.abs(v - centre));
  if (half === 0) half = Math.abs(centre) * 0.1 || 1;
  half *= 1.1;
  const x = (v: number) => {
    const px = width / 2 + ((v - centre) / half) * (width / 2 - pad);
    return Math.min(width - 2, Math.max(2, px));
  };
  return (
    <svg
      class="spine"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid="spine"
    >
      <rect x="0" y={mid - 5} width={width} height="10" fill="#eef1f4" />
      {country !== null && (
        <line x1={width / 2} x2={width / 2} y1="1" y2={height - 1} stroke="#1b1f24" stroke-width="2" />
      )}
      {low !== null && high !== null && (
        <line x1={x(low)} x2={x(high)} y1={mid} y2={mid} stroke="#1b1f24" stroke-width="1.5" />
      )}
      {county !== null && (
        <line x1={x(county)} x2={x(county)} y1={mid - 9} y2={mid + 9} stroke="#4a5360" stroke-width="3" stroke-dasharray="3 2" />
      )}
      {value !== null && shape(comparison, x(value), mid, 6)}
    </svg>
  );
}

/** The legend's picture of Riket's centre line, the county's tick or the interval line. */
export function LegendMark({ kind }: { kind: 'country' | 'county' | 'interval' }) {
  return (
    <svg class="spine-symbol" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      {kind === 'country' && <line x1="7" x2="7" y1="0" y2="14" stroke="#1b1f24" stroke-width="2" />}
      {kind === 'county' && (
        <line x1="7" x2="7" y1="0" y2="14" stroke="#4a5360" stroke-width="3" stroke-dasharray="3 2" />
      )}
      {kind === 'interval' && <line x1="0" x2="14" y1="7" y2="7" stroke="#1b1f24" stroke-width="1.5" />}
    </svg>
  );
}
