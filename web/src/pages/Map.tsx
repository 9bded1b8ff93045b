// /karta?indicator=CODE&period=P&sex=total|women|men&county=0024&mode=values|compared&sort=name:
// a choropleth of the municipalities for one indicator, period and sex, coloured by value class
// (quintiles of every municipality, the dark end the better one when the indicator has a direction)
// or by the comparison with Riket; missing and suppressed figures hatched grey. The same figures
// are in a sortable table below (the text alternative and the keyboard path, each name a link to
// the municipality's profile) and in a CSV download. The drawing is loaded lazily (MapChart).
import { useMemo, useState } from 'preact/hooks';
import {
  getAreaGeometries,
  getIndicatorsWithData,
  getMunicipalObservations,
  getMunicipalPeriods,
  mapSexes,
  type Indicator,
  type MapSex,
  type Observation,
} from '../api-map';
import type { Comparison } from '../api-profile';
import { MapChart, type MapDrawing } from '../components/charts/MapChart';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n, type MessageKey, type Translator } from '../i18n';
import { hrefFor, Link, navigate, type Location } from '../router';

type Mode = 'values' | 'compared';
type SortKey = 'name' | '-name' | 'value' | '-value';
/** A municipality's category in comparison mode (`missing`: no figure at all). */
type Category = Comparison | 'missing';

const sortKeys: readonly SortKey[] = ['name', '-name', 'value', '-value'];

/** ColorBrewer's YlGnBu, five classes: colour-blind safe, light to dark. */
const classColors = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;

/** The fills of the comparison with Riket; worse and not compared also carry a pattern. */
const categoryFills: Record<Category, string> = {
  better: '#2166ac',
  similar: '#f2e6b3',
  worse: 'url(#map-pattern-worse)',
  higher: '#5e3c99',
  lower: 'url(#map-pattern-lower)',
  not_compared: 'url(#map-pattern-not-compared)',
  missing: 'url(#map-pattern-missing)',
};

const categoryOrder: readonly Category[] = ['better', 'higher', 'similar', 'worse', 'lower', 'not_compared'];

const missingFill = categoryFills.missing;

/** The patterns the map, the legend and the table share (one hidden SVG on the page). */
function PatternDefs() {
  return (
    <svg class="map-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        <pattern id="map-pattern-missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#d5d9de" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#4a5360" stroke-width="1.4" />
        </pattern>
        <pattern id="map-pattern-worse" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
          <rect width="5" height="5" fill="#d7601a" />
          <line x1="0" y1="0" x2="0" y2="5" stroke="#ffffff" stroke-width="1.2" />
        </pattern>
        <pattern id="map-pattern-lower" width="5" height="5" patternUnits="userSpaceOnUse">
          <rect width="5" height="5" fill="#b2abd2" />
          <line x1="0" y1="2.5" x2="5" y2="2.5" stroke="#3f2a70" stroke-width="1" />
        </pattern>
        <pattern id="map-pattern-not-compared" width="5" height="5" patternUnits="userSpaceOnUse">
          <rect width="5" height="5" fill="#ffffff" />
          <circle cx="2.5" cy="2.5" r="1" fill="#4a5360" />
        </pattern>
      </defs>
    </svg>
  );
}

function Swatch({ fill }: { fill: string }) {
  return (
    <svg class="map-swatch" width="22" height="14" viewBox="0 0 22 14" aria-hidden="true" focusable="false">
      <rect x="0.5" y="0.5" width="21" height="13" fill={fill} stroke="#4a5360" stroke-width="1" />
    </svg>
  );
}

function parseSex(value: string | null): MapSex {
  return value === 'women' || value === 'men' ? value : 'total';
}

function parseSort(value: string | null): SortKey {
  return sortKeys.includes(value as SortKey) ? (value as SortKey) : 'name';
}

/** The value at quantile `p` of sorted `values` (linear interpolation, R-7 as d3.quantile). */
function quantile(values: number[], p: number): number {
  const position = (values.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(values.length - 1, below + 1);
  return values[below] + (values[above] - values[below]) * (position - below);
}

interface Classes {
  /** The four inner limits; class k holds values from limit k-1 (inclusive) to limit k. */
  limits: number[];
  min: number;
  max: number;
}

/** Quintiles of every municipality's value (the national distribution, kept when zooming). */
function quintiles(values: number[]): Classes | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    limits: [0.2, 0.4, 0.6, 0.8].map((p) => quantile(sorted, p)),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** The value class, 0 (lowest values) to 4. */
function classOf(classes: Classes, value: number): number {
  let k = 0;
  while (k < classes.limits.length && value >= classes.limits[k]) k += 1;
  return Math.min(k, 4);
}

/** The colour of value class `k`: the dark end is the better one ("lower": the low values). */
function classColor(k: number, direction: Indicator['direction']): string {
  return classColors[direction === 'lower' ? 4 - k : k];
}

function categoryOf(o: Observation | undefined): Category {
  if (!o || o.value === null) return 'missing';
  const at95 = o.benchmark?.at_95 as Comparison | undefined;
  return at95 && at95 in categoryFills ? at95 : 'not_compared';
}

/** A figure for a cell, or why there is none ("skyddat", "saknas"). */
function figure(i18n: Translator, o: Observation | undefined): string {
  if (!o || o.value === null)
    return o?.status.includes('suppressed') ? i18n.t('map.suppressed') : i18n.t('map.missing');
  return i18n.formatNumber(o.value);
}

function interval(i18n: Translator, o: Observation | undefined): string | null {
  if (!o || o.ci_low === null || o.ci_high === null) return null;
  return i18n.t('map.interval', { low: i18n.formatNumber(o.ci_low), high: i18n.formatNumber(o.ci_high) });
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

interface Row {
  code: string;
  name: string;
  observation: Observation | undefined;
  category: Category;
  /** The value class (0–4), null without a value. */
  klass: number | null;
}

/** The indicator with municipal data the page shows when the address names none. */
async function defaultIndicator(
  catalogue: Indicator[],
  signal: AbortSignal,
): Promise<{ code: string | null; periods: string[] }> {
  const order = [...catalogue].sort((a, b) => b.observations - a.observations);
  const batch = 6;
  for (let start = 0; start < order.length && start < 60; start += batch) {
    const candidates = order.slice(start, start + batch);
    const periods = await Promise.all(candidates.map((c) => getMunicipalPeriods(c.code, signal)));
    const found = periods.findIndex((p) => p.length > 0);
    if (found >= 0) return { code: candidates[found].code, periods: periods[found] };
  }
  return { code: null, periods: [] };
}

const mapMaxHeight = 820;

/** Names and titles are Swedish: sorted the Swedish way (Å, Ä, Ö last) in both languages. */
const swedishOrder = new Intl.Collator('sv-SE');

export function MapPage({ location }: { location: Location }) {
  const i18n = useI18n();
  const { t, tk, tn, lang, formatNumber } = i18n;
  const query = location.query;
  const urlIndicator = query.get('indicator') || null;
  const urlPeriod = query.get('period') || null;
  const sex = parseSex(query.get('sex'));
  const county = query.get('county') || null;
  const mode: Mode = query.get('mode') === 'compared' ? 'compared' : 'values';
  const sort = parseSort(query.get('sort'));
  const [filter, setFilter] = useState('');

  const catalogue = useAsync(getIndicatorsWithData, []);
  const municipalities = useAsync((signal) => getAreaGeometries('municipality', signal), []);
  const regions = useAsync((signal) => getAreaGeometries('region', signal), []);
  const chosen = useAsync(
    async (signal) => {
      if (urlIndicator) return { code: urlIndicator, periods: await getMunicipalPeriods(urlIndicator, signal) };
      if (!catalogue.data) return null;
      return defaultIndicator(catalogue.data, signal);
    },
    [urlIndicator, catalogue.data],
  );
  const current = chosen.data && (urlIndicator === null || chosen.data.code === urlIndicator) ? chosen.data : null;
  const code = current?.code ?? null;
  const periods = current?.periods ?? [];
  const period = urlPeriod ?? (periods.length > 0 ? periods[periods.length - 1] : null);
  const observations = useAsync(
    (signal) =>
      code && period ? getMunicipalObservations(code, period, sex, signal) : Promise.resolve(null),
    [code, period, sex],
  );
  const data = observations.data && observations.data.indicator.code === code ? observations.data : null;
  const indicator: Indicator | null =
    data?.indicator ?? catalogue.data?.find((c) => c.code === code) ?? null;
  const direction = indicator?.direction ?? 'none';

  const go = (params: Record<string, string | null>) =>
    navigate(
      hrefFor(location.path, lang, {
        indicator: urlIndicator,
        period: urlPeriod,
        sex: sex === 'total' ? null : sex,
        county,
        mode: mode === 'values' ? null : mode,
        sort: sort === 'name' ? null : sort,
        ...params,
      }),
    );

  // --- what is shown ---------------------------------------------------------------------------
  const regionFeatures = regions.data?.features ?? [];
  const countyFeature = county ? regionFeatures.find((f) => f.properties.code === county) : undefined;
  const countyName = county ? (countyFeature?.properties.name ?? county) : null;
  const place = countyName ?? t('map.sweden');
  const allFeatures = municipalities.data?.features ?? [];
  const shown = useMemo(
    () => (county ? allFeatures.filter((f) => f.properties.county_code === county) : allFeatures),
    [allFeatures, county],
  );
  const byArea = useMemo(() => {
    const map = new Map<string, Observation>();
    for (const o of data?.observations ?? []) if (Object.keys(o.breakdown).length <= 1) map.set(o.area, o);
    return map;
  }, [data]);
  const classes = useMemo(
    () => quintiles([...byArea.values()].flatMap((o) => (o.value === null ? [] : [o.value]))),
    [byArea],
  );
  const countryValue = useMemo(() => {
    for (const o of byArea.values()) if (o.benchmark && o.benchmark.value !== null) return o.benchmark.value;
    return null;
  }, [byArea]);

  const rows: Row[] = useMemo(() => {
    const collator = swedishOrder;
    const list = shown.map((f) => {
      const o = byArea.get(f.properties.code);
      return {
        code: f.properties.code,
        name: f.properties.name,
        observation: o,
        category: categoryOf(o),
        klass: classes && o && o.value !== null ? classOf(classes, o.value) : null,
      };
    });
    const byName = (a: Row, b: Row) => collator.compare(a.name, b.name);
    const valueOf = (r: Row) => r.observation?.value ?? null;
    list.sort((a, b) => {
      if (sort === 'name') return byName(a, b);
      if (sort === '-name') return byName(b, a);
      const va = valueOf(a);
      const vb = valueOf(b);
      if (va === null || vb === null) return va === vb ? byName(a, b) : va === null ? 1 : -1;
      return (sort === 'value' ? va - vb : vb - va) || byName(a, b);
    });
    return list;
  }, [shown, byArea, classes, sort, lang]);

  const withValue = rows.filter((r) => r.klass !== null).length;
  const missingCount = rows.length - withValue;
  const sexLabel = t(`map.sex.${sex}` as MessageKey);
  const compareText = (c: Category) =>
    c === 'missing' ? t('map.legend.missing') : tk(`map.compare.${c}`, c);

  const directionText =
    direction === 'higher'
      ? t('map.direction.higher')
      : direction === 'lower'
        ? t('map.direction.lower')
        : t('map.direction.none');

  const fillOf = (r: Row): string =>
    mode === 'compared'
      ? categoryFills[r.category]
      : r.klass === null
        ? missingFill
        : classColor(r.klass, direction);

  const label = useMemo(() => {
    if (!indicator || !period) return '';
    const head = t('map.label.head', {
      place,
      indicator: indicator.title,
      period,
      sex: sexLabel.toLowerCase(),
      shown: rows.length,
      withValue,
      missing: missingCount,
    });
    if (mode === 'compared') {
      const counts = categoryOrder
        .map((c) => ({ c, n: rows.filter((r) => r.category === c).length }))
        .filter((x) => x.n > 0)
        .map((x) => `${compareText(x.c)}: ${x.n}`)
        .join(', ');
      return `${head} ${t('map.label.compared', { counts })} ${t('map.label.table')}`;
    }
    const valued = rows.filter((r) => r.observation?.value != null);
    if (valued.length === 0) return `${head} ${t('map.label.table')}`;
    const low = valued.reduce((a, b) => (b.observation!.value! < a.observation!.value! ? b : a));
    const high = valued.reduce((a, b) => (b.observation!.value! > a.observation!.value! ? b : a));
    return `${head} ${t('map.label.values', {
      low: formatNumber(low.observation!.value!),
      lowName: low.name,
      high: formatNumber(high.observation!.value!),
      highName: high.name,
    })} ${directionText} ${t('map.label.table')}`;
  }, [rows, mode, indicator, period, place, sexLabel, t]);

  const drawing: MapDrawing | null = useMemo(() => {
    if (shown.length === 0 || !data) return null;
    const fills: Record<string, string> = {};
    const titles: Record<string, string> = {};
    for (const r of rows) {
      fills[r.code] = fillOf(r);
      const range = interval(i18n, r.observation);
      titles[r.code] =
        `${r.name}: ${figure(i18n, r.observation)}${range ? ` (${range})` : ''}` +
        (r.observation?.value != null ? ` – ${compareText(r.category)}` : '');
    }
    return {
      features: shown,
      fills,
      missingFill,
      titles,
      context: county ? allFeatures.filter((f) => f.properties.county_code !== county) : [],
      outlines: regionFeatures,
      label,
    };
  }, [rows, shown, allFeatures, regionFeatures, county, mode, direction, label, data]);

  const csv = useMemo(() => {
    const out: (string | number | null)[][] = [
      [
        t('map.csv.indicator'),
        t('map.csv.period'),
        t('map.csv.sex'),
        t('map.csv.code'),
        t('map.csv.municipality'),
        t('map.csv.value'),
        t('map.csv.low'),
        t('map.csv.high'),
        t('map.csv.status'),
        t('map.csv.compared'),
        t('map.csv.class'),
      ],
    ];
    for (const r of rows)
      out.push([
        code,
        period,
        sex,
        r.code,
        r.name,
        r.observation?.value ?? null,
        r.observation?.ci_low ?? null,
        r.observation?.ci_high ?? null,
        r.observation ? r.observation.status.join(' ') : 'missing',
        r.observation?.value != null ? r.category : null,
        r.klass === null ? null : (direction === 'lower' ? 5 - r.klass : r.klass + 1),
      ]);
    return csvHref(out);
  }, [rows, code, period, sex, direction, t]);

  // --- errors --------------------------------------------------------------------------------
  const errors: string[] = [];
  if (catalogue.error) errors.push(t('map.error.catalogue', { message: describeError(t, catalogue.error) }));
  if (municipalities.error)
    errors.push(t('map.error.geometry', { message: describeError(t, municipalities.error) }));
  if (regions.error) errors.push(t('map.error.counties', { message: describeError(t, regions.error) }));
  if (chosen.error) errors.push(t('map.error.periods', { message: describeError(t, chosen.error) }));
  if (observations.error)
    errors.push(t('map.error.observations', { message: describeError(t, observations.error) }));
  const retry = () => {
    if (catalogue.error) catalogue.reload();
    if (municipalities.error) municipalities.reload();
    if (regions.error) regions.reload();
    if (chosen.error) chosen.reload();
    if (observations.error) observations.reload();
  };

  // --- the choices ---------------------------------------------------------------------------
  const options = useMemo(() => {
    const collator = swedishOrder;
    const needle = filter.trim().toLowerCase();
    const list = (catalogue.data ?? [])
      .filter(
        (c) =>
          c.code === code ||
          !needle ||
          c.title.toLowerCase().includes(needle) ||
          c.code.toLowerCase().includes(needle),
      )
      .sort((a, b) => collator.compare(a.title, b.title));
    return list;
  }, [catalogue.data, filter, code, lang]);
  const countyOptions = useMemo(() => {
    const collator = swedishOrder;
    return [...regionFeatures].sort((a, b) => collator.compare(a.properties.name, b.properties.name));
  }, [regionFeatures, lang]);

  const loadingMap =
    (municipalities.loading && !municipalities.data) ||
    (chosen.loading && !current) ||
    (observations.loading && !data);
  const busy = municipalities.loading || chosen.loading || observations.loading;
  const noPeriods = current !== null && !chosen.loading && (current.code === null || periods.length === 0);
  const empty = data !== null && !observations.loading && byArea.size > 0 && [...byArea.values()].every((o) => o.value === null);
  const noData = data !== null && !observations.loading && (byArea.size === 0 || empty);

  const sortButton = (key: 'name' | 'value', text: string) => {
    const active = sort === key || sort === `-${key}`;
    const descending = sort === `-${key}`;
    const next: SortKey = active && !descending ? (`-${key}` as SortKey) : key;
    return (
      <button
        type="button"
        class="map-sort"
        onClick={() => go({ sort: next === 'name' ? null : next })}
        data-testid={`map-sort-${key}`}
      >
        {text}
        <span aria-hidden="true" class="map-sort-mark">
          {active ? (descending ? ' ▼' : ' ▲') : ' ↕'}
        </span>
        <span class="visually-hidden">
          {' '}
          {active
            ? t(descending ? 'map.sort.descending' : 'map.sort.ascending')
            : t('map.sort.none')}
        </span>
      </button>
    );
  };
  const ariaSort = (key: 'name' | 'value') =>
    sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : undefined;

  const legendItems =
    mode === 'compared'
      ? categoryOrder
          .filter((c) =>
            direction === 'none' ? c !== 'better' && c !== 'worse' : c !== 'higher' && c !== 'lower',
          )
          .map((c) => ({
            key: c,
            fill: categoryFills[c],
            text: compareText(c),
            count: rows.filter((r) => r.category === c).length,
          }))
      : classes
        ? [0, 1, 2, 3, 4].map((k) => ({
            key: `class-${k}`,
            fill: classColor(k, direction),
            text: t('map.legend.range', {
              low: formatNumber(k === 0 ? classes.min : classes.limits[k - 1]),
              high: formatNumber(k === 4 ? classes.max : classes.limits[k]),
            }),
            count: rows.filter((r) => r.klass === k).length,
          }))
        : [];

  return (
    <>
      <PatternDefs />
      <h1 tabIndex={-1}>{t('map.title')}</h1>
      <p class="lead">{t('map.intro')}</p>
      <ErrorAlert messages={errors} onRetry={retry} />

      <form class="filters map-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('map.choices')}>
        <div class="field map-field-wide">
          <label for="map-filter">{t('map.filter')}</label>
          <input
            id="map-filter"
            type="search"
            value={filter}
            onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
            autocomplete="off"
          />
        </div>
        <div class="field map-field-indicator">
          <label for="map-indicator">{t('map.indicator')}</label>
          <select
            id="map-indicator"
            value={code ?? ''}
            onChange={(e) => go({ indicator: (e.target as HTMLSelectElement).value, period: null })}
            data-testid="map-indicator"
          >
            {code === null && <option value="">{catalogue.loading ? t('loading') : '–'}</option>}
            {code !== null && !options.some((o) => o.code === code) && <option value={code}>{code}</option>}
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.title}
              </option>
            ))}
          </select>
          <span class="meta">{tn('map.indicatorCount', options.length)}</span>
        </div>
        <div class="field">
          <label for="map-period">{t('map.period')}</label>
          <select
            id="map-period"
            value={period ?? ''}
            onChange={(e) => go({ period: (e.target as HTMLSelectElement).value })}
            data-testid="map-period"
          >
            {period !== null && !periods.includes(period) && <option value={period}>{period}</option>}
            {period === null && <option value="">–</option>}
            {[...periods].reverse().map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="map-county">{t('map.county')}</label>
          <select
            id="map-county"
            value={county ?? ''}
            onChange={(e) => go({ county: (e.target as HTMLSelectElement).value || null })}
            data-testid="map-county"
          >
            <option value="">{t('map.sweden')}</option>
            {county && !countyFeature && <option value={county}>{county}</option>}
            {countyOptions.map((f) => (
              <option key={f.properties.code} value={f.properties.code}>
                {f.properties.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="map-choice" data-testid="map-sex">
          <legend>{t('map.sex')}</legend>
          {mapSexes.map((s) => (
            <label key={s}>
              <input
                type="radio"
                name="map-sex"
                value={s}
                checked={s === sex}
                onChange={() => go({ sex: s === 'total' ? null : s })}
              />{' '}
              {t(`map.sex.${s}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <fieldset class="map-choice" data-testid="map-mode">
          <legend>{t('map.mode')}</legend>
          {(['values', 'compared'] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="map-mode"
                value={m}
                checked={m === mode}
                onChange={() => go({ mode: m === 'values' ? null : m })}
              />{' '}
              {t(`map.mode.${m}` as MessageKey)}
            </label>
          ))}
        </fieldset>
      </form>

      <section aria-labelledby="map-heading" aria-busy={busy} class="map-section">
        <h2 id="map-heading">
          {indicator && period
            ? t('map.heading', { indicator: indicator.title, period, sex: sexLabel.toLowerCase(), place })
            : t('map.title')}
        </h2>
        {indicator && (
          <p class="meta" data-testid="map-definition">
            {indicator.unit ? t('map.unit', { unit: indicator.unit }) : ''} {directionText}
            {data && data.observations.length > 0
              ? ` ${
                  countryValue !== null
                    ? t('map.country', { value: formatNumber(countryValue) })
                    : sex === 'total'
                      ? t('map.noCountryTotal', { period: period ?? '' })
                      : t('map.noCountry', { sex: sexLabel.toLowerCase(), period: period ?? '' })
                }`
              : ''}
          </p>
        )}
        {loadingMap && !chosen.error && !observations.error && <p class="loading">{t('loading')}</p>}
        {noPeriods && (
          <p data-testid="map-empty">{current?.code === null ? t('map.noIndicator') : t('map.noPeriods')}</p>
        )}
        {noData && period && (
          <p data-testid="map-empty">{t('map.empty', { period, sex: sexLabel.toLowerCase() })}</p>
        )}
        {drawing && !noData && (
          <div class="map-layout">
            <figure class="map-figure">
              <MapChart drawing={drawing} maxHeight={mapMaxHeight} />
              <figcaption class="map-legend" data-testid="map-legend">
                <h3>{t(mode === 'compared' ? 'map.legend.comparedTitle' : 'map.legend.valuesTitle')}</h3>
                {mode === 'values' && <p class="meta">{t('map.legend.quintiles')}</p>}
                <ul class="plain">
                  {legendItems.map((item) => (
                    <li key={item.key} data-legend={item.key}>
                      <Swatch fill={item.fill} /> {item.text}{' '}
                      <span class="meta">({tn('map.municipalities', item.count)})</span>
                    </li>
                  ))}
                  <li data-legend="missing">
                    <Swatch fill={missingFill} /> {t('map.legend.missing')}{' '}
                    <span class="meta">({tn('map.municipalities', rows.filter((r) => r.klass === null).length)})</span>
                  </li>
                </ul>
                <p class="map-direction">
                  {mode === 'values'
                    ? direction === 'none'
                      ? t('map.legend.darkHigher')
                      : t(direction === 'higher' ? 'map.legend.darkBetterHigher' : 'map.legend.darkBetterLower')
                    : t(direction === 'none' ? 'map.legend.comparedNoteNone' : 'map.legend.comparedNote')}
                </p>
              </figcaption>
            </figure>

            <div class="map-table-part">
              <p data-testid="map-count" class="result-count">
                {t('map.count', { withValue, shown: rows.length })}
              </p>
              <div class="table-wrap map-table-wrap" tabIndex={0} role="region" aria-labelledby="map-table-caption">
                <table class="data map-table" data-testid="map-table">
                  <caption id="map-table-caption">
                    {t('map.caption', {
                      indicator: indicator?.title ?? '',
                      period: period ?? '',
                      sex: sexLabel.toLowerCase(),
                      place,
                    })}
                    {indicator?.unit ? ` (${indicator.unit})` : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" aria-sort={ariaSort('name')}>
                        {sortButton('name', t('map.col.municipality'))}
                      </th>
                      <th scope="col" class="num" aria-sort={ariaSort('value')}>
                        {sortButton('value', t('map.col.value'))}
                      </th>
                      <th scope="col" class="num">
                        {t('map.col.interval')}
                      </th>
                      <th scope="col">{t('map.col.compared')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.code} data-area={r.code}>
                        <th scope="row">
                          <Link href={hrefFor(`/omraden/${r.code}`, lang, sex === 'total' ? {} : { sex })}>{r.name}</Link>
                        </th>
                        <td class="num" data-col="value">
                          {mode === 'values' && <Swatch fill={fillOf(r)} />} {figure(i18n, r.observation)}
                        </td>
                        <td class="num">{interval(i18n, r.observation) ?? '–'}</td>
                        <td data-compared={r.observation?.value != null ? r.category : 'missing'}>
                          {r.observation?.value != null ? (
                            <>
                              <Swatch fill={categoryFills[r.category]} /> {compareText(r.category)}
                            </>
                          ) : (
                            '–'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>
                <a
                  href={csv}
                  download={`${code ?? 'map'}-${period ?? ''}-${sex}${county ? `-${county}` : ''}.csv`}
                  data-testid="map-csv"
                >
                  {t('map.downloadCsv')}
                </a>
              </p>
            </div>
          </div>
        )}
      </section>
    </>
  );
}

