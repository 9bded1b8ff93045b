// /indikatorer/:code?area=2480&dimension=education: one indicator for one municipality: its
// definition, the total, women and men over time with intervals, the county benchmark and the
// recent trend in words, the inequality measures of the latest year and the gap over time. Every
// chart has its numbers in a table right below it and a CSV download of the same numbers.
import { useMemo } from 'preact/hooks';
import {
  getEquity,
  getIndicator,
  getMunicipalities,
  getSeries,
  type Equity,
  type Observation,
  type Observations,
} from '../api-indicators';
import { SeriesChart, type ChartSeries } from '../components/charts/SeriesChart';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n, type MessageKey, type Translator } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';

/** Umeå: the area shown when the address names none. */
const defaultArea = '2480';

const sexes = [
  { key: 'total', label: 'indicators.sex.total', color: '#1b1f24', dash: '' },
  { key: 'women', label: 'indicators.sex.women', color: '#b3005f', dash: '6 3' },
  { key: 'men', label: 'indicators.sex.men', color: '#0a5a8c', dash: '2 3' },
] as const satisfies readonly { key: string; label: MessageKey; color: string; dash: string }[];

type SexKey = (typeof sexes)[number]['key'];

function sexOf(breakdown: Record<string, string>): SexKey | null {
  const keys = Object.keys(breakdown);
  if (keys.length === 0) return 'total';
  if (keys.length === 1 && (breakdown.sex === 'women' || breakdown.sex === 'men'))
    return breakdown.sex;
  return null;
}

function bySex(data: Observations): Record<SexKey, Observation[]> {
  const out: Record<SexKey, Observation[]> = { total: [], women: [], men: [] };
  for (const o of data.observations) {
    const sex = sexOf(o.breakdown);
    if (sex) out[sex].push(o);
  }
  for (const list of Object.values(out)) list.sort((a, b) => a.period.localeCompare(b.period));
  return out;
}

/** A number for a table cell, or why there is none. */
function cellValue(i18n: Translator, o: Observation | undefined): string {
  if (!o) return '–';
  if (o.value === null)
    return o.status.includes('suppressed') ? i18n.t('indicators.suppressed') : i18n.t('indicators.missing');
  return i18n.formatNumber(o.value);
}

function interval(i18n: Translator, low: number | null, high: number | null): string {
  if (low === null || high === null) return '–';
  return i18n.t('indicators.interval', {
    low: i18n.formatNumber(low),
    high: i18n.formatNumber(high),
  });
}

function round(n: number | null, digits = 3): number | null {
  if (n === null) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** RFC 4180 CSV as a data: URL (with a byte-order mark so that spreadsheets read UTF-8). */
function csvHref(rows: (string | number | null)[][]): string {
  const quote = (cell: string | number | null) => {
    const text = cell === null ? '' : String(cell);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const text = rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${text}`)}`;
}

const tableScroll = { overflowX: 'auto', maxWidth: '100%', marginBottom: '1rem' } as const;
const tableStyle = { borderCollapse: 'collapse', fontVariantNumeric: 'tabular-nums' } as const;
const cellStyle = {
  padding: '0.25rem 0.6rem',
  borderBottom: '1px solid #c9d0d8',
  textAlign: 'right',
  whiteSpace: 'nowrap',
} as const;
const colStyle = { ...cellStyle, whiteSpace: 'normal' } as const;
const headStyle = { ...colStyle, textAlign: 'left' } as const;

function SeriesSection({
  data,
  areaName,
  code,
  area,
}: {
  data: Observations;
  areaName: string;
  code: string;
  area: string;
}) {
  const i18n = useI18n();
  const { t, tk, formatNumber } = i18n;
  const groups = useMemo(() => bySex(data), [data]);
  const shown = sexes.filter((s) => groups[s.key].length > 0);
  const periods = useMemo(
    () => [...new Set(shown.flatMap((s) => groups[s.key].map((o) => o.period)))].sort(),
    [groups],
  );
  const series: ChartSeries[] = useMemo(
    () =>
      shown.map((s) => ({
        key: s.key,
        label: t(s.label),
        color: s.color,
        dash: s.dash,
        points: groups[s.key].map((o) => ({
          period: o.period,
          value: o.value,
          low: o.ci_low,
          high: o.ci_high,
        })),
      })),
    [groups, t],
  );
  const csv = useMemo(() => {
    const rows: (string | number | null)[][] = [
      [
        t('indicators.csv.indicator'),
        t('indicators.csv.area'),
        t('indicators.csv.period'),
        t('indicators.csv.sex'),
        t('indicators.csv.value'),
        t('indicators.csv.low'),
        t('indicators.csv.high'),
        t('indicators.csv.status'),
      ],
    ];
    for (const s of shown)
      for (const o of groups[s.key])
        rows.push([code, area, o.period, s.key, o.value, o.ci_low, o.ci_high, o.status.join(' ')]);
    return csvHref(rows);
  }, [groups, code, area, t]);

  if (shown.length === 0) return <p>{t('indicators.noSeries')}</p>;

  const unit = data.indicator.unit ? ` (${data.indicator.unit})` : '';
  const trendFor = (key: SexKey) =>
    data.trends?.find((tr) => tr.area === area && sexOf(tr.breakdown) === key)?.trend;

  return (
    <>
      <h3>{t('indicators.markers')}</h3>
      <ul data-testid="markers">
        {shown.map((s) => {
          const list = groups[s.key];
          const latest = [...list].reverse().find((o) => o.benchmark);
          const trend = trendFor(s.key);
          return (
            <li key={s.key}>
              <strong>{t(s.label)}:</strong>{' '}
              {latest?.benchmark
                ? latest.benchmark.at_95 === 'not_compared'
                  ? t('indicators.benchmark.notCompared', { period: latest.period })
                  : t('indicators.benchmark.text', {
                      period: latest.period,
                      value: cellValue(i18n, latest),
                      county: latest.benchmark.value === null ? '–' : formatNumber(latest.benchmark.value),
                      at95: tk(`indicators.compare.${latest.benchmark.at_95}`, latest.benchmark.at_95),
                      at998: tk(`indicators.compare.${latest.benchmark.at_998}`, latest.benchmark.at_998),
                    })
                : t('indicators.benchmark.none')}{' '}
              {trend
                ? trend.first_year !== undefined && trend.last_year !== undefined
                  ? t('indicators.trend.text', {
                      outcome: tk(`indicators.trend.${trend.outcome}`, trend.outcome),
                      judgement: tk(`indicators.judgement.${trend.judgement}`, trend.judgement),
                      from: trend.first_year,
                      to: trend.last_year,
                    })
                  : t('indicators.trend.short', {
                      outcome: tk(`indicators.trend.${trend.outcome}`, trend.outcome),
                    })
                : null}
            </li>
          );
        })}
      </ul>
      <SeriesChart
        series={series}
        label={t('indicators.seriesChartLabel', { area: areaName })}
        tableId="series-table"
        testId="series-chart"
      />
      <div style={tableScroll} tabIndex={0} role="region" aria-labelledby="series-table-caption">
        <table id="series-table" style={tableStyle} data-testid="series-table">
          <caption id="series-table-caption" style={{ textAlign: 'left', fontWeight: 600 }}>
            {t('indicators.seriesTable', { area: areaName })}
            {unit}
          </caption>
          <thead>
            <tr>
              <th scope="col" style={headStyle}>
                {t('indicators.period')}
              </th>
              {shown.map((s) => [
                <th key={s.key} scope="col" style={colStyle}>
                  {t(s.label)}
                </th>,
                <th key={`${s.key}-ci`} scope="col" style={colStyle}>
                  {t('indicators.intervalOf', { series: t(s.label) })}
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {periods.map((period) => (
              <tr key={period}>
                <th scope="row" style={headStyle}>
                  {period}
                </th>
                {shown.map((s) => {
                  const o = groups[s.key].find((x) => x.period === period);
                  return [
                    <td key={s.key} style={cellStyle}>
                      {cellValue(i18n, o)}
                    </td>,
                    <td key={`${s.key}-ci`} style={cellStyle}>
                      {o ? interval(i18n, o.ci_low, o.ci_high) : '–'}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={csv} download={`${code}-${area}.csv`} data-testid="series-csv">
          {t('indicators.downloadCsv')}
        </a>
      </p>
    </>
  );
}

function EquitySection({
  data,
  areaName,
  code,
  area,
}: {
  data: Equity;
  areaName: string;
  code: string;
  area: string;
}) {
  const i18n = useI18n();
  const { t, tk, formatNumber } = i18n;
  const dimension = tk(`indicators.dimension.${data.dimension}`, data.dimension);
  const gapMeasure = data.gap?.measure ?? 'd';
  const gapName = tk(`indicators.measure.${gapMeasure}`, gapMeasure);
  const over = useMemo(
    () =>
      [...data.over_time]
        .sort((a, b) => a.period.localeCompare(b.period))
        .map((row) => ({ period: row.period, estimate: row.measures[gapMeasure] })),
    [data, gapMeasure],
  );
  const series: ChartSeries[] = useMemo(
    () => [
      {
        key: gapMeasure,
        label: gapName,
        color: '#0b5c4b',
        dash: '',
        points: over.map((row) => ({
          period: row.period,
          value: round(row.estimate?.estimate ?? null),
          low: round(row.estimate?.lower ?? null),
          high: round(row.estimate?.upper ?? null),
        })),
      },
    ],
    [over, gapName],
  );
  const csv = useMemo(
    () =>
      csvHref([
        [
          t('indicators.csv.indicator'),
          t('indicators.csv.area'),
          t('indicators.csv.dimension'),
          t('indicators.csv.measure'),
          t('indicators.csv.period'),
          t('indicators.csv.value'),
          t('indicators.csv.low'),
          t('indicators.csv.high'),
        ],
        ...over.map((row) => [
          code,
          area,
          data.dimension,
          gapMeasure,
          row.period,
          row.estimate?.estimate ?? null,
          row.estimate?.lower ?? null,
          row.estimate?.upper ?? null,
        ]),
      ]),
    [over, code, area, data, gapMeasure, t],
  );
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '–' : formatNumber(round(n) as number));

  return (
    <>
      <div style={tableScroll} tabIndex={0} role="region" aria-labelledby="measures-caption">
        <table style={tableStyle} data-testid="measures-table">
          <caption id="measures-caption" style={{ textAlign: 'left', fontWeight: 600 }}>
            {t('indicators.measuresTable', { dimension, period: data.period, area: areaName })}
          </caption>
          <thead>
            <tr>
              <th scope="col" style={headStyle}>
                {t('indicators.measure')}
              </th>
              <th scope="col" style={colStyle}>
                {t('indicators.estimate')}
              </th>
              <th scope="col" style={colStyle}>
                {t('indicators.interval95')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.measures.map((m) => (
              <tr key={m.id} data-measure={m.id}>
                <th scope="row" style={headStyle}>
                  {tk(`indicators.measure.${m.id}`, m.name)}
                </th>
                {m.error ? (
                  <td colSpan={2} style={{ ...cellStyle, textAlign: 'left' }}>
                    {t('indicators.notComputed', { reason: reasonText(t, m.error) })}{' '}
                    <span class="muted">
                      {t('indicators.reason.detail')} <span lang="en">{m.error}</span>
                    </span>
                  </td>
                ) : (
                  <>
                    <td style={cellStyle}>{fmt(m.estimate)}</td>
                    <td style={cellStyle}>
                      {interval(i18n, round(m.lower), round(m.upper))}
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>{t('indicators.gapTitle', { measure: gapName })}</h3>
      {data.gap && (
        <p data-testid="gap-words">
          {data.gap.change
            ? t('indicators.gap.change', {
                from: data.gap.change.baseline_year ?? '',
                to: data.gap.change.follow_up_year ?? '',
                outcome: tk(`indicators.change.${data.gap.change.outcome}`, data.gap.change.outcome),
              })
            : null}{' '}
          {data.gap.recent_trend
            ? t('indicators.gap.trend', {
                outcome: tk(`indicators.trend.${data.gap.recent_trend.outcome}`, data.gap.recent_trend.outcome),
              })
            : null}
        </p>
      )}
      <SeriesChart
        series={series}
        label={t('indicators.gapChartLabel', { measure: gapName, dimension, area: areaName })}
        tableId="gap-table"
        testId="gap-chart"
      />
      <div style={tableScroll} tabIndex={0} role="region" aria-labelledby="gap-table-caption">
        <table id="gap-table" style={tableStyle} data-testid="gap-table">
          <caption id="gap-table-caption" style={{ textAlign: 'left', fontWeight: 600 }}>
            {t('indicators.gapTable', { measure: gapName, dimension, area: areaName })}
          </caption>
          <thead>
            <tr>
              <th scope="col" style={headStyle}>
                {t('indicators.period')}
              </th>
              <th scope="col" style={colStyle}>
                {gapName}
              </th>
              <th scope="col" style={colStyle}>
                {t('indicators.interval95')}
              </th>
            </tr>
          </thead>
          <tbody>
            {over.map((row) => (
              <tr key={row.period}>
                <th scope="row" style={headStyle}>
                  {row.period}
                </th>
                <td style={cellStyle}>{fmt(row.estimate?.estimate)}</td>
                <td style={cellStyle}>
                  {interval(i18n, round(row.estimate?.lower ?? null), round(row.estimate?.upper ?? null))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={csv} download={`${code}-${area}-${data.dimension}-${gapMeasure}.csv`} data-testid="gap-csv">
          {t('indicators.downloadCsv')}
        </a>
      </p>
    </>
  );
}

/**
 * Why a measure of inequality could not be computed, in the reader's language. The API gives
 * the statistics engine's English sentence (src/stats/inequality.cpp); its kind is recognised
 * here and the sentence itself is shown after it, marked as English.
 */
export function reasonText(t: Translator['t'], error: string): string {
  const few = /needs at least (\d+) subgroups, the set has (\d+)/.exec(error);
  if (few) return t('indicators.reason.fewGroups', { needed: few[1], have: few[2] });
  if (/applies to ordered dimensions only/.test(error)) return t('indicators.reason.orderedOnly');
  if (/applies to non-ordered dimensions only/.test(error))
    return t('indicators.reason.unorderedOnly');
  if (/population/.test(error)) return t('indicators.reason.population');
  if (/is negative/.test(error)) return t('indicators.reason.negative');
  if (/reference subgroup|which two to compare/.test(error)) return t('indicators.reason.reference');
  if (/standard error|limits|interval/.test(error)) return t('indicators.reason.interval');
  if (/strictly between|scale/.test(error)) return t('indicators.reason.range');
  return t('indicators.reason.other');
}

export function IndicatorPage({ code }: { code: string }) {
  const i18n = useI18n();
  const { t, tk, lang } = i18n;
  const location = useLocation();
  const area = location.query.get('area') || defaultArea;
  const indicator = useAsync((signal) => getIndicator(code, signal), [code]);
  const areas = useAsync((signal) => getMunicipalities(signal), []);
  const series = useAsync((signal) => getSeries(code, area, signal), [code, area]);
  const dimensions = indicator.data?.dimensions ?? [];
  const dimension =
    location.query.get('dimension') ||
    (dimensions.includes('education') ? 'education' : dimensions[0]) ||
    null;
  const equity = useAsync(
    (signal) =>
      indicator.data && dimension ? getEquity(code, area, dimension, signal) : Promise.resolve(null),
    [code, area, dimension, indicator.data],
  );

  const areaName =
    areas.data?.items.find((a) => a.code === area)?.name ?? area;

  const errors: string[] = [];
  if (indicator.error)
    errors.push(t('indicators.error.indicator', { message: describeError(t, indicator.error) }));
  if (areas.error)
    errors.push(t('indicators.error.areas', { message: describeError(t, areas.error) }));
  if (series.error)
    errors.push(t('indicators.error.series', { message: describeError(t, series.error) }));
  if (equity.error)
    errors.push(t('indicators.error.equity', { message: describeError(t, equity.error) }));
  const retry = () => {
    indicator.reload();
    areas.reload();
    series.reload();
    equity.reload();
  };

  const go = (params: Record<string, string | null>) =>
    navigate(
      hrefFor(location.path, lang, {
        area: location.query.get('area'),
        dimension: location.query.get('dimension'),
        ...params,
      }),
    );

  const def = indicator.data;
  return (
    <>
      <p>
        <Link href={hrefFor('/indikatorer', lang)}>{t('indicators.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{def ? def.title : code}</h1>
      <ErrorAlert messages={errors} onRetry={retry} />
      {indicator.loading && !def && <p class="loading">{t('loading')}</p>}
      {def && (
        <section aria-labelledby="definition-heading">
          <h2 id="definition-heading">{t('indicators.definition')}</h2>
          {def.description && <p>{def.description}</p>}
          <dl data-testid="definition" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '0.25rem 1rem' }}>
            <dt>{t('indicators.code')}</dt>
            <dd style={{ margin: 0 }}>{def.code}</dd>
            <dt>{t('indicators.unit')}</dt>
            <dd style={{ margin: 0 }}>{def.unit || '–'}</dd>
            <dt>{t('indicators.valueType')}</dt>
            <dd style={{ margin: 0 }}>{tk(`indicators.valueType.${def.value_type}`, def.value_type)}</dd>
            <dt>{t('indicators.direction')}</dt>
            <dd style={{ margin: 0 }}>{tk(`indicators.direction.${def.direction}`, def.direction)}</dd>
            <dt>{t('indicators.source')}</dt>
            <dd style={{ margin: 0 }}>
              {tk(`indicators.source.${def.source}`, def.source)}
              {def.source_table ? ` (${def.source_table})` : ''}
            </dd>
            <dt>{t('indicators.periods')}</dt>
            <dd style={{ margin: 0 }}>
              {def.first_period ? `${def.first_period}–${def.last_period ?? ''}` : '–'}
            </dd>
            <dt>{t('indicators.dimensions')}</dt>
            <dd style={{ margin: 0 }}>
              {def.dimensions.length
                ? def.dimensions.map((d) => tk(`indicators.dimension.${d}`, d)).join(', ')
                : '–'}
            </dd>
          </dl>
        </section>
      )}

      <form
        onSubmit={(e) => e.preventDefault()}
        style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', margin: '1rem 0' }}
        aria-label={t('indicators.choices')}
      >
        <div style={{ display: 'flex', flexDirection: 'column' }}>
          <label for="indicator-area">{t('indicators.area')}</label>
          <select
            id="indicator-area"
            value={area}
            onChange={(e) => go({ area: (e.target as HTMLSelectElement).value })}
            style={{ font: 'inherit', padding: '0.3rem', maxWidth: '100%' }}
          >
            {!areas.data?.items.some((a) => a.code === area) && <option value={area}>{area}</option>}
            {areas.data?.items.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        {dimensions.length > 0 && (
          <div style={{ display: 'flex', flexDirection: 'column' }}>
            <label for="indicator-dimension">{t('indicators.dimension')}</label>
            <select
              id="indicator-dimension"
              value={dimension ?? ''}
              onChange={(e) => go({ dimension: (e.target as HTMLSelectElement).value })}
              style={{ font: 'inherit', padding: '0.3rem', maxWidth: '100%' }}
            >
              {dimensions.map((d) => (
                <option key={d} value={d}>
                  {tk(`indicators.dimension.${d}`, d)}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>

      <section aria-labelledby="series-heading" aria-busy={series.loading}>
        <h2 id="series-heading">{t('indicators.seriesTitle', { area: areaName })}</h2>
        {series.loading && !series.data ? (
          <p class="loading">{t('loading')}</p>
        ) : series.data ? (
          <SeriesSection data={series.data} areaName={areaName} code={code} area={area} />
        ) : null}
      </section>

      {dimension && (
        <section aria-labelledby="equity-heading" aria-busy={equity.loading}>
          <h2 id="equity-heading">
            {t('indicators.equityTitle', {
              dimension: tk(`indicators.dimension.${dimension}`, dimension),
            })}
          </h2>
          {equity.loading && !equity.data ? (
            <p class="loading">{t('loading')}</p>
          ) : equity.data ? (
            <EquitySection data={equity.data} areaName={areaName} code={code} area={area} />
          ) : null}
        </section>
      )}
    </>
  );
}
