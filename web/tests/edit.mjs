#!/usr/bin/env node
// Browser test of editing against a real server with the demo content.
//
//   node web/tests/edit.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Creates a demo database in a temporary folder, starts `halsonav serve --web` and drives the
// system Chromium: the framework list and its filters; the framework page's tree (coordinating
// actors, node texts) and its target-area and tag filters; a measure edited with the API's
// validation messages beside the fields (empty text, a year in letters, a year out of range, a
// number taken); the draft surviving a reload; a save; a 409 conflict resolved field by field
// and by taking the saved version; a lost connection and a 500 on save with nothing typed lost;
// English; axe at 1280 and 375 px; screenshots. One line per check, "N passed, M failed".
import { assert, setUp } from './harness.mjs';

const h = setUp('edit');
const { db, outDir, check, axeCheck, screenshot, startServer, run, api } = h;

// A colleague's change, through the API with a personal token.
let colleague = {};
async function patch(base, id, body) {
  const response = await fetch(`${base}/api/v1/measures/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...colleague },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`PATCH ${id}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

let browser = null;
try {
  run(['init', '--db', db, '--demo']);
  colleague = h.addUser('kollega', 'kollegans-eget-losenord', 'admin', null, true);
  h.readAs(colleague);  // the demo's action plan is a draft: read as a signed-in user
  h.addUser('strateg', 'strategens-eget-losenord', 'admin');
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);

  const frameworks = (await api(base, '/frameworks?limit=1000')).items;
  const plan = frameworks.find((f) => f.kind === 'action_plan');
  assert(plan && !plan.read_only, 'the demo has no writable action plan');
  const measures = (await api(base, `/measures?framework_id=${plan.id}&limit=1000`)).items;
  const [first, second] = measures;
  assert(first && second?.code, 'the action plan has fewer than two measures with codes');

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;
  await h.signInAs(page, base, 'strateg', 'strategens-eget-losenord');
  const measureUrl = `${base}/ramverk/${plan.id}/atgard/${first.id}`;
  const form = page.locator('[data-testid="measure-form"]');
  const save = page.locator('[data-testid="save"]');
  const errorBeside = (field) => page.locator(`[data-testid="error-${field}"]`);

  // --- The framework list ----------------------------------------------------------------------
  await page.goto(`${base}/ramverk`);
  await check('the framework list shows every framework, from the nav', async () => {
    await page.locator('[data-testid="framework"]').first().waitFor({ timeout: 10000 });
    const cards = await page.locator('[data-testid="framework"]').count();
    assert(cards === frameworks.length, `${cards} cards, the API has ${frameworks.length}`);
    const current = await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Ramverk' })
      .getAttribute('aria-current');
    assert(current === 'page', `nav aria-current is ${current}`);
    return `${cards} frameworks`;
  });
  await check('filtering the list by kind keeps the choice in the URL', async () => {
    await page.locator('[data-testid="fwlist-kind"]').selectOption('action_plan');
    await page.waitForURL('**/ramverk?kind=action_plan');
    const titles = await page.locator('[data-testid="framework"] h3').allTextContents();
    assert(titles.length === 1 && titles[0] === plan.title, `shown: ${titles.join(' | ')}`);
    const count = await page.locator('[data-testid="fwlist-count"]').textContent();
    assert(count?.includes(`1 av ${frameworks.length}`), `count says "${count}"`);
  });
  await axeCheck(page, 'framework list sv 1280 px');
  await screenshot(page, 'framework-list-sv-1280');

  // --- The framework page: tree texts, coordinators, the new filters -----------------------------
  await page.goto(`${base}/ramverk/${plan.id}`);
  await check('the tree names the coordinating actors and opens node texts', async () => {
    await page.locator('[data-testid="tree-node"]').first().waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Fäll ut alla' }).click();
    const tree = [];
    const walk = (nodes) => nodes.forEach((n) => tree.push(n) && walk(n.children));
    walk((await api(base, `/frameworks/${plan.id}/tree`)).nodes);
    const coordinated = tree.filter((n) => n.coordinating_actor_id !== null);
    const shown = await page.locator('.tree-coordinator').count();
    assert(shown === coordinated.length, `${shown} coordinators shown, ${coordinated.length} nodes have one`);
    const withText = tree.filter((n) => n.text);
    const details = page.locator('details.tree-text');
    assert((await details.count()) === withText.length, 'a node text is missing');
    assert(withText.length > 0, 'no node of the demo plan has a text');
    await details.first().locator('summary').click();
    const text = await details.first().locator('p').textContent();
    assert(text === withText[0].text, 'the node text differs from the API');
    return `${shown} coordinators, ${withText.length} texts`;
  });
  await check('the target-area filter matches the API and sits in the URL', async () => {
    await page.locator('#filter-area').selectOption('2');
    await page.waitForURL(/area=2/);
    const expected = (await api(base, `/measures?framework_id=${plan.id}&target_area=2&limit=1`)).total;
    const rows = await page.locator('[data-testid="measure-table"] tbody tr').count();
    assert(rows === expected, `${rows} rows, the API's target_area=2 gives ${expected}`);
    return `${rows} measures`;
  });
  await check('the prevention-level filter matches the API', async () => {
    await page.locator('#filter-level').selectOption('universal');
    await page.waitForURL(/level=universal/);
    const expected = (
      await api(base, `/measures?framework_id=${plan.id}&target_area=2&prevention_level=universal&limit=1`)
    ).total;
    const shown = await page.locator('[data-testid="measure-table"] tbody tr').count();
    assert(shown === expected, `${shown} rows, the API gives ${expected}`);
    await page.locator('[data-testid="clear-filters"]').click();
    await page.waitForURL((url) => !/area=|level=/.test(url.search));
    const rows = await page.locator('[data-testid="measure-table"] tbody tr').count();
    assert(rows === measures.length, `${rows} rows after clearing, ${measures.length} measures`);
  });

  // --- Editing: validation messages beside the fields ----------------------------------------------
  await page.goto(measureUrl);
  await check('the measure page offers editing, and ?edit=1 opens the form', async () => {
    await page.locator('[data-testid="edit"]').click();
    await page.waitForURL(/edit=1/);
    await form.waitFor({ timeout: 10000 });
    const text = await page.locator('#m-text').inputValue();
    assert(text === first.text, `the form's text is "${text}"`);
  });
  await axeCheck(page, 'measure form sv 1280 px');

  await check('an empty text: the message beside the field, the summary focused, nothing saved', async () => {
    await page.locator('#m-text').fill('   ');
    await page.locator('#m-target_group').fill('Elever i årskurs 7–9');
    await save.click();
    await errorBeside('text').waitFor({ timeout: 10000 });
    const message = (await errorBeside('text').textContent())?.trim();
    assert(message?.includes('Fältet får inte vara tomt.'), `beside the text: "${message}"`);
    assert((await page.locator('#m-text').getAttribute('aria-invalid')) === 'true', 'no aria-invalid');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    assert(focused === 'edit-errors', `focus is on ${focused}`);
    const kept = await page.locator('#m-target_group').inputValue();
    assert(kept === 'Elever i årskurs 7–9', `the other field now says "${kept}"`);
    const stored = await api(base, `/measures/${first.id}`);
    assert(stored.version === first.version && stored.text === first.text, 'the measure changed');
  });
  await screenshot(page, 'measure-edit-error-sv-1280');
  await check('the error summary links to the field', async () => {
    await page.locator('[data-testid="edit-errors"] a').first().click();
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert(focused === 'm-text', `focus is on #${focused}`);
  });
  await check('a year in letters and a year out of range get their own messages', async () => {
    await page.locator('#m-text').fill('Motverka mobbning i skolan');
    await page.locator('#m-expected_result_year').fill('tjugotrettio');
    await save.click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="error-expected_result_year"]')?.textContent?.includes('årtal'),
    );
    await page.locator('#m-expected_result_year').fill('3000');
    await save.click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="error-expected_result_year"]')?.textContent?.includes('1900 och 2100'),
    );
    assert((await errorBeside('text').count()) === 0, 'the old text error is still shown');
  });
  await check('a number another measure has: the duplicate message beside the number', async () => {
    await page.locator('#m-expected_result_year').fill('2030');
    await page.locator('#m-code').fill(second.code);
    await save.click();
    await page.waitForFunction(
      (code) => document.querySelector('[data-testid="error-code"]')?.textContent?.includes(code),
      second.code,
    );
  });

  // --- The draft -------------------------------------------------------------------------------------
  await check('a reload restores everything typed from the draft', async () => {
    await page.reload();
    await page.locator('[data-testid="draft-restored"]').waitFor({ timeout: 10000 });
    const values = {
      text: await page.locator('#m-text').inputValue(),
      group: await page.locator('#m-target_group').inputValue(),
      year: await page.locator('#m-expected_result_year').inputValue(),
      code: await page.locator('#m-code').inputValue(),
    };
    assert(values.text === 'Motverka mobbning i skolan', `text "${values.text}"`);
    assert(values.group === 'Elever i årskurs 7–9', `target group "${values.group}"`);
    assert(values.year === '2030' && values.code === second.code, JSON.stringify(values));
  });
  await check('leaving the form keeps the draft and the measure page offers it back', async () => {
    await page.goto(measureUrl);
    await page.locator('[data-testid="draft-waiting"]').waitFor({ timeout: 10000 });
    await page.locator('[data-testid="draft-waiting"] a').click();
    await form.waitFor();
    assert((await page.locator('#m-code').inputValue()) === second.code, 'the draft was lost');
  });

  // --- A save ----------------------------------------------------------------------------------------
  await check('a valid edit saved from the keyboard: notice, fields, history and the API agree', async () => {
    await page.locator('#m-code').fill(first.code);
    await page.locator('#m-status').selectOption('under_way');
    await page.locator('#m-tags').fill('skolan\ntrygghet, mobbning');
    await page.getByLabel(/^2\. Kunskaper/).focus();
    await page.keyboard.press('Space');
    await page.locator('#m-code').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="saved"]').waitFor({ timeout: 10000 });
    assert(!page.url().includes('edit=1'), `still editing at ${page.url()}`);
    const stored = await api(base, `/measures/${first.id}`);
    assert(stored.version === first.version + 1, `version ${stored.version}`);
    assert(stored.text === 'Motverka mobbning i skolan' && stored.status === 'under_way', stored.text);
    assert(stored.expected_result_year === 2030, `year ${stored.expected_result_year}`);
    assert(stored.target_group === 'Elever i årskurs 7–9', `group ${stored.target_group}`);
    assert(JSON.stringify(stored.tags) === '["skolan","trygghet, mobbning"]', `tags ${stored.tags}`);
    assert(stored.classifications.includes('target_area:2'), `classes ${stored.classifications}`);
    assert(
      JSON.stringify(stored.responsible) === JSON.stringify(first.responsible) &&
        JSON.stringify(stored.partners) === JSON.stringify(first.partners),
      'the actors changed although nobody touched them',
    );
    await page.locator('[data-testid="measure-history"] li').nth(1).waitFor({ timeout: 10000 });
    const fields = await page.locator('[data-testid="measure-fields"]').textContent();
    assert(fields?.includes('Pågår') && fields.includes('skolan'), 'the page shows the old fields');
    const draft = await page.evaluate((id) => localStorage.getItem(`halsonav:draft:measure:${id}`), first.id);
    assert(draft === null, 'the draft is still stored after the save');
  });
  await check('the tag filter of the framework page finds the edited measure', async () => {
    await page.goto(`${base}/ramverk/${plan.id}`);
    await page.locator('#filter-tag').selectOption('skolan');
    await page.waitForURL(/tag=skolan/);
    const rows = await page.locator('[data-testid="measure-table"] tbody tr').allTextContents();
    assert(rows.length === 1 && rows[0].includes('Motverka mobbning i skolan'), rows.join(' | '));
  });

  // --- A conflict ----------------------------------------------------------------------------------
  await page.goto(`${measureUrl}?edit=1`);
  await form.waitFor({ timeout: 10000 });
  const before = await api(base, `/measures/${first.id}`);
  await check('a save after a colleague\'s save shows both versions, field by field', async () => {
    await page.locator('#m-status').selectOption('done');
    await page.locator('#m-expected_result').fill('Ingen elev utsätts för mobbning');
    await patch(base, first.id, { version: before.version, status: 'paused', target_group: 'Alla elever' });
    await save.click();
    await page.locator('[data-testid="conflict"]').waitFor({ timeout: 10000 });
    const status = await page.locator('[data-testid="conflict-status"]').textContent();
    assert(status?.includes('Genomförd') && status.includes('Pausad'), `status row: ${status}`);
    const result = await page.locator('[data-testid="conflict-expected_result"]').textContent();
    assert(result?.includes('Ingen elev utsätts för mobbning'), `result row: ${result}`);
    const others = await page.locator('[data-testid="conflict-others"]').textContent();
    assert(others?.includes('Målgrupp'), `others: ${others}`);
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    assert(focused === 'conflict', `focus is on ${focused}`);
  });
  await axeCheck(page, 'conflict view sv 1280 px');
  await screenshot(page, 'measure-conflict-sv-1280');
  await check('choosing (by keyboard) the saved status and my result saves the mix', async () => {
    await page.locator('[data-testid="keep-mine-status"]').focus();
    await page.keyboard.press('ArrowDown');
    assert(await page.locator('[data-testid="take-saved-status"]').isChecked(), 'the arrow key did not choose');
    await page.locator('[data-testid="resolve"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="saved"]').waitFor({ timeout: 10000 });
    const stored = await api(base, `/measures/${first.id}`);
    assert(stored.version === before.version + 2, `version ${stored.version}`);
    assert(stored.status === 'paused', `status ${stored.status}`);
    assert(stored.expected_result === 'Ingen elev utsätts för mobbning', `result ${stored.expected_result}`);
    assert(stored.target_group === 'Alla elever', `the colleague's target group was lost: ${stored.target_group}`);
  });
  await check('or dropping mine: the form shows the saved version', async () => {
    await page.goto(`${measureUrl}?edit=1`);
    await form.waitFor({ timeout: 10000 });
    const now = await api(base, `/measures/${first.id}`);
    await page.locator('#m-target_group').fill('Mitt förslag');
    await patch(base, first.id, { version: now.version, target_group: 'Kollegans förslag' });
    await save.click();
    await page.locator('[data-testid="take-saved"]').click();
    await form.waitFor();
    const group = await page.locator('#m-target_group').inputValue();
    assert(group === 'Kollegans förslag', `the form says "${group}"`);
    await page.locator('[data-testid="edit-notice"]').waitFor();
  });

  // --- A lost connection and a 500 -------------------------------------------------------------------
  await check('a lost connection on save: said in words, the typing kept, then saved', async () => {
    await page.locator('#m-target_group').fill('Skrivet utan nät');
    await page.route('**/api/v1/measures/*', (route) =>
      route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.continue(),
    );
    await save.click();
    await page.locator('[data-testid="edit-errors"]').waitFor({ timeout: 10000 });
    const text = await page.locator('[data-testid="edit-errors"]').textContent();
    assert(text?.includes('Kunde inte nå servern'), `the alert says "${text}"`);
    assert((await page.locator('#m-target_group').inputValue()) === 'Skrivet utan nät', 'typing lost');
    await page.unroute('**/api/v1/measures/*');
    await save.click();
    await page.locator('[data-testid="saved"]').waitFor({ timeout: 10000 });
    const stored = await api(base, `/measures/${first.id}`);
    assert(stored.target_group === 'Skrivet utan nät', `stored ${stored.target_group}`);
  });
  await check('a 500 on save is shown, not swallowed', async () => {
    await page.goto(`${measureUrl}?edit=1`);
    await form.waitFor({ timeout: 10000 });
    await page.locator('#m-target_group').fill('Vid serverfel');
    await page.route('**/api/v1/measures/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'internal', message: 'boom', details: { error_id: 'x' } } }),
          })
        : route.continue(),
    );
    await save.click();
    await page.locator('[data-testid="edit-errors"]').waitFor({ timeout: 10000 });
    const text = await page.locator('[data-testid="edit-errors"]').textContent();
    assert(text?.includes('HTTP 500'), `the alert says "${text}"`);
    await page.unroute('**/api/v1/measures/*');
    await page.locator('[data-testid="discard"]').click();
    await page.locator('[data-testid="discard-yes"]').click();
    await page.waitForURL((url) => !url.search.includes('edit=1'));
  });

  // --- A new measure ---------------------------------------------------------------------------------
  await check('a new measure: the API\'s messages beside the fields, then created', async () => {
    const node = (await api(base, `/frameworks/${plan.id}/tree`)).nodes[0].children[0];
    await page.goto(`${base}/ramverk/${plan.id}?node=${node.id}`);
    await page.locator('[data-testid="new-measure"]').click();
    await page.waitForURL(`**/ramverk/${plan.id}/ny-atgard?node=${node.id}`);
    await form.waitFor({ timeout: 10000 });
    assert((await page.locator('#m-node_id').inputValue()) === String(node.id), 'node not preset');
    await save.click();
    await errorBeside('text').waitFor({ timeout: 10000 });
    await h.screenshot(page, 'measure-new-sv-1280');
    await page.locator('#m-text').fill('Samverka kring sommarlovsaktiviteter');
    await page.locator('#m-responsible-add').click();
    await save.click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="error-responsible"]')?.textContent?.includes('Välj en aktör.'),
    );
    assert((await page.locator('#m-responsible-0').getAttribute('aria-invalid')) === 'true', 'row not marked');
    await page.locator('#m-responsible-0').selectOption({ label: 'Region Norrbotten' });
    await save.click();
    await page.locator('[data-testid="created"]').waitFor({ timeout: 10000 });
    const id = Number(/atgard\/(\d+)/.exec(page.url())[1]);
    const created = await api(base, `/measures/${id}`);
    assert(created.text === 'Samverka kring sommarlovsaktiviteter', created.text);
    assert(created.node_id === node.id && created.responsible.length === 1, JSON.stringify(created));
    const draft = await page.evaluate((f) => localStorage.getItem(`halsonav:draft:new-measure:${f}`), plan.id);
    assert(draft === null, 'the new measure\'s draft is still stored');
    return `measure ${id} under node ${node.id}`;
  });

  await check('the new measure\'s form with a message passes axe', async () => {
    await page.goto(`${base}/ramverk/${plan.id}/ny-atgard`);
    await form.waitFor({ timeout: 10000 });
    await save.click();
    await errorBeside('text').waitFor({ timeout: 10000 });
  });
  await axeCheck(page, 'new measure with an error sv 1280 px');
  await page.locator('[data-testid="discard"], [data-testid="cancel"]').first().click();
  if (await page.locator('[data-testid="discard-yes"]').count()) await page.locator('[data-testid="discard-yes"]').click();

  // --- English, 375 px, the read-only framework ----------------------------------------------------
  await check('in English the form and its messages are English', async () => {
    await page.goto(`${measureUrl}?edit=1&lang=en`);
    await form.waitFor({ timeout: 10000 });
    const heading = await page.locator('#edit-heading').textContent();
    assert(heading === 'Edit the measure', `heading "${heading}"`);
    await page.locator('#m-text').fill('');
    await save.click();
    await errorBeside('text').waitFor({ timeout: 10000 });
    const message = await errorBeside('text').textContent();
    assert(message?.includes('The field must not be empty.'), `message "${message}"`);
  });
  await axeCheck(page, 'measure form en 1280 px');
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${measureUrl}?edit=1`);
  await form.waitFor({ timeout: 10000 });
  await check('at 375 px the form does not scroll sideways', async () => {
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 375, `the page is ${wide} px wide`);
  });
  await axeCheck(page, 'measure form sv 375 px');
  await screenshot(page, 'measure-edit-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });
  await check('the read-only national framework offers no editing', async () => {
    const national = frameworks.find((f) => f.read_only);
    const national_measures = (await api(base, `/measures?framework_id=${national.id}&limit=1`)).items;
    if (national_measures.length === 0) return 'it has no measures';
    await page.goto(`${base}/ramverk/${national.id}/atgard/${national_measures[0].id}`);
    await page.locator('[data-testid="measure-fields"]').waitFor({ timeout: 10000 });
    assert((await page.locator('[data-testid="edit"]').count()) === 0, 'an edit link is shown');
  });

  await check('no page errors besides the failures the test provoked', async () => {
    const unexpected = pageErrors.filter(
      (e) => !/status of (400|409|422|500)|ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e),
    );
    assert(unexpected.length === 0, unexpected.join('; '));
  });
} catch (error) {
  h.fail(error);
}
await h.finish(browser);
