// A line chart of one or more series with 95 % interval bands. The drawing (Observable Plot) is
// loaded on demand; the chart is an image whose text alternative is the table the page shows
// right below it (`tableId`).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidth } from '../../hooks';
import { useI18n } from '../../i18n';
import type { ChartSeries } from './types';

export type { ChartPoint, ChartSeries } from './types';

interface Props {
  series: ChartSeries[];
  /** Accessible name of the chart image. */
  label: string;
  /** The id of the table with the same numbers. */
  tableId: string;
  testId?: string;
}

export function SeriesChart({ series, label, tableId, testId }: Props) {
  const { t, formatNumber } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const [failed, setFailed] = useState<unknown>(undefined);

  useEffect(() => {
    const element = box.current;
    if (!element || width <= 0) return;
    let cancelled = false;
    const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
    import('./render').then(
      ({ renderChart }) => {
        if (cancelled) return;
        const svg = renderChart(series, periods, width, formatNumber);
        svg.setAttribute('aria-hidden', 'true');
        element.replaceChildren(svg);
        setFailed(undefined);
      },
      (error: unknown) => {
        if (!cancelled) setFailed(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [series, width, formatNumber]);

  return (
    <figure style={{ margin: '1rem 0' }} data-testid={testId}>
      <div
        role="img"
        aria-label={label}
        aria-describedby={tableId}
        ref={box}
        style={{ width: '100%', minHeight: '220px' }}
      />
      {failed !== undefined && (
        <p role="alert">{t('indicators.chartFailed', { message: String(failed) })}</p>
      )}
      <figcaption>
        <ul
          style={{ listStyle: 'none', padding: 0, margin: '0.25rem 0', display: 'flex', flexWrap: 'wrap', gap: '0.25rem 1rem' }}
        >
          {series.map((s) => (
            <li key={s.key} style={{ display: 'inline-flex', alignItems: 'center', gap: '0.4rem' }}>
              <svg width="28" height="10" aria-hidden="true">
                <line x1="0" y1="5" x2="28" y2="5" stroke={s.color} stroke-width="3" stroke-dasharray={s.dash} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
        <span class="meta">{t('indicators.chartNote')}</span>
      </figcaption>
    </figure>
  );
}
