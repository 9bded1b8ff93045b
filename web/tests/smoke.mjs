#!/usr/bin/env node
// Smoke test of the web application against a real server with the demo content.
//
//   node web/tests/smoke.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Creates a demo database in a temporary folder, starts `halsonav serve --web`, drives the
// system Chromium with playwright-core, checks the start page in Swedish and English, runs axe
// (WCAG 2.1 A/AA), takes screenshots (also at 375 px) and checks that API failures show the
// alert. One line per check, "N passed, M failed" at the end, exit 1 on any failure.
import { assert, setUp } from './harness.mjs';

const h = setUp('smoke');
const { db, outDir, check, axeCheck, screenshot, startServer, stopServer, run, api } = h;

// --- the run ---------------------------------------------------------------------------------
let browser = null;
try {
  run(['init', '--db', db, '--demo']);
  // The demo's Norrbotten action plan is a draft, which only signed-in users read
  // (docs/SECURITY.md, "Reading"): a visitor's view is checked first, the rest as a reader.
  const readerPassword = 'lasarens-eget-losenord';
  const reader = h.addUser('lasare', readerPassword, 'reader', null, true);
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);

  const publicFrameworks = (await api(base, '/frameworks?limit=1000')).items;
  h.readAs(reader);
  const frameworks = (await api(base, '/frameworks?limit=1000')).items;
  const drafts = frameworks.filter((f) => f.status === 'draft');
  const measureTotals = new Map();
  for (const f of frameworks)
    measureTotals.set(f.id, (await api(base, `/measures?framework_id=${f.id}&limit=1`)).total);

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;

  await check('a visitor: the draft is not listed, and its page says it is not there', async () => {
    assert(drafts.length === 1, `${drafts.length} drafts in the demo`);
    assert(publicFrameworks.length === frameworks.length - 1, `${publicFrameworks.length} public`);
    await page.goto(`${base}/`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="framework"]').length === n,
      publicFrameworks.length,
      { timeout: 10000 },
    );
    const text = (await page.locator('[data-testid="framework"]').allTextContents()).join('\n');
    assert(!text.includes(drafts[0].title), 'the draft is listed');
    await page.goto(`${base}/ramverk/${drafts[0].id}`);
    await page.locator('[data-testid="missing"]').waitFor({ timeout: 10000 });
    const h1 = (await page.locator('h1').textContent())?.trim();
    assert(h1 === 'Ramverket finns inte', `h1 is "${h1}"`);
    assert((await page.locator('[role="alert"]').count()) === 0, 'an alert is shown');
    assert((await page.locator('[data-testid="measure-table"]').count()) === 0, 'a table');
    return `${publicFrameworks.length} of ${frameworks.length} frameworks public`;
  });
  await axeCheck(page, 'draft framework as a visitor sv 1280 px');
  await screenshot(page, 'framework-draft-visitor-sv-1280');
  // The browser logs the tree's 404 on the console; that answer is expected here.
  pageErrors.length = 0;
  await h.signInAs(page, base, 'lasare', readerPassword);

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

  await check('each card counts the actors involved (measures and adoptions)', async () => {
    const adoptions = (await api(base, '/adoptions?limit=1000')).items;
    const counted = [];
    for (const f of frameworks) {
      const ids = new Set(adoptions.filter((a) => a.framework_id === f.id).map((a) => a.actor_id));
      for (const m of (await api(base, `/measures?framework_id=${f.id}&limit=1000`)).items) {
        m.responsible.forEach((r) => ids.add(r.actor_id));
        if (m.inherited_responsible) ids.add(m.inherited_responsible.actor_id);
        m.partners.forEach((p) => ids.add(p.actor_id));
      }
      const card = page.locator('[data-testid="framework"]', { hasText: f.title });
      const shown = await card.locator('[data-testid="framework-actors"]').allTextContents();
      const expected = ids.size === 0 ? [] : [`${ids.size} ${ids.size === 1 ? 'aktör involverad' : 'aktörer involverade'}`];
      assert(JSON.stringify(shown) === JSON.stringify(expected), `${f.title}: ${shown} ≠ ${expected}`);
      counted.push(ids.size);
    }
    assert(counted.some((n) => n > 1), 'no framework involves several actors');
    return counted.join(', ');
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

  // The framework page: tree, measure table, filters in the URL, the measure page.
  const sizes = frameworks.map((f) => ({ f, total: measureTotals.get(f.id) }));
  const big = sizes.sort((a, b) => b.total - a.total)[0].f;
  const bigTotal = measureTotals.get(big.id);
  const rowsOf = () => page.locator('[data-testid="measure-table"] tbody tr');
  const waitRows = (n) =>
    page.waitForFunction(
      (count) =>
        document.querySelectorAll('[data-testid="measure-table"] tbody tr').length === count,
      n,
      { timeout: 10000 },
    );

  await check('a framework card links to its framework page', async () => {
    await page.goto(`${base}/`);
    await page.locator('[data-testid="framework"]', { hasText: big.title }).getByRole('link').click();
    await page.waitForURL(`**/ramverk/${big.id}`);
    await page.waitForFunction((title) => document.querySelector('h1')?.textContent === title, big.title);
  });

  await check('framework page: every measure in the table', async () => {
    await waitRows(bigTotal);
    await page.locator('[data-testid="tree-node"]').first().waitFor();
    return `${bigTotal} rows, ${await page.locator('[data-testid="tree-node"]').count()} visible nodes`;
  });

  await check('tree: a node expands from the keyboard (aria-expanded, URL)', async () => {
    const toggle = page.locator('.tree-toggle[aria-expanded="false"]').first();
    const before = await page.locator('[data-testid="tree-node"]').count();
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-expanded') === 'true',
      null,
      { timeout: 5000 },
    );
    const after = await page.locator('[data-testid="tree-node"]').count();
    assert(after > before, `${before} nodes before, ${after} after`);
    assert(new URL(page.url()).searchParams.get('open'), `URL is ${page.url()}`);
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-expanded') === 'false',
      null,
      { timeout: 5000 },
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-expanded') === 'true',
    );
    return `${before} → ${after} nodes`;
  });

  await check('filter by node: URL changes, rows shrink to the API count', async () => {
    const tree = await api(base, `/frameworks/${big.id}/tree`);
    let node = null;
    let n = 0;
    for (const root of tree.nodes) {
      const total = (await api(base, `/measures?node_id=${root.id}&limit=1`)).total;
      if (total > 0 && total < bigTotal) {
        node = root;
        n = total;
        break;
      }
    }
    assert(node, 'no root node with part of the measures');
    await page.locator('#filter-node').selectOption(String(node.id));
    await page.waitForFunction(
      (id) => new URL(location.href).searchParams.get('node') === id,
      String(node.id),
    );
    await waitRows(n);
    const count = await page.locator('[data-testid="result-count"]').textContent();
    assert(count.includes(String(n)), `count says "${count}"`);
    await page.locator('#filter-status').selectOption('done');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('status') === 'done');
    const done = (await api(base, `/measures?node_id=${node.id}&status=done&limit=1`)).total;
    await waitRows(done);
    await page.locator('[data-testid="clear-filters"]').click();
    await waitRows(bigTotal);
    return `"${node.title}": ${bigTotal} → ${n} rows, done: ${done}`;
  });

  await check("a tree node's measure link filters the table and moves focus there", async () => {
    const link = page.locator('.tree-count').first();
    const label = await link.textContent();
    const n = Number(label.replace(/\D/g, ''));
    await link.click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('node'));
    await waitRows(n);
    await page.waitForFunction(() => document.activeElement?.id === 'measures-heading');
    await page.locator('[data-testid="clear-filters"]').click();
    await waitRows(bigTotal);
    return `${label}`;
  });

  await check('free-text filter and a reload keep the state in the URL', async () => {
    const first = (await rowsOf().first().locator('td').nth(1).textContent()).trim();
    const word = first.split(/\s+/).find((w) => w.length >= 5) ?? first;
    await page.locator('#filter-q').fill(word);
    await page.waitForFunction((w) => new URL(location.href).searchParams.get('q') === w, word);
    const shown = await rowsOf().count();
    assert(shown >= 1, 'no rows');
    await page.reload();
    await waitRows(shown);
    assert((await page.locator('#filter-q').inputValue()) === word, 'search box lost');
    await page.locator('[data-testid="clear-filters"]').click();
    await waitRows(bigTotal);
    return `"${word}": ${shown} row(s)`;
  });
  await axeCheck(page, 'framework sv 1280 px');
  await screenshot(page, 'framework-sv-1280');

  await page.setViewportSize({ width: 375, height: 800 });
  await check('framework 375 px: no horizontal page scrolling', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'framework sv 375 px');
  await screenshot(page, 'framework-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.goto(`${base}/ramverk/${big.id}?lang=en`);
  await check('framework page in English', async () => {
    await page.locator('[data-testid="measure-table"]').waitFor();
    const heading = await page.locator('#measures-heading').textContent();
    assert(heading === 'Measures', `h2 is "${heading}"`);
  });
  await axeCheck(page, 'framework en 1280 px');
  await screenshot(page, 'framework-en-1280');

  let measureId = null;
  await check('measure page: fields and history', async () => {
    await page.goto(`${base}/ramverk/${big.id}`);
    await waitRows(bigTotal);
    const link = rowsOf().first().getByRole('link');
    const text = (await link.textContent()).trim();
    await link.click();
    await page.waitForURL(/\/ramverk\/\d+\/atgard\/\d+$/);
    measureId = Number(/atgard\/(\d+)/.exec(page.url())[1]);
    await page.locator('[data-testid="measure-fields"]').waitFor();
    const h1 = await page.locator('h1').textContent();
    assert(h1.includes(text), `h1 "${h1}" lacks "${text}"`);
    const fields = await page.locator('[data-testid="measure-fields"]').textContent();
    for (const label of ['Ansvarig', 'Samverkansparter', 'Status', 'Taggar', 'Del av ramverket'])
      assert(fields.includes(label), `no "${label}"`);
    await page.locator('[data-testid="measure-history"] li').first().waitFor();
    const entries = await page.locator('[data-testid="measure-history"] li').count();
    const expected = (await api(base, `/history?entity=measure&id=${measureId}`)).total;
    assert(entries === expected, `${entries} history entries, the API has ${expected}`);
    const nodeLink = page.locator('[data-testid="node-measures"]');
    assert(
      new URL(await nodeLink.getAttribute('href'), base).searchParams.get('node'),
      'no node link',
    );
    return `measure ${measureId}, ${entries} history entr${entries === 1 ? 'y' : 'ies'}`;
  });
  await axeCheck(page, 'measure sv 1280 px');
  await screenshot(page, 'measure-sv-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await check('measure 375 px: no horizontal page scrolling', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'measure sv 375 px');
  await screenshot(page, 'measure-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/ramverk/${big.id}/atgard/${measureId}?lang=en`);
  await page.locator('[data-testid="measure-history"]').waitFor();
  await axeCheck(page, 'measure en 1280 px');

  // The actors: the directory and one actor.
  const actorList = (await api(base, '/actors?limit=1000')).items;
  await check('actors page: every actor, grouped by kind', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('navigation').getByRole('link', { name: 'Aktörer' }).click();
    await page.waitForURL('**/aktorer');
    await page.locator('[data-testid="actor-kind"]').first().waitFor();
    const links = await page.locator('[data-testid="actor-kind"] li a').count();
    assert(links === actorList.length, `${links} links, the API has ${actorList.length}`);
    const kinds = new Set(actorList.map((a) => a.kind)).size;
    const sections = await page.locator('[data-testid="actor-kind"]').count();
    assert(sections === kinds, `${sections} sections for ${kinds} kinds`);
    return `${links} actors in ${sections} kinds`;
  });
  await axeCheck(page, 'actors sv 1280 px');
  await screenshot(page, 'actors-sv-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await check('actors 375 px: no horizontal page scrolling', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'actors sv 375 px');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/aktorer?lang=en`);
  await page.locator('[data-testid="actor-kind"]').first().waitFor();
  await axeCheck(page, 'actors en 1280 px');

  // The actor with the most units.
  const units = (await api(base, '/units?limit=1000')).items;
  const unitCount = new Map();
  for (const u of units) unitCount.set(u.actor_id, (unitCount.get(u.actor_id) ?? 0) + 1);
  const actor = actorList.find(
    (a) => a.id === [...unitCount.entries()].sort((x, y) => y[1] - x[1])[0][0],
  );
  await check('actor page: units and measures', async () => {
    await page.goto(`${base}/aktorer`);
    await page.getByRole('link', { name: actor.name, exact: true }).click();
    await page.waitForURL(`**/aktorer/${actor.id}`);
    await page.locator('[data-testid="actor-units"]').waitFor();
    const shownUnits = await page.locator('[data-testid="actor-units"] li').count();
    assert(shownUnits === unitCount.get(actor.id), `${shownUnits} units`);
    const expected = (await api(base, `/measures?actor_id=${actor.id}&limit=1`)).total;
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="actor-measures"] tbody tr').length === n,
      expected,
      { timeout: 10000 },
    );
    return `${actor.name}: ${shownUnits} units, ${expected} measures`;
  });
  await check('actor page: the frameworks it adopted, as the API lists them', async () => {
    const adoptions = (await api(base, '/adoptions?limit=1000')).items;
    const adopter = adoptions[0];
    assert(adopter, 'the demo has no adoptions');
    const own = adoptions.filter((a) => a.actor_id === adopter.actor_id);
    await page.goto(`${base}/aktorer/${adopter.actor_id}`);
    await page.locator('[data-testid="adoptions"]').waitFor({ timeout: 10000 });
    const items = await page.locator('[data-testid="adoptions"] li').allTextContents();
    assert(items.length === own.length, `${items.length} shown, ${own.length} in the API`);
    const title = frameworks.find((f) => f.id === adopter.framework_id).title;
    assert(items.some((text) => text.startsWith(title)), `no "${title}" in ${items.join(' | ')}`);
    if (adopter.body) assert(items.some((text) => text.includes(adopter.body)), 'no decision body');
    // The framework page lists who adopted it.
    const signed = adoptions.filter((a) => a.framework_id === adopter.framework_id);
    await page.goto(`${base}/ramverk/${adopter.framework_id}`);
    const summary = page.locator('details.adopted summary');
    await summary.waitFor({ timeout: 10000 });
    assert((await summary.textContent()) === `Antagen av ${signed.length} aktörer`, 'summary text');
    await summary.click();
    const listed = await page.locator('details.adopted li').count();
    assert(listed === signed.length, `${listed} adopters, ${signed.length} in the API`);
    return `${own.length} adopted by the actor, ${signed.length} adopters of the framework`;
  });
  await page.goto(`${base}/aktorer/${actor.id}`);
  await page.locator('[data-testid="actor-units"]').waitFor();
  await axeCheck(page, 'actor sv 1280 px');
  await screenshot(page, 'actor-sv-1280');
  await page.setViewportSize({ width: 375, height: 800 });
  await check('actor 375 px: no horizontal page scrolling', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `page is ${width} px wide`);
  });
  await axeCheck(page, 'actor sv 375 px');
  await screenshot(page, 'actor-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/aktorer/${actor.id}?lang=en`);
  await page.locator('[data-testid="actor-units"]').waitFor();
  await axeCheck(page, 'actor en 1280 px');

  await check('no console errors on the framework and actor pages', async () => {
    assert(pageErrors.length === 0, pageErrors.join('; '));
  });

  await check('framework page: a 500 for the tree and its measures shows the alert', async () => {
    await page.route('**/api/v1/frameworks/*/tree', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'test', details: {} } }),
      }),
    );
    await page.goto(`${base}/ramverk/${big.id}`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 10000 });
    const text = await alert.textContent();
    assert(text.includes('HTTP 500') && text.includes('struktur och åtgärder'), `alert says "${text}"`);
    await page.unroute('**/api/v1/frameworks/*/tree');
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
    const exited = new Promise((r) => h.server().once('exit', r));
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
  h.fail(error);
}
await h.finish(browser);
