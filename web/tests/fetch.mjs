#!/usr/bin/env node
// Browser test of the fetch page (/hamta) against a real server and the local stand-in of
// Kolada's and PxWeb's APIs (tests/e2e/fetch_standin.py, loopback only, answering from the real
// data in the repository).
//
//   node web/tests/fetch.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots \
//       [--root REPOSITORY]
//
// Creates a database (`init`: the area registry) with an analyst, who signs in; starts the
// stand-in and `halsonav serve --web`, opens the page from the navigation, starts a Kolada fetch from the form, watches its state
// change live until done and reads the import's counts; breaks the stand-in (an HTML error page
// instead of JSON) and sees the failure's message in full; stalls it and cancels a fetch; checks
// the recent fetches; runs axe (WCAG 2.1 A/AA) in Swedish at 1280 px and 375 px and in English;
// takes screenshots. One line per check, "N passed, M failed" at the end, exit 1 on any failure.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { assert, setUp } from './harness.mjs';

const h = setUp('fetch');
const { outDir, check, axeCheck, screenshot, startServer, api } = h;
const root = resolve(h.args.root ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));

// The stand-in on a free port; resolves with its base URL.
let standin = null;
function startStandin() {
  return new Promise((resolvePromise, reject) => {
    standin = spawn('/usr/bin/python3', [join(root, 'tests', 'e2e', 'fetch_standin.py'), '--root', root,
      '--port', '0', '--page-size', '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('the stand-in did not start within 20 s')), 20000);
    standin.on('exit', (code) => reject(new Error(`the stand-in exited (${code})`)));
    createInterface({ input: standin.stdout }).on('line', (line) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
  });
}
process.on('exit', () => standin?.kill('SIGTERM'));

async function control(standinBase, path, body) {
  const response = await fetch(`${standinBase}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert(response.ok, `${path}: HTTP ${response.status}`);
}

let browser = null;
try {
  h.run(['init', '--db', h.db]);
  // Fetches are for analysts (docs/SECURITY.md): the browser signs in as one.
  const password = 'analytikerns-eget-losenord';
  h.addUser('analytiker', password, 'analyst');
  const kolada = await startStandin();
  const base = await startServer();
  console.log(`# server at ${base}, stand-in at ${kolada}, screenshots in ${outDir}`);

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;
  await h.signInAs(page, base, 'analytiker', password);
  const state = page.getByTestId('fetch-state');

  // Fills the Kolada form and starts; resolves with the job's id from the URL.
  async function startKolada(municipalities, years) {
    await page.getByLabel('Kolada', { exact: true }).check();
    await page.getByLabel('Nyckeltal (KPI-id)').fill('N00945');
    await page.getByLabel('Valda kommuner eller regioner').check();
    await page.getByLabel('Områdeskoder').fill(municipalities);
    await page.getByLabel('År (valfritt)').fill(years);
    const advanced = page.locator('details.fetch-advanced');
    if (!(await advanced.evaluate((d) => d.open))) await advanced.locator('summary').click();
    await page.getByLabel('Koladas adress').fill(kolada);
    await page.getByRole('button', { name: 'Starta hämtningen' }).click();
    await page.waitForURL(/\/hamta\?jobb=\d+$/);
    return Number(new URL(page.url()).searchParams.get('jobb'));
  }

  await page.goto(`${base}/`);
  await check('the nav has "Hämta statistik" and it opens the fetch page', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Hämta statistik' }).click();
    await page.waitForURL('**/hamta');
    const text = (await page.locator('h1').textContent())?.trim();
    assert(text === 'Hämta statistik', `h1 is "${text}"`);
    await page.getByText('Inga hämtningar ännu.').waitFor({ timeout: 10000 });
  });
  await axeCheck(page, 'fetch form sv 1280 px');

  let firstJob = 0;
  await check('a Kolada fetch runs live to "Klar" and shows the import counts', async () => {
    // One 429 with Retry-After: 1 first, so that the job is seen running.
    await control(kolada, '/_fault', { path: '/v3/data/', kind: '429', times: 1, retry_after: 1 });
    firstJob = await startKolada('0180, 1280, 1480', '2000-2002');
    const seen = new Set();
    for (let i = 0; i < 300; i += 1) {
      seen.add((await state.textContent())?.trim());
      if (seen.has('Klar') || seen.has('Misslyckades')) break;
      await page.waitForTimeout(50);
    }
    assert(seen.has('Klar'), `states seen: ${[...seen].join(', ')}`);
    assert(seen.has('Hämtar'), `never seen fetching: ${[...seen].join(', ')}`);
    const job = await api(base, `/fetches/${firstJob}`);
    const counts = job.report.observations;
    assert(counts.new > 0, `the API's report: ${JSON.stringify(counts)}`);
    const report = (await page.getByTestId('fetch-report').textContent()).replace(/\s+/g, ' ');
    const sv = new Intl.NumberFormat('sv-SE');
    for (const [label, value] of [['Nya värden', counts.new], ['Ändrade värden', counts.changed],
      ['Oförändrade värden', counts.unchanged]])
      assert(report.includes(`${label}${sv.format(value)}`), `"${label}" ${value} not in "${report}"`);
    return `states ${[...seen].join(' → ')}; ${counts.new} new`;
  });
  await check('the recent fetches list the job as done', async () => {
    const row = page.getByTestId('fetch-recent').locator('tbody tr').first();
    await row.getByText('Klar').waitFor({ timeout: 5000 });
    const text = await row.textContent();
    assert(text.includes(`Nr ${firstJob}`) && text.includes('N00945'), `row "${text}"`);
    assert(text.includes('analytiker'), `the row names no user: "${text}"`);
  });
  await screenshot(page, 'fetch-done-sv-1280');

  await check('fetching the same again changes nothing: all unchanged', async () => {
    await page.goto(`${base}/hamta`);
    const id = await startKolada('0180, 1280, 1480', '2000-2002');
    await page.getByTestId('fetch-state').getByText('Klar').waitFor({ timeout: 30000 });
    const job = await api(base, `/fetches/${id}`);
    assert(job.report.observations.new === 0 && job.report.observations.unchanged > 0,
      JSON.stringify(job.report.observations));
  });

  await check('a PxWeb dry run from the form: checked, the cells counted, nothing stored', async () => {
    await page.goto(`${base}/hamta`);
    await page.getByLabel('PxWeb').check();
    await page.getByLabel('Tabellens adress').fill(`${kolada}/api/v2/tables/TAB6471`);
    await page.getByLabel('Urval per variabel (valfritt)').fill(
      'Region=01,24\nAlder=20-29,30-39\nKon=*\nTid=2026M01');
    await page.getByLabel('Provkörning: hämta och kontrollera, spara inget').check();
    await page.getByRole('button', { name: 'Starta hämtningen' }).click();
    await page.waitForURL(/\/hamta\?jobb=\d+$/);
    const id = Number(new URL(page.url()).searchParams.get('jobb'));
    await state.getByText('Klar').waitFor({ timeout: 30000 });
    const job = await api(base, `/fetches/${id}`);
    assert(job.report.dry_run === true, JSON.stringify(job.report).slice(0, 300));
    await page.getByText('Provkörningen gick igenom. Inget sparades.').waitFor();
    const report = (await page.getByTestId('fetch-report').textContent()).replace(/\s+/g, ' ');
    assert(report.includes(`Celler${job.report.fetch.cells}`), `"${report}"`);
    return `${job.report.fetch.cells} cells, ${job.report.observations.new} new (not stored)`;
  });

  await check('a broken service (an HTML page instead of JSON) fails with its message in full', async () => {
    await control(kolada, '/_fault', { path: '/v3/data/', kind: 'html', times: -1 });
    await page.goto(`${base}/hamta`);
    const id = await startKolada('2480', '2010-2012');
    const failure = page.getByTestId('fetch-failure');
    await failure.waitFor({ timeout: 30000 });
    const job = await api(base, `/fetches/${id}`);
    assert(job.state === 'failed' && job.error.code === 'upstream', JSON.stringify(job.error));
    const text = (await failure.locator('.fetch-message').textContent()).trim();
    assert(text === job.error.message, `shown "${text}", API "${job.error.message}"`);
    assert(text.includes('/v3/data/'), `the message names no URL: ${text}`);
    const title = await failure.locator('.alert-title').textContent();
    assert(title.includes('Tjänsten kunde inte nås'), `title "${title}"`);
    assert((await state.textContent()).trim() === 'Misslyckades', 'state is not Misslyckades');
    return text.slice(0, 80);
  });
  await axeCheck(page, 'fetch failed sv 1280 px');
  await screenshot(page, 'fetch-failed-sv-1280');

  await check('a bad year is refused at once, naming the field', async () => {
    await control(kolada, '/_reset', {});
    await page.goto(`${base}/hamta`);
    await page.getByLabel('Nyckeltal (KPI-id)').fill('N00945');
    await page.getByLabel('Områdeskoder').fill('2480');
    await page.getByLabel('År (valfritt)').fill('tjugohundra');
    await page.getByRole('button', { name: 'Starta hämtningen' }).click();
    const alert = page.getByTestId('error-alert');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('fältet /years är fel'), `alert "${text}"`);
    assert(new URL(page.url()).searchParams.get('jobb') === null, 'a job was started');
    return text.slice(0, 120);
  });

  let stalled = 0;
  await check('two fetches run at once; a third is refused with a clear message', async () => {
    await control(kolada, '/_fault', { path: '/v3/data/', kind: 'stall', times: 2, seconds: 4 });
    await page.goto(`${base}/hamta`);
    await startKolada('2480', '2015-2016');
    await page.goto(`${base}/hamta`);
    stalled = await startKolada('2482', '2015-2016');
    await page.goto(`${base}/hamta`);
    await page.getByLabel('Nyckeltal (KPI-id)').fill('N00945');
    await page.getByLabel('Områdeskoder').fill('0180');
    await page.getByRole('button', { name: 'Starta hämtningen' }).click();
    const alert = page.getByTestId('error-alert');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('så många hämtningar som den tillåter'), `alert "${text}"`);
  });

  await check('a stalled fetch is cancelled from the page: "Avbruten", nothing stored', async () => {
    await page.goto(`${base}/hamta?jobb=${stalled}`);
    await state.getByText('Hämtar').waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(outDir, 'fetch-running-sv-1280.png'), fullPage: true });
    await page.getByTestId('fetch-cancel').click();
    await state.getByText('Avbruten').waitFor({ timeout: 40000 });
    const job = await api(base, `/fetches/${stalled}`);
    assert(job.state === 'cancelled' && job.cancel_requested, JSON.stringify(job));
    await page.getByText('Hämtningen avbröts. Inget sparades.').waitFor();
    const stored = await api(base, '/indicators/N00945/observations?area=2482');
    assert(JSON.stringify(stored).indexOf('"2482"') === -1,
      `2482 stored: ${JSON.stringify(stored).slice(0, 200)}`);
  });

  await check('at 375 px the form and the job fit the width', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/hamta?jobb=${firstJob}`);
    await state.getByText('Klar').waitFor({ timeout: 10000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `the page is ${overflow} px wider than the window`);
  });
  await axeCheck(page, 'fetch done sv 375 px');
  await screenshot(page, 'fetch-done-sv-375');

  await check('in English: the page, the states and the counts', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/hamta?lang=en&jobb=${firstJob}`);
    await page.getByRole('heading', { level: 1, name: 'Fetch statistics' }).waitFor({ timeout: 10000 });
    await state.getByText('Done').waitFor({ timeout: 10000 });
    const report = await page.getByTestId('fetch-report').textContent();
    assert(report.includes('New values'), report);
  });
  await axeCheck(page, 'fetch done en 1280 px');
  await screenshot(page, 'fetch-done-en-1280');

  await check('no page errors', async () => {
    // The refused starts (400, 503) the browser logs as failed resources: expected, not faults.
    const unexpected = pageErrors.filter((e) => !/status of (400|503)/.test(e));
    assert(unexpected.length === 0, unexpected.join('\n'));
  });
} catch (error) {
  h.fail(error);
}
await h.finish(browser);
