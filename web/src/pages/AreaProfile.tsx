// /omraden: the municipalities grouped by county. /omraden/:code?sex=total|women|men: one area's
// profile (Fingertips style): every indicator's latest period for the area beside its county and
// Riket, the comparison with Riket in words and as a marker, the total's trend, and a small spine
// chart per row. The table is the charts' text alternative; plain HTML and SVG keep hundreds of
// rows quick.
import { useMemo } from 'preact/hooks';
import type { Area } from '../api-indicators';
import {
  comparisons,
  getAreasByCounty,
  getProfile,
  profileSexes,
  type AreaProfile,
  type Comparison,
  type Figures,
  type ProfileRow,
  type ProfileSex,
} from '../api-profile';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { ComparisonSymbol, LegendMark, SpineChart } from '../components/spine/SpineChart';
import { useAsync } from '../hooks';
import { useI18n, type MessageKey, type Translator } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';

// --- the list ------------------------------------------------------------------------------------

interface CountyGroup {
  code: string | null;
  name: string;
  municipalities: Area[];
}

function groupByCounty(regions: Area[], municipalities: Area[]): CountyGroup[] {
  const groups = new Map<string | null, CountyGroup>();
  for (const region of regions)
    groups.set(region.code, { code: region.code, name: region.name, municipalities: [] });
  for (const m of municipalities) {
    const key = m.county_code && groups.has(m.county_code) ? m.county_code : null;
    if (!groups.has(key)) groups.set(key, { code: null, name: '', municipalities: [] });
    groups.get(key)!.municipalities.push(m);
  }
  return [...groups.values()].filter((g) => g.code !== null || g.municipalities.length > 0);
}

export function AreaListPage() {
  const { t, tn, lang } = useI18n();
  const areas = useAsync(getAreasByCounty, []);
  const groups = useMemo(
    () => (areas.data ? groupByCounty(areas.data.regions, areas.data.municipalities) : []),
    [areas.data],
  );
  const errors = areas.error
    ? [t('profile.error.areas', { message: describeError(t, areas.error) })]
    : [];
  return (
    <>
      <h1 tabIndex={-1}>{t('profile.listTitle')}</h1>
      <p class="lead">{t('profile.listIntro')}</p>
      <ErrorAlert messages={errors} onRetry={areas.reload} />
      <p>
        <Link href={hrefFor('/omraden/0000', lang)}>{t('profile.countryLink')}</Link>
      </p>
      {areas.loading && !areas.data && <p class="loading">{t('loading')}</p>}
      <div class="area-groups" data-testid="area-groups" aria-busy={areas.loading}>
        {groups.map((group) => {
          const headingId = `county-${group.code ?? 'none'}`;
          return (
            <section key={group.code ?? 'none'} class="area-group" aria-labelledby={headingId}>
              <h2 id={headingId}>
                {group.code ? group.name : t('profile.noCounty')}{' '}
                <span class="count">{tn('profile.municipalities', group.municipalities.length)}</span>
              </h2>
              <ul class="plain area-list">
                {group.code && (
                  <li>
                    <Link href={hrefFor(`/omraden/${group.code}`, lang)}>
                      {t('profile.regionLink', { name: group.name })}
                    </Link>
                  </li>
                )}
                {group.municipalities.map((m) => (
                  <li key={m.code}>
                    <Link href={hrefFor(`/omraden/${m.code}`, lang)}>{m.name}</Link>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </>
  );
}

// --- one area's profile --------------------------------------------------------------------------

function parseSex(value: string | null): ProfileSex {
  return value === 'women' || value === 'men' ? value : 'total';
}

/** A figure for a cell, or why there is none ("skyddat", "saknas"). */
function figure(i18n: Translator, f: Figures | null | undefined): string {
  if (!f || f.value === null)
    return f?.status.includes('suppressed') ? i18n.t('profile.suppressed') : i18n.t('profile.missing');
  return i18n.formatNumber(f.value);
}

function intervalOf(i18n: Translator, f: Figures | null | undefined): string | null {
  if (!f || f.ci_low === null || f.ci_high === null) return null;
  return i18n.t('profile.interval', {
    low: i18n.formatNumber(f.ci_low),
    high: i18n.formatNumber(f.ci_high),
  });
}

function trendText(i18n: Translator, row: ProfileRow): string {
  const trend = row.trend;
  if (!trend) return '–';
  const outcome = i18n.tk(`profile.trend.${trend.outcome}`, trend.outcome);
  if (trend.first_year === undefined || trend.last_year === undefined) return outcome;
  return i18n.t('profile.trend.text', {
    outcome,
    from: trend.first_year,
    to: trend.last_year,
    judgement: i18n.tk(`profile.judgement.${trend.judgement}`, trend.judgement),
  });
}

interface RowProps {
  row: ProfileRow;
  sex: ProfileSex;
  profile: AreaProfile;
  i18n: Translator;
}

function ProfileTableRow({ row, sex, profile, i18n }: RowProps) {
  const { t, tk, lang } = i18n;
  const cell = row[sex] ?? null;
  const area = cell?.area ?? null;
  const county = cell?.county ?? null;
  const country = cell?.country ?? null;
  const compared: Comparison =
    (profile.country ? cell?.compared?.country?.at_95 : undefined) ?? 'not_compared';
  const comparedText = tk(`profile.compare.${compared}`, compared);
  const interval = intervalOf(i18n, area);
  const label = t('profile.chart.label', {
    indicator: row.indicator.title,
    area: profile.area.name,
    value: figure(i18n, area),
    interval: interval
      ? t('profile.chart.interval', {
          low: i18n.formatNumber(area!.ci_low!),
          high: i18n.formatNumber(area!.ci_high!),
        })
      : '',
    county: profile.county
      ? t('profile.chart.county', { name: profile.county.name, value: figure(i18n, county) })
      : '',
    country: profile.country ? figure(i18n, country) : '–',
    compared: comparedText,
  });
  return (
    <tr data-indicator={row.indicator.code}>
      <th scope="row" class="profile-indicator">
        <Link href={hrefFor(`/indikatorer/${encodeURIComponent(row.indicator.code)}`, lang, { area: profile.area.code })}>
          {row.indicator.title}
        </Link>
        {row.indicator.unit && (
          <span class="meta">{t('profile.unit', { unit: row.indicator.unit })}</span>
        )}
      </th>
      <td class="profile-period">{row.period}</td>
      <td class="num" data-col="value">
        {figure(i18n, area)}
      </td>
      <td class="num">{interval ?? '–'}</td>
      {profile.county && <td class="num">{figure(i18n, county)}</td>}
      {profile.country && <td class="num">{figure(i18n, country)}</td>}
      {profile.country && (
        <td class={`profile-compared compared-${compared}`} data-compared={compared}>
          <ComparisonSymbol kind={compared} /> {comparedText}
        </td>
      )}
      <td>{trendText(i18n, row)}</td>
      <td class="profile-chart">
        <SpineChart
          value={area?.value ?? null}
          low={area?.ci_low ?? null}
          high={area?.ci_high ?? null}
          county={county?.value ?? null}
          country={country?.value ?? null}
          comparison={compared}
          label={label}
        />
      </td>
    </tr>
  );
}

function Legend({ t, hasCounty }: { t: Translator['t']; hasCounty: boolean }) {
  return (
    <details class="spine-legend" data-testid="spine-legend">
      <summary>{t('profile.legend')}</summary>
      <p>{t('profile.legend.scale')}</p>
      <ul class="plain">
        <li>
          <LegendMark kind="country" /> {t('profile.legend.country')}
        </li>
        {hasCounty && (
          <li>
            <LegendMark kind="county" /> {t('profile.legend.county')}
          </li>
        )}
        <li>
          <LegendMark kind="interval" /> {t('profile.legend.interval')}
        </li>
        {comparisons.map((c) => (
          <li key={c}>
            <ComparisonSymbol kind={c} /> {t(`profile.compare.${c}` as MessageKey)}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function AreaProfilePage({ code }: { code: string }) {
  const i18n = useI18n();
  const { t, tn, lang } = i18n;
  const location = useLocation();
  const sex = parseSex(location.query.get('sex'));
  const profile = useAsync((signal) => getProfile(code, signal), [code]);
  const data = profile.data;

  const errors = profile.error
    ? [t('profile.error.profile', { message: describeError(t, profile.error) })]
    : [];

  const setSex = (value: ProfileSex) =>
    navigate(hrefFor(location.path, lang, { sex: value === 'total' ? null : value }));

  const rows = data?.indicators ?? [];
  const sexLabel = t(`profile.sex.${sex}` as MessageKey);
  const intro = !data
    ? null
    : data.county
      ? t('profile.intro', { area: data.area.name, county: data.county.name })
      : data.country
        ? t('profile.introNoCounty', { area: data.area.name })
        : t('profile.introCountry');

  return (
    <>
      <p>
        <Link href={hrefFor('/omraden', lang)}>{t('profile.back')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('profile.title', { area: data?.area.name ?? code })}</h1>
      {intro && <p class="lead">{intro}</p>}
      <ErrorAlert messages={errors} onRetry={profile.reload} />

      <fieldset class="profile-sex" data-testid="profile-sex">
        <legend>{t('profile.sex')}</legend>
        {profileSexes.map((s) => (
          <label key={s}>
            <input
              type="radio"
              name="profile-sex"
              value={s}
              checked={s === sex}
              onChange={() => setSex(s)}
            />{' '}
            {t(`profile.sex.${s}` as MessageKey)}
          </label>
        ))}
      </fieldset>

      {profile.loading && !data && <p class="loading">{t('profile.loadingRows')}</p>}
      {data && rows.length === 0 && <p>{t('profile.noRows')}</p>}
      {data && rows.length > 0 && (
        <section aria-labelledby="profile-caption" aria-busy={profile.loading}>
          <p data-testid="profile-count">{tn('profile.count', rows.length)}</p>
          <Legend t={t} hasCounty={data.county !== null} />
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="profile-caption">
            <table class="data profile-table" data-testid="profile-table">
              <caption id="profile-caption">
                {t('profile.caption', { area: data.area.name, sex: sexLabel })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('profile.col.indicator')}</th>
                  <th scope="col">{t('profile.col.period')}</th>
                  <th scope="col" class="num">
                    {t('profile.col.value')}
                    <span class="th-area">{data.area.name}</span>
                  </th>
                  <th scope="col" class="num">
                    {t('profile.col.interval')}
                  </th>
                  {data.county && (
                    <th scope="col" class="num">
                      {t('profile.col.county')}
                      <span class="th-area">{data.county.name}</span>
                    </th>
                  )}
                  {data.country && (
                    <th scope="col" class="num">
                      {t('profile.col.country')}
                    </th>
                  )}
                  {data.country && <th scope="col">{t('profile.col.compared')}</th>}
                  <th scope="col">{t('profile.col.trend')}</th>
                  <th scope="col">{t('profile.col.chart')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <ProfileTableRow
                    key={row.indicator.code}
                    row={row}
                    sex={sex}
                    profile={data}
                    i18n={i18n}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
