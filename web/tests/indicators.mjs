#!/usr/bin/env node
// Browser test of the indicator pages against a real server with synthetic survey data.
//
//   node web/tests/indicators.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Creates a database in a temporary folder (`init`: the area registry; then `synth` and its
// JSON-stat files),
// starts `halsonav serve --web`, drives the system Chromium with playwright-core: searches the
// indicators, opens SYNT0001 for Umeå (2480) by education, checks the charts, the tables, the
// inequality measures (D with its interval), the CSV link, axe (WCAG 2.1 A/AA) in Swedish and
// English at 1280 and 375 px, and takes screenshots. One line per check, "N passed, M failed" at
// the end, exit 1 on any failure.
import { assert, setUp } from './harness.mjs';

const h = setUp('indicators');
const { outDir, check, axeCheck, screenshot, startServer, api } = h;

// --- the run ---------------------------------------------------------------------------------
let browser = null;
try {
  h.importSynthetic();
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);

  const equity = await api(base, '/indicators/SYNT0001/equity?area=2480&dimension=education');
  const d = equity.measures.find((m) => m.id === 'd');

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;

  await page.goto(`${base}/`);
  await check('the nav has "Indikatorer" and it opens the search', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Indikatorer' }).click();
    await page.waitForURL('**/indikatorer');
    const text = (await page.locator('h1').textContent())?.trim();
    assert(text === 'Indikatorer', `h1 is "${text}"`);
    await page.locator('[data-testid="indicator-results"] li').first().waitFor({ timeout: 10000 });
  });

  await check('search "syntetisk" lists SYNT0001 and keeps q in the URL', async () => {
    await page.getByLabel('Sök på kod, namn eller beskrivning').fill('syntetisk');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'syntetisk');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="indicator-count"]')?.textContent?.includes('syntetisk'),
    );
    const links = page.locator('[data-testid="indicator-results"] a');
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert(hrefs.includes('/indikatorer/SYNT0001'), `links: ${hrefs.join(', ')}`);
    return `${hrefs.length} results`;
  });
  await axeCheck(page, 'search sv 1280 px');
  await screenshot(page, 'indicators-search-sv-1280');

  await check('search "SYNT" via the URL lists the same', async () => {
    await page.goto(`${base}/indikatorer?q=SYNT`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="indicator-count"]')?.textContent?.includes('SYNT'),
    );
    const count = await page.locator('[data-testid="indicator-results"] li').count();
    assert(count >= 1, `${count} results`);
    assert((await page.locator('#indicator-q').inputValue()) === 'SYNT', 'field not filled from q');
  });

  await check('a result opens the indicator', async () => {
    await page.locator('[data-testid="indicator-results"] a[href="/indikatorer/SYNT0001"]').click();
    await page.waitForURL('**/indikatorer/SYNT0001');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('syntetisk'));
  });

  async function waitForIndicator() {
    await page.locator('[data-testid="series-chart"] [role="img"] svg').first().waitFor({ timeout: 15000 });
    await page.locator('[data-testid="gap-chart"] [role="img"] svg').first().waitFor({ timeout: 15000 });
    await page.locator('[data-testid="measures-table"] tbody tr').first().waitFor();
  }

  await page.goto(`${base}/indikatorer/SYNT0001?area=2480&dimension=education`);
  await check('SYNT0001 for Umeå by education: definition, area and dimension selected', async () => {
    await waitForIndicator();
    assert((await page.locator('#indicator-area').inputValue()) === '2480', 'area select');
    assert((await page.locator('#indicator-dimension').inputValue()) === 'education', 'dimension select');
    const def = await page.locator('[data-testid="definition"]').textContent();
    assert(def.includes('SYNT0001') && def.includes('procent'), `definition: ${def}`);
    const heading = await page.locator('#series-heading').textContent();
    assert(heading.includes('Umeå'), `series heading "${heading}"`);
  });

  await check('the series chart draws total, women and men with interval bands', async () => {
    const paths = await page.locator('[data-testid="series-chart"] [role="img"] svg path').count();
    assert(paths >= 6, `${paths} paths (3 bands + 3 lines expected)`);
    const legend = await page.locator('[data-testid="series-chart"] figcaption').textContent();
    for (const label of ['Totalt', 'Kvinnor', 'Män']) assert(legend.includes(label), `legend lacks ${label}`);
    const img = page.locator('[data-testid="series-chart"] [role="img"]');
    assert((await img.getAttribute('aria-label'))?.includes('Umeå'), 'chart has no accessible name');
  });

  await check('the series table has a row per year with value and interval', async () => {
    const observations = await api(base, '/indicators/SYNT0001/observations?area=2480&sex=total');
    const rows = await page.locator('[data-testid="series-table"] tbody tr').count();
    assert(rows === observations.count, `${rows} rows, ${observations.count} years`);
    const heads = await page.locator('[data-testid="series-table"] thead th').allTextContents();
    assert(heads.length === 7, `columns: ${heads.join(' | ')}`);
    const latest = observations.observations.at(-1);
    const row = await page.locator('[data-testid="series-table"] tbody tr').last().textContent();
    const sv = new Intl.NumberFormat('sv-SE');
    if (latest.value !== null)
      assert(row.includes(sv.format(latest.value)), `last row "${row}" lacks ${latest.value}`);
    return `${rows} rows`;
  });

  await check('benchmark and trend markers in words', async () => {
    const text = await page.locator('[data-testid="markers"]').textContent();
    assert(/länets/.test(text), `no county comparison: ${text}`);
    assert(/Trend/.test(text), `no trend: ${text}`);
  });

  await check('the measures table has D with its interval', async () => {
    const row = page.locator('[data-testid="measures-table"] tr[data-measure="d"]');
    const text = await row.textContent();
    assert(text.includes('Skillnad (D)'), `row "${text}"`);
    const sv = new Intl.NumberFormat('sv-SE');
    const round = (n) => Math.round(n * 1000) / 1000;
    const expected = `${sv.format(round(d.lower))}–${sv.format(round(d.upper))}`;
    assert(text.includes(expected), `row "${text}" lacks interval ${expected}`);
    assert(text.includes(sv.format(round(d.estimate))), `row "${text}" lacks ${d.estimate}`);
    const rows = await page.locator('[data-testid="measures-table"] tbody tr').count();
    assert(rows === equity.measures.length, `${rows} rows, ${equity.measures.length} measures`);
    return `D ${text.replace(/\s+/g, ' ').trim()}`;
  });

  await check('the gap over time: chart and table per year', async () => {
    const rows = await page.locator('[data-testid="gap-table"] tbody tr').count();
    assert(rows === equity.over_time.length, `${rows} rows, ${equity.over_time.length} years`);
    const paths = await page.locator('[data-testid="gap-chart"] [role="img"] svg path').count();
    assert(paths >= 2, `${paths} paths`);
    const words = await page.locator('[data-testid="gap-words"]').textContent();
    assert(words.trim().length > 0, 'no gap in words');
  });

  await check('"Ladda ner CSV" holds the series shown', async () => {
    const link = page.getByRole('link', { name: 'Ladda ner CSV' }).first();
    const href = await link.getAttribute('href');
    assert(href.startsWith('data:text/csv'), `href ${href.slice(0, 40)}`);
    const csv = decodeURIComponent(href.slice(href.indexOf(',') + 1));
    const lines = csv.trim().split(/\r\n/);
    assert(lines[0].includes('värde'), `header "${lines[0]}"`);
    assert(lines.some((l) => l.includes(',women,')) && lines.some((l) => l.includes(',men,')), 'no women/men rows');
    assert((await link.getAttribute('download')) === 'SYNT0001-2480.csv', 'download name');
    return `${lines.length - 1} rows`;
  });

  await check('no alert and no console errors on a healthy load', async () => {
    const alerts = await page.locator('[role="alert"]').count();
    assert(alerts === 0, `${alerts} alert(s)`);
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });

  await axeCheck(page, 'indicator sv 1280 px');
  await screenshot(page, 'indicator-sv-1280');

  await page.setViewportSize({ width: 375, height: 800 });
  await check('375 px: no horizontal scrolling of the page', async () => {
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'indicator sv 375 px');
  await screenshot(page, 'indicator-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('choosing another municipality puts it in the URL', async () => {
    await page.locator('#indicator-area').selectOption('2482');
    await page.waitForURL((url) => url.searchParams.get('area') === '2482');
    await page.waitForFunction(() =>
      document.querySelector('#series-heading')?.textContent?.includes('Skellefteå'),
    );
    assert(new URL(page.url()).searchParams.get('dimension') === 'education', 'dimension lost');
    await waitForIndicator();
  });

  await check('English: the language switch keeps area and dimension', async () => {
    await page.locator('[data-testid="lang-switch"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const url = new URL(page.url());
    assert(url.searchParams.get('area') === '2482', `URL ${url}`);
    await waitForIndicator();
    const heading = await page.locator('#series-heading').textContent();
    assert(heading.startsWith('Over time in'), `heading "${heading}"`);
    const row = await page.locator('[data-testid="measures-table"] tr[data-measure="d"]').textContent();
    assert(row.includes('Difference (D)'), `row "${row}"`);
  });
  await axeCheck(page, 'indicator en 1280 px');
  await screenshot(page, 'indicator-en-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'indicator en 375 px');
  await screenshot(page, 'indicator-en-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(`${base}/indikatorer?lang=en`);
  await page.locator('[data-testid="indicator-results"] li').first().waitFor({ timeout: 10000 });
  await axeCheck(page, 'search en 1280 px');

  await check('keyboard: the area select is reachable by Tab', async () => {
    await page.goto(`${base}/indikatorer/SYNT0001?area=2480&dimension=education`);
    await waitForIndicator();
    let found = false;
    for (let i = 0; i < 40 && !found; i += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.id === 'indicator-area');
    }
    assert(found, 'the area select never got focus');
  });

  await check('a measure that cannot be computed says why in Swedish, the English detail marked', async () => {
    const bySex = await api(base, '/indicators/SYNT0001/equity?area=2480&dimension=sex');
    const failed = bySex.measures.filter((m) => m.error);
    assert(failed.length > 0, 'no measure failed for two groups (PAR needs three)');
    await page.goto(`${base}/indikatorer/SYNT0001?area=2480&dimension=sex`);
    const row = page.locator(`[data-testid="measures-table"] tr[data-measure="${failed[0].id}"]`);
    await row.waitFor({ timeout: 15000 });
    const text = (await row.textContent()).replace(/\s+/g, ' ');
    assert(/Kunde inte beräknas: måttet behöver minst 3 grupper, här finns 2\./.test(text), `row "${text}"`);
    const english = await row.locator('[lang="en"]').textContent();
    assert(english === failed[0].error, `the English detail is "${english}"`);
    return `${failed.length} measures not computed`;
  });

  await check('an unknown indicator shows the alert', async () => {
    await page.goto(`${base}/indikatorer/NO_SUCH?area=2480`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('HTTP 404'), `alert says "${text}"`);
  });

  await check('HTTP 500 from equity shows the alert', async () => {
    await page.route('**/api/v1/indicators/*/equity**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'test', details: {} } }),
      }),
    );
    await page.goto(`${base}/indikatorer/SYNT0001?area=2480&dimension=education`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('Ojämlikhetsmåtten') && text.includes('HTTP 500'), `alert says "${text}"`);
    await page.unroute('**/api/v1/indicators/*/equity**');
  });
  await axeCheck(page, 'indicator sv error alert');
} catch (error) {
  h.fail(error);
}
await h.finish(browser);
