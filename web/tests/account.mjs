#!/usr/bin/env node
// Browser test of accounts (issue 15) against a real server with the demo content.
//
//   node web/tests/account.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// Visitors see no editing control and are told to sign in; a wrong password is named as such on
// the sign-in page; an editor of Kommunerna i Norrbotten (responsible for measures of Region
// Norrbotten's action plan) signs in, edits a measure of its own and saves it; on a measure only
// Region Norrbotten answers for the page says why there is no editing, and the API refuses the
// change; the header names the user and the organisation; the account page shows them, makes a
// personal API token (shown once, working, revoked) and changes the password; signing out ends
// the session. axe on the sign-in, measure and account pages; screenshots.
import { assert, setUp } from './harness.mjs';

const h = setUp('account');
const { db, outDir, check, axeCheck, screenshot, startServer, run, api } = h;
const password = 'redaktorens-eget-losenord';

let browser = null;
try {
  run(['init', '--db', db, '--demo']);
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);
  const actors = (await api(base, '/actors?q=Kommunerna%20i%20Norrbotten')).items;
  const own = actors.find((a) => a.name === 'Kommunerna i Norrbotten');
  assert(own, 'the demo has no actor Kommunerna i Norrbotten');
  // The demo's action plan is a draft: read as the editor, a signed-in user, does.
  h.readAs(h.addUser('redaktor', password, 'editor', own.id, true));
  const frameworks = (await api(base, '/frameworks?limit=1000')).items;
  const plan = frameworks.find((f) => f.kind === 'action_plan');
  const measures = (await api(base, `/measures?framework_id=${plan.id}&limit=1000`)).items;
  const answers = (m) => m.responsible.some((r) => r.actor_id === own.id);
  const mine = measures.find(answers);
  const other = measures.find((m) => !answers(m) && !m.partners.some((p) => p.actor_id === own.id));
  assert(mine && other, 'no measure of Kommunerna i Norrbotten, or none without it');

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;
  const mineUrl = `${base}/ramverk/${plan.id}/atgard/${mine.id}`;
  const otherUrl = `${base}/ramverk/${plan.id}/atgard/${other.id}`;

  await check("a visitor finds no measure of the draft plan, and is offered to sign in", async () => {
    await page.goto(mineUrl);
    await page.locator('[data-testid="missing"]').waitFor({ timeout: 10000 });
    assert((await page.locator('[data-testid="edit"]').count()) === 0, 'an edit link is shown');
    const text = await page.locator('[data-testid="missing"]').textContent();
    assert(text?.includes('Logga in för att läsa utkast'), `the page says "${text}"`);
    assert(await page.locator('[data-testid="sign-in-link"]').isVisible(), 'no sign-in link in the header');
    assert(!text?.includes(mine.text), 'the measure is shown');
  });

  await page.goto(`${base}/logga-in`);
  await axeCheck(page, 'sign-in page sv 1280 px');
  await screenshot(page, 'sign-in-sv-1280');
  await check('a wrong password is named, and nothing is signed in', async () => {
    await page.locator('#sign-in-user').fill('redaktor');
    await page.locator('#sign-in-password').fill('inte-det-ratta-losenordet');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.locator('.form-error').waitFor({ timeout: 10000 });
    const message = await page.locator('[data-testid="sign-in-error"]').textContent();
    assert(message === 'Fel användarnamn eller lösenord.', `the message is "${message}"`);
    assert((await page.locator('[data-testid="account"]').count()) === 0, 'signed in anyway');
  });
  await screenshot(page, 'sign-in-wrong-sv-1280');

  await check('the editor signs in and the header names them and their organisation', async () => {
    await page.goto(`${base}/logga-in?next=${encodeURIComponent(`/ramverk/${plan.id}/atgard/${mine.id}`)}`);
    await page.locator('#sign-in-user').fill('redaktor');
    await page.locator('#sign-in-password').fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(`**/ramverk/${plan.id}/atgard/${mine.id}`, { timeout: 10000 });
    const header = await page.locator('[data-testid="account"]').textContent();
    assert(header?.includes('redaktor') && header.includes('Kommunerna i Norrbotten'), `header: ${header}`);
  });

  await check('the editor edits a measure of its own organisation and saves it', async () => {
    await page.locator('[data-testid="edit"]').click();
    await page.locator('#m-status').waitFor({ timeout: 10000 });
    const status = mine.status === 'done' ? 'under_way' : 'done';
    await page.locator('#m-status').selectOption(status);
    await page.locator('[data-testid="save"]').click();
    await page.locator('[data-testid="saved"]').waitFor({ timeout: 10000 });
    const stored = await api(base, `/measures/${mine.id}`);
    assert(stored.status === status && stored.version === mine.version + 1, `stored ${stored.status} v${stored.version}`);
    const history = await api(base, `/history?entity=measure&id=${mine.id}`);
    assert(history.items[0].user === 'redaktor', `the history names ${history.items[0].user}`);
  });
  await axeCheck(page, 'measure page signed in sv 1280 px');
  await screenshot(page, 'measure-signed-in-sv-1280');

  await check("on another organisation's measure the page says why there is no editing", async () => {
    await page.goto(otherUrl);
    await page.locator('[data-testid="edit-why"]').waitFor({ timeout: 10000 });
    assert((await page.locator('[data-testid="edit"]').count()) === 0, 'an edit link is shown');
    const why = await page.locator('[data-testid="edit-why"]').textContent();
    assert(why?.includes('din organisation ansvarar för'), `the notice says "${why}"`);
  });

  await check('and the server refuses the change even when sent directly', async () => {
    const status = await page.evaluate(async ({ id, version }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const response = await fetch(`/api/v1/measures/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: JSON.stringify({ version, status: 'paused' }),
      });
      return response.status;
    }, { id: other.id, version: other.version });
    assert(status === 403, `the server answered ${status}`);
  });

  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(otherUrl);
  await page.locator('[data-testid="edit-why"]').waitFor({ timeout: 10000 });
  await axeCheck(page, 'measure page signed in sv 375 px');
  await screenshot(page, 'measure-refused-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('the account page names the user, the organisation and the role', async () => {
    await page.locator('[data-testid="account-page-link"]').click();
    await page.waitForURL('**/konto');
    const fields = await page.locator('[data-testid="account-fields"]').textContent();
    assert(fields?.includes('redaktor') && fields.includes('Kommunerna i Norrbotten') &&
           fields.includes('redaktör'), `the page shows: ${fields}`);
  });
  await check('a personal API token is shown once, works, and is revoked', async () => {
    await page.locator('#token-name').fill('uppföljningsskript');
    await page.getByRole('button', { name: 'Skapa nyckel' }).click();
    const token = (await page.locator('[data-testid="token-made"] code').textContent()) ?? '';
    assert(/^hn_[A-Za-z0-9_-]{43}$/.test(token), `token: ${token}`);
    const answer = await fetch(`${base}/api/v1/tokens`, { headers: { Authorization: `Bearer ${token}` } });
    assert(answer.ok, `the token is refused: ${answer.status}`);
    await page.locator('[data-testid="tokens"]').waitFor();
    await page.getByRole('button', { name: 'Återkalla nyckeln uppföljningsskript' }).click();
    await page.getByText('Återkallad').waitFor({ timeout: 10000 });
    const after = await fetch(`${base}/api/v1/tokens`, { headers: { Authorization: `Bearer ${token}` } });
    assert(after.status === 401, `a revoked token answers ${after.status}`);
  });
  await axeCheck(page, 'account page sv 1280 px');
  await screenshot(page, 'account-sv-1280');
  await check('the password is changed on the account page', async () => {
    await page.locator('#password-current').fill(password);
    await page.locator('#password-new').fill('redaktorens-nya-losenord');
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await page.getByText('Lösenordet är bytt').waitFor({ timeout: 10000 });
  });

  await check('signing out ends the session', async () => {
    await page.locator('[data-testid="sign-out"]').click();
    await page.locator('[data-testid="sign-in-link"]').waitFor({ timeout: 10000 });
    const session = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    assert(session.signed_in === false, `GET /session answers ${JSON.stringify(session)}`);
  });

  await check('no page errors', async () => {
    // The wrong password's 401, the refused change's 403 and the visitor's 404 for the draft above
    // are the errors the page may log.
    const unexpected = pageErrors.filter((e) => !/status of (401|403|404)/.test(e));
    assert(unexpected.length === 0, unexpected.join('\n'));
  });
} catch (error) {
  h.fail(error);
} finally {
  await h.finish(browser);
}
