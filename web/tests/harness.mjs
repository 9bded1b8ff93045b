// What the browser tests share (smoke.mjs, indicators.mjs, profile.mjs): their command line, the
// checks and their report, axe, screenshots, a temporary database, `halsonav serve --web` on a
// free port, the browser, and the synthetic statistics the indicator pages need.
//
//   const h = setUp('profile');
//   ... await h.check('name', async () => { assert(...); return 'detail'; }) ...
//   await h.finish(browser);   // prints "N passed, M failed" and exits 1 on any failure
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function parseArgs(script, argv) {
  const usage =
    `usage: node web/tests/${script}.mjs --binary HALSONAV --web WEB_DIST --out DIR` +
    ' [--chromium PATH]';
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

export function setUp(script) {
  const args = parseArgs(script, process.argv.slice(2));
  const binary = resolve(args.binary);
  const webDir = resolve(args.web);
  const outDir = resolve(args.out);
  if (!existsSync(join(webDir, 'index.html'))) {
    console.error(`${webDir}/index.html is missing: run npm run build in web/ first`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `halsonav-${script}-`));
  const db = join(work, 'h.db');
  let passed = 0;
  let failed = 0;
  let server = null;

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

  function stopServer() {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  }
  process.on('exit', stopServer);
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      stopServer();
      process.exit(130);
    });

  // Starts `halsonav serve --web` on a free port; resolves with its base URL.
  function startServer() {
    return new Promise((resolvePromise, reject) => {
      server = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', webDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
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

  function run(argv, input) {
    const result = spawnSync(binary, argv, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      input,
    });
    if (result.status !== 0)
      throw new Error(`halsonav ${argv[0]} failed (${result.status}): ${result.stderr}`);
    return result.stdout;
  }

  // Adds a user with `password` (and `roles`, `actor` id) to the database; with `token`, also a
  // personal API token, returned as the headers that act as the user.
  function addUser(name, password, roles, actor = null, token = false) {
    const argv = ['user', 'add', name, '--email', `${name}@test.example`, '--role', roles,
                  '--password-stdin', '--db', db];
    if (actor !== null) argv.push('--actor', String(actor));
    run(argv, `${password}\n`);
    if (!token) return null;
    const out = run(['token', 'create', '--user', name, '--name', 'browser test', '--db', db]);
    const match = /token \(shown once\): (\S+)/.exec(out);
    if (!match) throw new Error(`token create printed no token: ${out}`);
    return { Authorization: `Bearer ${match[1]}` };
  }

  // Signs in through the sign-in page; the browser keeps the session cookie.
  async function signInAs(page, base, name, password) {
    await page.goto(`${base}/logga-in`);
    await page.locator('#sign-in-user').fill(name);
    await page.locator('#sign-in-password').fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.locator('[data-testid="account"]').waitFor({ timeout: 10000 });
  }

  // The headers `api` reads with: none (a visitor, who reads no draft framework) until `readAs`
  // gives a user's token headers (addUser's), so that a test reads what that user reads.
  let readHeaders = {};
  function readAs(headers) {
    readHeaders = headers ?? {};
  }

  async function api(base, path) {
    const response = await fetch(`${base}/api/v1${path}`, { headers: readHeaders });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  // A database for the statistics pages: what `init` gives every database (Kolada's area
  // registry and the outlines of the municipalities and regions, for the map) and the synthetic
  // survey set split by sex and education.
  function importSynthetic() {
    run(['init', '--db', db]);
    const synth = join(work, 'synth');
    run(['synth', '--db', db, '-o', synth, '--municipalities', '290', '--indicators', '20',
         '--years', '10']);
    const jsonstat = readdirSync(join(synth, 'jsonstat'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(synth, 'jsonstat', name));
    run(['import', 'stats', '--db', db, '--format', 'jsonstat', '--no-progress', '--mapping',
         join(synth, 'jsonstat_mapping.json'), ...jsonstat]);
  }

  // Debian's Chromium (or --chromium) headless, one page at 1280 × 900; `pageErrors` collects
  // the page's uncaught errors and console errors.
  async function openBrowser() {
    const browser = await chromium.launch({
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
    return { browser, page, pageErrors };
  }

  // A failure outside any check (the set-up): counted, reported.
  function fail(error) {
    failed += 1;
    console.log(`FAIL setup: ${error instanceof Error ? error.message : String(error)}`);
  }

  async function finish(browser) {
    if (browser) await browser.close().catch(() => {});
    stopServer();
    rmSync(work, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  }

  return {
    args, binary, webDir, outDir, work, db,
    server: () => server,
    check, axeCheck, screenshot, startServer, stopServer, run, api, readAs, importSynthetic,
    addUser, signInAs,
    openBrowser,
    fail, finish,
  };
}
