#!/usr/bin/env node
// Browser test of the map page against a real server with the synthetic statistics and the real
// outlines every database gets (data/national).
//
//   node web/tests/map.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Creates a database in a temporary folder (`init`: the area registry and the municipalities' and
// regions' outlines), imports the synthetic set, starts
// `halsonav serve --web` and drives the system Chromium with playwright-core: /karta with its
// defaults (an indicator with municipal data, its latest period, total, all of Sweden), the 290
// paths, the legend, the table against the API, sorting, CSV, sex, period and county in the URL,
// the comparison with Riket, English, the keyboard path to the table's links, axe (WCAG 2.1 A/AA)
// in Swedish and English at 1280 and 375 px, the empty state, and a 500 and a lost connection
// shown in the alert. One line per check, "N passed, M failed" at the end, exit 1 on any failure.
import { assert, setUp } from './harness.mjs';

const h = setUp('map');
const { outDir, check, axeCheck, screenshot, startServer, api } = h;

const sv = new Intl.NumberFormat('sv-SE');
const en = new Intl.NumberFormat('en-GB');
const figure = (o, fmt, suppressed, missing) =>
  !o || o.value === null ? (o?.status.includes('suppressed') ? suppressed : missing) : fmt.format(o.value);
const categoryOf = (o) => (!o || o.value === null ? 'missing' : o.benchmark?.at_95 ?? 'not_compared');

let browser = null;
try {
  h.importSynthetic();
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);

  // What the API says, to compare the page with.
  const municipalities = await api(base, '/area-geometries?kind=municipality');
  const regions = await api(base, '/area-geometries?kind=region');
  const catalogue = await api(base, '/indicators?has_data=true&limit=1000');
  const observationsOf = (code, period, sex) =>
    api(base, `/indicators/${encodeURIComponent(code)}/observations?kind=municipality&period=${period}&sex=${sex}&benchmark=country`);
  const periodsOf = async (code) =>
    (await api(base, `/indicators/${encodeURIComponent(code)}/periods?kind=municipality`)).periods.slice().sort();
  const byArea = (answer) => {
    const map = new Map();
    for (const o of answer.observations) if (Object.keys(o.breakdown).length <= 1) map.set(o.area, o);
    return map;
  };

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;

  const table = page.locator('[data-testid="map-table"]');
  const row = (code) => table.locator(`tr[data-area="${code}"]`);
  const paths = page.locator('[data-testid="map-svg"] g.map-areas path');
  const url = () => new URL(page.url());
  // Waits until the map shows `caption` (a part of the table caption) and is drawn.
  async function waitForMap(caption) {
    await page.locator('[data-testid="map-svg"]').waitFor({ timeout: 20000 });
    if (caption)
      await page.waitForFunction(
        (text) => document.querySelector('#map-table-caption')?.textContent?.includes(text),
        caption,
        { timeout: 20000 },
      );
    await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, null, {
      timeout: 20000,
    });
    await page.waitForTimeout(100);
  }

  // --- the defaults ----------------------------------------------------------------------------
  let code = null;
  let periods = [];
  let latest = null;
  let total = null;
  await check('/karta opens with an indicator with municipal data, its latest period, total, Sweden', async () => {
    assert(municipalities.features.length === 290, `the API has ${municipalities.features.length} municipal outlines`);
    assert(regions.features.length === 21, `the API has ${regions.features.length} region outlines`);
    const started = Date.now();
    await page.goto(`${base}/karta`);
    await waitForMap();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-table"] tbody tr').length === 290);
    const ms = Date.now() - started;
    code = await page.locator('#map-indicator').inputValue();
    assert(catalogue.items.some((i) => i.code === code), `indicator ${code} is not in the catalogue`);
    periods = await periodsOf(code);
    assert(periods.length > 0, `${code} has no municipal periods`);
    latest = periods[periods.length - 1];
    assert((await page.locator('#map-period').inputValue()) === latest, `period ${await page.locator('#map-period').inputValue()}, latest ${latest}`);
    assert(await page.getByRole('radio', { name: 'Totalt' }).isChecked(), 'Totalt is not checked');
    assert((await page.locator('#map-county').inputValue()) === '', 'a county is chosen');
    const h1 = (await page.locator('h1').textContent()).trim();
    assert(h1 === 'Karta över kommunerna', `h1 "${h1}"`);
    total = await observationsOf(code, latest, 'total');
    assert(ms < 10000, `${ms} ms`);
    return `${code} ${latest}, drawn with 290 rows in ${ms} ms`;
  });
  const totals = byArea(total);
  const valued = [...totals.values()].filter((o) => o.value !== null);

  await check('the map draws 290 paths, an image with a summary as its name', async () => {
    const count = await paths.count();
    assert(count === 290, `${count} paths`);
    const svg = page.locator('[data-testid="map-svg"]');
    assert((await svg.getAttribute('role')) === 'img', 'the map is not role="img"');
    const label = await svg.getAttribute('aria-label');
    assert(label.includes(`${valued.length} med värde`) && label.includes('290 kommuner'), `aria-label "${label}"`);
    assert(label.includes(latest) && label.includes('Hela Sverige'), `aria-label "${label}"`);
    const titles = await svg.locator('g.map-areas path title').count();
    assert(titles === 290, `${titles} titles`);
    const umea = totals.get('2480');
    const title = await svg.locator('g.map-areas path title', { hasText: /^Umeå:/ }).textContent();
    assert(title.includes(figure(umea, sv, 'skyddat', 'saknas')), `Umeå's title "${title}"`);
    const outlines = await page.locator('[data-testid="map-svg"] g.map-outlines path').count();
    assert(outlines === 21, `${outlines} county outlines`);
    return label;
  });

  await check('the count says how many municipalities have a value', async () => {
    const text = await page.locator('[data-testid="map-count"]').textContent();
    assert(text.includes(`${valued.length} av 290`), `"${text}"`);
    return text;
  });

  await check('the legend: five value classes and the hatched missing class, 290 in all', async () => {
    const legend = page.locator('[data-testid="map-legend"]');
    const items = await legend.locator('li[data-legend]').count();
    assert(items === 6, `${items} legend items`);
    const missing = await legend.locator('li[data-legend="missing"]').textContent();
    assert(/Saknas eller skyddat/.test(missing), `missing item "${missing}"`);
    assert((await legend.locator('li[data-legend="missing"] rect').getAttribute('fill')) === 'url(#map-pattern-missing)', 'the missing swatch is not hatched');
    const counts = (await legend.locator('li[data-legend] .meta').allTextContents()).map((s) => Number(/\d+/.exec(s)[0]));
    assert(counts.reduce((a, b) => a + b, 0) === 290, `legend counts ${counts.join('+')}`);
    assert(counts[5] === 290 - valued.length, `missing ${counts[5]}, API ${290 - valued.length}`);
    const hatched = await page.locator('[data-testid="map-svg"] g.map-areas path[fill="url(#map-pattern-missing)"]').count();
    assert(hatched === 290 - valued.length, `${hatched} hatched paths, ${290 - valued.length} without a value`);
    const words = await legend.locator('.map-direction').textContent();
    assert(/mörkare färg/i.test(words), `the legend says "${words}"`);
    return `${counts.join(', ')}; "${words}"`;
  });

  await check('the table rows match the API (value, interval, comparison, profile link)', async () => {
    const rows = await table.locator('tbody tr').count();
    assert(rows === 290, `${rows} rows`);
    let checked = 0;
    for (const feature of municipalities.features.filter((_, i) => i % 29 === 0).concat(municipalities.features.filter((f) => f.id === '2480'))) {
      const o = totals.get(feature.id);
      const r = row(feature.id);
      const text = (await r.textContent()).replace(/\s+/g, ' ');
      assert(text.includes(feature.properties.name), `row ${feature.id} "${text}" lacks its name`);
      const value = (await r.locator('[data-col="value"]').textContent()).trim();
      assert(value === figure(o, sv, 'skyddat', 'saknas'), `${feature.id}: value "${value}", API ${o?.value}`);
      if (o?.ci_low != null) assert(text.includes(`${sv.format(o.ci_low)} – ${sv.format(o.ci_high)}`), `${feature.id}: no interval in "${text}"`);
      const compared = await r.locator('[data-compared]').getAttribute('data-compared');
      assert(compared === categoryOf(o), `${feature.id}: comparison ${compared}, API ${categoryOf(o)}`);
      const href = await r.locator('th a').getAttribute('href');
      assert(href === `/omraden/${feature.id}`, `${feature.id}: link ${href}`);
      checked += 1;
    }
    return `${checked} rows compared`;
  });

  await check('no alert and no console errors on a healthy load', async () => {
    const alerts = await page.locator('[role="alert"]').count();
    assert(alerts === 0, `${alerts} alert(s)`);
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });
  await axeCheck(page, 'map values sv 1280 px');
  await screenshot(page, 'map-values-sv-1280');

  await check('sorting by value (URL sort=value, then -value), missing last', async () => {
    await page.locator('[data-testid="map-sort-value"]').click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'value');
    const sorted = valued.map((o) => o.value).sort((a, b) => a - b);
    let first = (await table.locator('tbody tr').first().locator('[data-col="value"]').textContent()).trim();
    assert(first === sv.format(sorted[0]), `first "${first}", lowest ${sorted[0]}`);
    const last = (await table.locator('tbody tr').last().locator('[data-col="value"]').textContent()).trim();
    if (valued.length < 290) assert(/saknas|skyddat/.test(last), `last "${last}"`);
    const aria = await table.locator('thead th').nth(1).getAttribute('aria-sort');
    assert(aria === 'ascending', `aria-sort ${aria}`);
    await page.locator('[data-testid="map-sort-value"]').click();
    await page.waitForURL((u) => u.searchParams.get('sort') === '-value');
    first = (await table.locator('tbody tr').first().locator('[data-col="value"]').textContent()).trim();
    assert(first === sv.format(sorted[sorted.length - 1]), `first "${first}", highest ${sorted[sorted.length - 1]}`);
    await page.locator('[data-testid="map-sort-name"]').click();
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    return `${sorted[0]} … ${sorted[sorted.length - 1]}`;
  });

  await check('the CSV download holds the 290 rows shown', async () => {
    const href = await page.locator('[data-testid="map-csv"]').getAttribute('href');
    assert(href.startsWith('data:text/csv'), `href ${href.slice(0, 40)}`);
    const text = decodeURIComponent(href.slice(href.indexOf(',') + 1)).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    assert(lines.length === 291, `${lines.length} lines`);
    const umea = lines.find((l) => l.includes(',2480,'));
    const o = totals.get('2480');
    assert(umea && umea.startsWith(`${code},${latest},total,2480,Umeå,${o?.value ?? ''}`), `Umeå's line "${umea}"`);
    const download = await page.locator('[data-testid="map-csv"]').getAttribute('download');
    return `${download}: ${lines[0]}`;
  });

  // --- the choices ---------------------------------------------------------------------------
  await check('women: sex=women in the URL, the map and the table show the women', async () => {
    await page.getByRole('radio', { name: 'Kvinnor' }).check();
    await page.waitForURL((u) => u.searchParams.get('sex') === 'women');
    await waitForMap('kvinnor');
    const women = byArea(await observationsOf(code, latest, 'women'));
    const value = (await row('2480').locator('[data-col="value"]').textContent()).trim();
    assert(value === figure(women.get('2480'), sv, 'skyddat', 'saknas'), `Umeå "${value}"`);
    const label = await page.locator('[data-testid="map-svg"]').getAttribute('aria-label');
    assert(label.includes('kvinnor'), `aria-label "${label}"`);
    const withValue = [...women.values()].filter((o) => o.value !== null).length;
    const hatched = await page.locator('[data-testid="map-svg"] g.map-areas path[fill="url(#map-pattern-missing)"]').count();
    assert(hatched === 290 - withValue, `${hatched} hatched paths, ${290 - withValue} women without a value`);
    // The line under the heading names Riket's figure, or says that there is none to compare with.
    const riket = [...women.values()].find((o) => o.benchmark?.value != null)?.benchmark.value;
    const definition = await page.locator('[data-testid="map-definition"]').textContent();
    const expected = riket != null ? `Riket: ${sv.format(riket)}.` : `Riket har inget värde för kvinnor ${latest}`;
    assert(definition.includes(expected), `"${definition}" lacks "${expected}"`);
    return `Umeå ${value}, ${withValue} with a value; ${expected}`;
  });

  const first = periods[0];
  await check('an earlier period: period in the URL, the values of that period', async () => {
    await page.locator('#map-period').selectOption(first);
    await page.waitForURL((u) => u.searchParams.get('period') === first && u.searchParams.get('sex') === 'women');
    await waitForMap(`${first}, kvinnor`);
    const women = byArea(await observationsOf(code, first, 'women'));
    const value = (await row('2480').locator('[data-col="value"]').textContent()).trim();
    assert(value === figure(women.get('2480'), sv, 'skyddat', 'saknas'), `Umeå "${value}" in ${first}`);
    return `${first}: Umeå ${value}`;
  });

  const county = await api(base, '/area-geometries?kind=municipality&county=0024');
  await check('Västerbotten: county=0024 in the URL, its municipalities only, zoomed', async () => {
    await page.locator('#map-county').selectOption('0024');
    await page.waitForURL((u) => u.searchParams.get('county') === '0024' && u.searchParams.get('period') === first);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map-table"] tbody tr').length === n, county.features.length);
    await waitForMap();
    const count = await paths.count();
    assert(count === county.features.length, `${count} paths, ${county.features.length} in the county`);
    const names = await table.locator('tbody th a').allTextContents();
    assert(names.includes('Umeå') && names.includes('Skellefteå') && !names.includes('Stockholm'), names.join(', '));
    const box = await page.locator('[data-testid="map-svg"]').boundingBox();
    assert(box.width > 200 && box.height > 150, `map ${box.width} × ${box.height}`);
    const context = await page.locator('[data-testid="map-svg"] path').count();
    assert(context > count, 'no neighbours drawn for context');
    return `${count} municipalities, ${Math.round(box.width)} × ${Math.round(box.height)} px`;
  });
  await screenshot(page, 'map-county-sv-1280');

  await check('the whole choice survives a reload', async () => {
    await page.reload();
    await waitForMap(`${first}, kvinnor`);
    assert((await page.locator('#map-county').inputValue()) === '0024', 'county lost');
    assert((await page.locator('#map-period').inputValue()) === first, 'period lost');
    assert(await page.getByRole('radio', { name: 'Kvinnor' }).isChecked(), 'sex lost');
  });

  // --- the comparison with Riket -------------------------------------------------------------
  await check('comparison mode: mode=compared, the fills and the table follow the API markers', async () => {
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    await waitForMap();
    await page.getByRole('radio', { name: 'Jämfört med Riket' }).check();
    await page.waitForURL((u) => u.searchParams.get('mode') === 'compared');
    await waitForMap();
    const expected = {};
    for (const f of municipalities.features) {
      const c = categoryOf(totals.get(f.id));
      expected[c] = (expected[c] ?? 0) + 1;
    }
    for (const [category, n] of Object.entries(expected)) {
      const rows = await table.locator(`td[data-compared="${category}"]`).count();
      assert(rows === n, `${category}: ${rows} rows, API ${n}`);
    }
    const fills = await paths.evaluateAll((list) => list.map((p) => p.getAttribute('fill')));
    const worse = fills.filter((f) => f === 'url(#map-pattern-worse)').length;
    assert(worse === (expected.worse ?? 0), `${worse} striped paths, API ${expected.worse ?? 0} worse`);
    const notCompared = fills.filter((f) => f === 'url(#map-pattern-not-compared)').length;
    assert(notCompared === (expected.not_compared ?? 0), `${notCompared} dotted paths, API ${expected.not_compared ?? 0}`);
    const legend = await page.locator('[data-testid="map-legend"]').textContent();
    assert(/Riket/.test(legend) && /Saknas eller skyddat/.test(legend), `legend "${legend}"`);
    const label = await page.locator('[data-testid="map-svg"]').getAttribute('aria-label');
    assert(label.includes('Jämfört med Riket'), `aria-label "${label}"`);
    return JSON.stringify(expected);
  });
  await axeCheck(page, 'map compared sv 1280 px');
  await screenshot(page, 'map-compared-sv-1280');

  // --- narrow screens ------------------------------------------------------------------------
  await page.setViewportSize({ width: 375, height: 800 });
  await check('375 px: the whole map fits, no horizontal scrolling', async () => {
    await page.waitForTimeout(400);
    await waitForMap();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
    const box = await page.locator('[data-testid="map-svg"]').boundingBox();
    assert(box.x >= 0 && box.x + box.width <= 375 && box.width > 250, `map at ${box.x}, ${box.width} px wide`);
    return `map ${Math.round(box.width)} × ${Math.round(box.height)} px`;
  });
  await axeCheck(page, 'map compared sv 375 px');
  await screenshot(page, 'map-compared-sv-375');
  await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
  await waitForMap();
  await axeCheck(page, 'map values sv 375 px');
  await screenshot(page, 'map-values-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  // --- English -------------------------------------------------------------------------------
  await check('English: the language switch keeps the choice, the words and numbers are English', async () => {
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}&sex=men&county=0024`);
    await waitForMap();
    await page.locator('[data-testid="lang-switch"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const u = url();
    assert(u.searchParams.get('lang') === 'en' && u.searchParams.get('sex') === 'men' && u.searchParams.get('county') === '0024', `URL ${u}`);
    await waitForMap('men');
    const h1 = (await page.locator('h1').textContent()).trim();
    assert(h1 === 'Map of the municipalities', `h1 "${h1}"`);
    const heads = await table.locator('thead th').allTextContents();
    assert(heads[0].includes('Municipality') && heads[3].includes('Compared with Sweden'), heads.join(' | '));
    const men = byArea(await observationsOf(code, latest, 'men'));
    const value = (await row('2480').locator('[data-col="value"]').textContent()).trim();
    assert(value === figure(men.get('2480'), en, 'suppressed', 'missing'), `Umeå "${value}"`);
    const href = await row('2480').locator('th a').getAttribute('href');
    assert(href === '/omraden/2480?lang=en&sex=men', `link ${href}`);
    const label = await page.locator('[data-testid="map-svg"]').getAttribute('aria-label');
    assert(label.startsWith('Map,') && label.includes('municipalities'), `aria-label "${label}"`);
    const legend = await page.locator('[data-testid="map-legend"]').textContent();
    assert(/Missing or suppressed/.test(legend), `legend "${legend}"`);
    return value;
  });
  await axeCheck(page, 'map values en 1280 px (county)');
  await page.goto(`${base}/karta?lang=en&indicator=${encodeURIComponent(code)}&mode=compared`);
  await waitForMap();
  await axeCheck(page, 'map compared en 1280 px');
  await screenshot(page, 'map-compared-en-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForTimeout(400);
  await waitForMap();
  await axeCheck(page, 'map compared en 375 px');
  await page.setViewportSize({ width: 1280, height: 900 });

  // --- the keyboard --------------------------------------------------------------------------
  await check('keyboard: Tab reaches the table\'s links, Enter opens the profile', async () => {
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    await waitForMap();
    let found = null;
    let tabs = 0;
    for (; tabs < 60 && !found; tabs += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => {
        const a = document.activeElement;
        return a?.tagName === 'A' && a.closest('[data-testid="map-table"]') ? a.getAttribute('href') : null;
      });
    }
    assert(found, 'no table link got focus within 60 tabs');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === found);
    return `${found} after ${tabs} tabs`;
  });

  await check('keyboard: the sex choice is reachable and switches with the arrow keys', async () => {
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    await waitForMap();
    let found = false;
    for (let i = 0; i < 40 && !found; i += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.getAttribute('name') === 'map-sex');
    }
    assert(found, 'the sex choice never got focus');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL((u) => u.searchParams.get('sex') === 'women');
  });

  // --- speed ---------------------------------------------------------------------------------
  await check('interactive quickly: a load and a sex switch', async () => {
    const started = Date.now();
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    await waitForMap();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-table"] tbody tr').length === 290);
    const load = Date.now() - started;
    const switched = Date.now();
    await page.getByRole('radio', { name: 'Män' }).check();
    await waitForMap('män');
    const switchMs = Date.now() - switched;
    assert(load < 5000 && switchMs < 3000, `load ${load} ms, switch ${switchMs} ms`);
    return `load ${load} ms, sex switch ${switchMs} ms`;
  });

  // --- empty and errors ----------------------------------------------------------------------
  await check('a period without data says so (no map, no table)', async () => {
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}&period=1990`);
    const empty = page.locator('[data-testid="map-empty"]');
    await empty.waitFor({ timeout: 15000 });
    const text = await empty.textContent();
    assert(text.includes('1990'), `"${text}"`);
    assert((await page.locator('[data-testid="map-svg"]').count()) === 0, 'a map is drawn');
    return text;
  });

  await check('HTTP 500 from the observations shows the alert; retry draws the map', async () => {
    await page.route('**/api/v1/indicators/*/observations?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'test', details: {} } }),
      }),
    );
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 15000 });
    const text = await alert.textContent();
    assert(text.includes('Kommunernas värden') && text.includes('HTTP 500'), `alert says "${text}"`);
    await page.unroute('**/api/v1/indicators/*/observations?**');
    await alert.getByRole('button', { name: 'Försök igen' }).click();
    await waitForMap();
    assert((await page.locator('[role="alert"]').count()) === 0, 'the alert stays after the retry');
    return text;
  });
  await check('a lost connection (the outlines) shows the alert', async () => {
    await page.route('**/api/v1/area-geometries?**', (route) => route.abort('internetdisconnected'));
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 15000 });
    const text = await alert.textContent();
    assert(text.includes('gränser') && text.includes('Kunde inte nå servern'), `alert says "${text}"`);
    await page.unroute('**/api/v1/area-geometries?**');
    return text;
  });
  await axeCheck(page, 'map error alert sv');
  await screenshot(page, 'map-error-sv-1280');

  await check('a stopped server shows the alert when the choice changes', async () => {
    await page.goto(`${base}/karta?indicator=${encodeURIComponent(code)}`);
    await waitForMap();
    const exited = new Promise((resolve) => h.server().once('exit', resolve));
    h.stopServer();
    await exited;
    await page.getByRole('radio', { name: 'Kvinnor' }).check();
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 15000 });
    const text = await alert.textContent();
    assert(text.includes('Kunde inte nå servern'), `alert says "${text}"`);
  });
} catch (error) {
  h.fail(error);
}
await h.finish(browser);
