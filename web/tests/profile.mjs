#!/usr/bin/env node
// Browser test of the area profile pages against a real server with synthetic survey data.
//
//   node web/tests/profile.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Creates a database in a temporary folder (`init`: the area registry; then `synth` and its
// JSON-stat files),
// starts `halsonav serve --web`, drives the system Chromium with playwright-core: opens /omraden,
// picks Umeå (2480), checks the profile rows of the synthetic indicators (values, comparison,
// spine charts with their aria-labels), switches to women (URL), runs axe (WCAG 2.1 A/AA) in
// Swedish and English at 1280 and 375 px, takes screenshots, and checks that a 500 shows the
// alert. One line per check, "N passed, M failed" at the end, exit 1 on any failure.
import { assert, setUp } from './harness.mjs';

const h = setUp('profile');
const { outDir, check, axeCheck, screenshot, startServer, api } = h;

// --- the run ---------------------------------------------------------------------------------
let browser = null;
try {
  h.importSynthetic();
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);

  const profile = await api(base, '/areas/2480/profile');
  const synt = profile.indicators.find((row) => row.indicator.code === 'SYNT0001');
  assert(synt, 'the API profile of 2480 has no SYNT0001 row');
  const sv = new Intl.NumberFormat('sv-SE');
  const en = new Intl.NumberFormat('en-GB');
  const cellText = (f, fmt, suppressed, missing) =>
    !f || f.value === null ? (f?.status.includes('suppressed') ? suppressed : missing) : fmt.format(f.value);

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;

  const row = (code) => page.locator(`[data-testid="profile-table"] tr[data-indicator="${code}"]`);
  async function waitForProfile() {
    await row('SYNT0001').locator('svg[data-testid="spine"]').waitFor({ timeout: 15000 });
  }

  await page.goto(`${base}/`);
  await check('the nav has "Områden" and it opens the list grouped by county', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Områden' }).click();
    await page.waitForURL('**/omraden');
    const text = (await page.locator('h1').textContent())?.trim();
    assert(text === 'Områden', `h1 is "${text}"`);
    await page.locator('#county-0024').waitFor({ timeout: 10000 });
    const groups = await page.locator('[data-testid="area-groups"] section').count();
    assert(groups >= 21, `${groups} county groups`);
    const section = page.locator('section[aria-labelledby="county-0024"]');
    const links = await section.locator('a').allTextContents();
    assert(links.includes('Umeå') && links.includes('Skellefteå'), `Västerbotten lists ${links.join(', ')}`);
    return `${groups} groups`;
  });
  await axeCheck(page, 'area list sv 1280 px');
  await screenshot(page, 'areas-sv-1280');

  await check('picking Umeå opens /omraden/2480 with the county and Riket', async () => {
    await page.getByRole('link', { name: 'Umeå', exact: true }).click();
    await page.waitForURL('**/omraden/2480');
    await waitForProfile();
    const h1 = await page.locator('h1').textContent();
    assert(h1.includes('Umeå'), `h1 "${h1}"`);
    const lead = await page.locator('.lead').textContent();
    assert(lead.includes('Region Västerbotten') && lead.includes('Riket'), `lead "${lead}"`);
  });

  await check('one row per indicator of the API profile', async () => {
    const rows = await page.locator('[data-testid="profile-table"] tbody tr').count();
    assert(rows === profile.indicators.length, `${rows} rows, ${profile.indicators.length} indicators`);
    for (const r of profile.indicators)
      assert((await row(r.indicator.code).count()) === 1, `no row for ${r.indicator.code}`);
    return `${rows} rows`;
  });

  await check('SYNT0001: value, county, Riket, comparison in words and the indicator link', async () => {
    const text = (await row('SYNT0001').textContent()).replace(/\s+/g, ' ');
    const t = synt.total;
    const value = cellText(t.area, sv, 'skyddat', 'saknas');
    assert(text.includes(value), `row "${text}" lacks the value ${value}`);
    assert(text.includes(cellText(t.county, sv, 'skyddat', 'saknas')), `row "${text}" lacks the county`);
    assert(text.includes(cellText(t.country, sv, 'skyddat', 'saknas')), `row "${text}" lacks Riket`);
    assert(text.includes(synt.period), `row lacks the period ${synt.period}`);
    const compared = t.compared?.country?.at_95 ?? 'not_compared';
    const cell = row('SYNT0001').locator('[data-compared]');
    assert((await cell.getAttribute('data-compared')) === compared, `comparison ${await cell.getAttribute('data-compared')}, API ${compared}`);
    assert((await cell.locator('svg').count()) === 1, 'no symbol beside the comparison');
    assert(/Riket/.test(await cell.textContent()), `comparison "${await cell.textContent()}"`);
    const href = await row('SYNT0001').locator('th a').getAttribute('href');
    assert(href === '/indikatorer/SYNT0001?area=2480', `link ${href}`);
    return `${value}, ${compared}`;
  });

  await check('SYNT0001 has a spine chart whose aria-label has the same numbers', async () => {
    const svg = row('SYNT0001').locator('svg[data-testid="spine"]');
    assert((await svg.getAttribute('role')) === 'img', 'the spine chart has no role img');
    const label = await svg.getAttribute('aria-label');
    const t = synt.total;
    for (const part of ['Umeå', 'Region Västerbotten', 'Riket', cellText(t.area, sv, 'skyddat', 'saknas'), cellText(t.country, sv, 'skyddat', 'saknas')])
      assert(label.includes(part), `aria-label "${label}" lacks ${part}`);
    if (t.area?.ci_low != null) assert(label.includes(sv.format(t.area.ci_low)), `aria-label lacks the interval`);
    const marks = await svg.locator('circle, rect, polygon, line').count();
    assert(marks >= 4, `${marks} shapes`);
    return label;
  });

  await check('no alert and no console errors on a healthy load', async () => {
    const alerts = await page.locator('[role="alert"]').count();
    assert(alerts === 0, `${alerts} alert(s)`);
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });
  await axeCheck(page, 'profile sv 1280 px');
  await screenshot(page, 'profile-sv-1280');

  await check('switching to women puts sex=women in the URL and shows the women', async () => {
    await page.getByRole('radio', { name: 'Kvinnor' }).check();
    await page.waitForURL((url) => url.searchParams.get('sex') === 'women');
    await page.waitForFunction(() => document.querySelector('#profile-caption')?.textContent?.includes('Kvinnor'));
    const text = (await row('SYNT0001').textContent()).replace(/\s+/g, ' ');
    const value = cellText(synt.women?.area, sv, 'skyddat', 'saknas');
    assert(text.includes(value), `row "${text}" lacks the women's ${value}`);
    const country = cellText(synt.women?.country, sv, 'skyddat', 'saknas');
    assert(text.includes(country), `row "${text}" lacks Riket's ${country}`);
    return `${value}, Riket ${country}`;
  });

  await check('the sex survives a reload', async () => {
    await page.reload();
    await waitForProfile();
    assert(await page.getByRole('radio', { name: 'Kvinnor' }).isChecked(), 'Kvinnor is not checked after reload');
  });

  await page.setViewportSize({ width: 375, height: 800 });
  await check('375 px: no horizontal scrolling of the page', async () => {
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'profile sv 375 px');
  await screenshot(page, 'profile-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('English: the language switch keeps the sex', async () => {
    await page.locator('[data-testid="lang-switch"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const url = new URL(page.url());
    assert(url.searchParams.get('sex') === 'women', `URL ${url}`);
    await waitForProfile();
    const caption = await page.locator('#profile-caption').textContent();
    assert(caption.includes('Women'), `caption "${caption}"`);
    const text = (await row('SYNT0001').textContent()).replace(/\s+/g, ' ');
    const value = cellText(synt.women?.area, en, 'suppressed', 'missing');
    assert(text.includes(value), `row "${text}" lacks ${value}`);
    const label = await row('SYNT0001').locator('svg[data-testid="spine"]').getAttribute('aria-label');
    assert(label.includes('Sweden'), `aria-label "${label}"`);
  });
  await axeCheck(page, 'profile en 1280 px');
  await screenshot(page, 'profile-en-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'profile en 375 px');
  await screenshot(page, 'profile-en-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(`${base}/omraden?lang=en`);
  await page.locator('#county-0024').waitFor({ timeout: 10000 });
  await axeCheck(page, 'area list en 1280 px');
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'area list en 375 px');
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('keyboard: the sex choice is reachable by Tab and switches with the arrow keys', async () => {
    await page.goto(`${base}/omraden/2480`);
    await waitForProfile();
    let found = false;
    for (let i = 0; i < 40 && !found; i += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.getAttribute('name') === 'profile-sex');
    }
    assert(found, 'the sex choice never got focus');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL((url) => url.searchParams.get('sex') === 'women');
  });

  await check('Riket\'s profile has no comparison column', async () => {
    await page.goto(`${base}/omraden/0000`);
    await waitForProfile();
    const heads = await page.locator('[data-testid="profile-table"] thead th').allTextContents();
    assert(!heads.some((h) => h.includes('Jämfört')), `columns: ${heads.join(' | ')}`);
  });

  await check('550 rows render quickly (a mocked profile)', async () => {
    const big = {
      ...profile,
      indicators: Array.from({ length: 550 }, (_, i) => ({
        ...synt,
        indicator: { ...synt.indicator, code: `PERF${String(i).padStart(4, '0')}` },
      })),
    };
    await page.route('**/api/v1/areas/2480/profile', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(big) }),
    );
    const started = Date.now();
    await page.goto(`${base}/omraden/2480`);
    await row('PERF0549').locator('svg[data-testid="spine"]').waitFor({ timeout: 15000 });
    const ms = Date.now() - started;
    const rows = await page.locator('[data-testid="profile-table"] tbody tr').count();
    const switched = Date.now();
    await page.getByRole('radio', { name: 'Män' }).check();
    await page.waitForFunction(() => document.querySelector('#profile-caption')?.textContent?.includes('Män'));
    const switchMs = Date.now() - switched;
    await page.unroute('**/api/v1/areas/2480/profile');
    assert(rows === 550, `${rows} rows`);
    assert(ms < 5000 && switchMs < 3000, `load ${ms} ms, switch ${switchMs} ms`);
    return `load and render ${ms} ms, sex switch ${switchMs} ms`;
  });

  await check('an unknown area shows the alert', async () => {
    await page.goto(`${base}/omraden/9999`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('HTTP 404'), `alert says "${text}"`);
  });

  await check('HTTP 500 from the profile shows the alert', async () => {
    await page.route('**/api/v1/areas/*/profile', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'test', details: {} } }),
      }),
    );
    await page.goto(`${base}/omraden/2480`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('Områdesprofilen') && text.includes('HTTP 500'), `alert says "${text}"`);
    await page.unroute('**/api/v1/areas/*/profile');
  });
  await axeCheck(page, 'profile sv error alert');

  await check('HTTP 500 from the area list shows the alert', async () => {
    await page.route('**/api/v1/areas?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'test', details: {} } }),
      }),
    );
    await page.goto(`${base}/omraden`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('Områdena') && text.includes('HTTP 500'), `alert says "${text}"`);
    await page.unroute('**/api/v1/areas?**');
  });
} catch (error) {
  h.fail(error);
}
await h.finish(browser);
