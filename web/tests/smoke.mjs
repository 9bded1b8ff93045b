#!/usr/bin/env node
// Smoke test of the web application against a real server with the demo content.
//
//   node web/tests/smoke.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Creates a demo database in a temporary folder, starts `halsonav serve --web`, drives the
// system Chromium with playwright-core, checks the start page in Swedish and English, runs axe
// (WCAG 2.1 A/AA), takes screenshots (also at 375 px) and checks that API failures show the
// alert. One line per check, "N passed, M failed" at the end, exit 1 on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const usage =
  'usage: node web/tests/smoke.mjs --binary HALSONAV --web WEB_DIST --out DIR [--chromium PATH]';

function parseArgs(argv) {
  const args = { chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!name?.startsWith('--') || value === undefined) {
      console.error(usage);
      process.exit(2);
    }
    args[name.slice(2)] = value;
  }
  for (const required of ['binary', 'web', 'out'])
    if (!args[required]) {
      console.error(usage);
      process.exit(2);
    }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const binary = resolve(args.binary);
const webDir = resolve(args.web);
const outDir = resolve(args.out);
if (!existsSync(join(webDir, 'index.html'))) {
  console.error(`${webDir}/index.html is missing: run npm run build in web/ first`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

// --- checks ----------------------------------------------------------------------------------
let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    const detail = await fn();
    passed += 1;
    console.log(`ok ${name}${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeCheck(page, name) {
  await check(`axe ${name}: no WCAG 2.1 A/AA violations`, async () => {
    const result = await new AxeBuilder({ page }).withTags(axeTags).analyze();
    if (result.violations.length === 0) return `${result.passes.length} rules passed`;
    const lines = result.violations.map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `      ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'),
    );
    throw new Error(`${result.violations.length} violation(s)\n${lines.join('\n')}`);
  });
}

async function screenshot(page, name) {
  await check(`screenshot ${name}`, async () => {
    const path = join(outDir, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  });
}

// --- server ----------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'halsonav-smoke-'));
const db = join(work, 'h.db');
let server = null;

function stopServer() {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
}

process.on('exit', stopServer);
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });

function startServer() {
  return new Promise((resolvePromise, reject) => {
    server = spawn(
      binary,
      ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', webDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const timer = setTimeout(() => reject(new Error('no "listening on" line within 20 s')), 20000);
    const stderr = [];
    server.stderr.on('data', (chunk) => stderr.push(chunk));
    server.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}): ${Buffer.concat(stderr).toString()}`));
    });
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
  });
}

async function api(base, path) {
  const response = await fetch(`${base}/api/v1${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// --- the run ---------------------------------------------------------------------------------
let browser = null;
try {
  const init = spawnSync(binary, ['init', '--db', db, '--demo'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`init failed (${init.status}): ${init.stderr}`);
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);

  const frameworks = (await api(base, '/frameworks?limit=1000')).items;
  const measureTotals = new Map();
  for (const f of frameworks)
    measureTotals.set(f.id, (await api(base, `/measures?framework_id=${f.id}&limit=1`)).total);

  browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: ['--no-sandbox'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  // Swedish, the default.
  await page.goto(`${base}/`);
  await check('start page in Swedish: heading and <html lang="sv">', async () => {
    const h1 = page.locator('h1');
    await h1.waitFor();
    const text = (await h1.textContent())?.trim();
    assert(text === 'Översikt över folkhälsoarbetet', `h1 is "${text}"`);
    const lang = await page.getAttribute('html', 'lang');
    assert(lang === 'sv', `html lang is "${lang}"`);
  });

  await check('the demo frameworks are listed', async () => {
    assert(frameworks.length === 4, `the API lists ${frameworks.length} frameworks, expected 4`);
    const cards = page.locator('[data-testid="framework"]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="framework"]').length === n,
      frameworks.length,
      { timeout: 10000 },
    );
    const text = (await cards.allTextContents()).join('\n');
    for (const f of frameworks) assert(text.includes(f.title), `"${f.title}" not listed`);
    for (const region of ['Västerbotten', 'Norrbotten', 'nationella'])
      assert(text.includes(region), `nothing from ${region}`);
    return `${frameworks.length} frameworks`;
  });

  await check('measure totals per framework match the API', async () => {
    const swedish = new Intl.NumberFormat('sv-SE');
    for (const f of frameworks) {
      const card = page.locator('[data-testid="framework"]', { hasText: f.title });
      const text = await card.textContent();
      const total = measureTotals.get(f.id);
      const expected =
        total === 0
          ? 'Inga åtgärder.'
          : `${swedish.format(total)} ${total === 1 ? 'åtgärd' : 'åtgärder'}`;
      assert(text.includes(expected), `"${f.title}": expected "${expected}" in "${text}"`);
    }
  });

  await check('recent changes: the latest 10', async () => {
    const items = page.locator('[data-testid="history"] li');
    await items.first().waitFor();
    const count = await items.count();
    assert(count === 10, `${count} entries`);
  });

  await check('no alert and no console errors on a healthy load', async () => {
    const alerts = await page.locator('[role="alert"]').count();
    assert(alerts === 0, `${alerts} alert(s)`);
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });

  await axeCheck(page, 'sv 1280 px');
  await screenshot(page, 'start-sv-1280');

  await page.setViewportSize({ width: 375, height: 800 });
  await check('375 px: no horizontal scrolling', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'sv 375 px');
  await screenshot(page, 'start-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  // English through the switch in the header.
  await check('language switch to English', async () => {
    await page.locator('[data-testid="lang-switch"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const text = (await page.locator('h1').textContent())?.trim();
    assert(text === 'Overview of the public-health work', `h1 is "${text}"`);
    assert(new URL(page.url()).searchParams.get('lang') === 'en', `URL is ${page.url()}`);
    await page.locator('[data-testid="history"] li').first().waitFor();
    const frameworksHeading = await page.locator('#frameworks-heading').textContent();
    assert(frameworksHeading === 'Frameworks', `h2 is "${frameworksHeading}"`);
  });
  await axeCheck(page, 'en 1280 px');
  await screenshot(page, 'start-en-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'en 375 px');
  await screenshot(page, 'start-en-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('navigation keeps the language', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Start' }).click();
    assert(new URL(page.url()).searchParams.get('lang') === 'en', `URL is ${page.url()}`);
    assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang changed');
  });

  await check('an unknown page shows "not found" (index.html from the server)', async () => {
    await page.goto(`${base}/no-such-page?lang=en`);
    const text = (await page.locator('h1').textContent())?.trim();
    assert(text === 'Page not found', `h1 is "${text}"`);
  });

  // Failures: a 500 from the API, a lost connection, and the server gone.
  await check('HTTP 500 from the API shows the alert', async () => {
    await page.route('**/api/v1/history**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'test', details: {} } }),
      }),
    );
    await page.goto(`${base}/`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('HTTP 500'), `alert says "${text}"`);
    assert(text.includes('senaste ändringarna'), `alert does not name the history: "${text}"`);
    await page.unroute('**/api/v1/history**');
  });
  await axeCheck(page, 'sv error alert');
  await screenshot(page, 'start-sv-error-500');

  await check('a lost connection shows the alert', async () => {
    await page.route('**/api/v1/frameworks**', (route) => route.abort('connectionrefused'));
    await page.goto(`${base}/?lang=en`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('Could not reach the server'), `alert says "${text}"`);
    await page.unroute('**/api/v1/frameworks**');
  });

  await check('the server stopped: the start page shows the alert', async () => {
    // The application is loaded while the server runs; the server then stops and a client-side
    // navigation to the start page makes its requests fail for real.
    await page.goto(`${base}/no-such-page`);
    await page.locator('h1').waitFor();
    const exited = new Promise((r) => server.once('exit', r));
    stopServer();
    await exited;
    await page.getByRole('link', { name: 'Till startsidan' }).click();
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('Kunde inte nå servern'), `alert says "${text}"`);
  });
  await screenshot(page, 'start-sv-server-stopped');
} catch (error) {
  failed += 1;
  console.log(`FAIL setup: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  stopServer();
  rmSync(work, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
