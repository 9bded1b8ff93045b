#!/usr/bin/env node
// Browser test of the admin's pages (issue 15): users (/admin/anvandare) and the audit log
// (/admin/logg), against a real server with the demo content.
//
//   node web/tests/admin.mjs --binary build/debug/halsonav --web web/dist --out /tmp/shots
//
// A visitor and a reader who open the pages are told why they see nothing, and the API refuses
// the reader too; an admin finds the pages from the header, adds a user (a coordinator without an
// organisation is refused beside the field, a taken name too) and is shown the generated password
// once, which signs in; changes the user's roles and organisation; a change someone else saved
// first is named with what is now stored, and saving again overwrites it; disables the account
// (its password no longer signs in), resets the password (shown once; it signs in once the
// account is enabled, with a password change demanded); the audit log lists these events newest
// first with who and from where, by event type and page by page, in Swedish local time and in
// English; an admin whose own password was reset is sent to change it first. axe on both pages
// at 1280 and 375 px, and on the refusal; screenshots.
import { assert, setUp } from './harness.mjs';

const h = setUp('admin');
const { db, outDir, check, axeCheck, screenshot, startServer, run, api } = h;
const adminPassword = 'granskarens-eget-losenord';
const readerPassword = 'lasarens-eget-losenord';
const newName = 'anna.lind';

// POST /api/v1/session as a script would: the HTTP status (201 signed in, 401 refused) and body.
async function signInStatus(base, user, password) {
  const response = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

let browser = null;
try {
  run(['init', '--db', db, '--demo']);
  const base = await startServer();
  console.log(`# server at ${base}, screenshots in ${outDir}`);
  const adminHeaders = h.addUser('granskare', adminPassword, 'admin', null, true);
  h.addUser('lasaren', readerPassword, 'reader');
  h.readAs(adminHeaders);
  const actors = (await api(base, '/actors?limit=1000')).items;
  const region = actors.find((a) => a.name === 'Region Norrbotten');
  const municipalities = actors.find((a) => a.name === 'Kommunerna i Norrbotten');
  assert(region && municipalities, 'the demo has no Region Norrbotten or Kommunerna i Norrbotten');
  const userNamed = async (name) => (await api(base, '/users')).items.find((u) => u.name === name);

  const opened = await h.openBrowser();
  browser = opened.browser;
  const { page, pageErrors } = opened;
  const refusal = () => page.locator('[data-testid="admin-refused"]');

  await check('a visitor opening the users page is told to sign in, with a link back', async () => {
    await page.goto(`${base}/admin/anvandare`);
    await refusal().waitFor({ timeout: 10000 });
    const text = await refusal().textContent();
    assert(text?.includes('bara för administratörer') && text.includes('inte inloggad'), `the page says "${text}"`);
    const href = await refusal().getByRole('link', { name: 'Logga in' }).getAttribute('href');
    assert(href === `/logga-in?next=${encodeURIComponent('/admin/anvandare')}`, `the link goes to ${href}`);
    assert((await page.locator('[data-testid="users"]').count()) === 0, 'the users are listed');
  });

  await check('a reader opening either page is told that only administrators may', async () => {
    await h.signInAs(page, base, 'lasaren', readerPassword);
    assert((await page.locator('[data-testid="admin-link"]').count()) === 0, 'the header offers the admin pages');
    for (const path of ['/admin/anvandare', '/admin/logg']) {
      await page.goto(`${base}${path}`);
      await refusal().waitFor({ timeout: 10000 });
      const text = await refusal().textContent();
      assert(text?.includes('Bara administratörer') && text.includes('lasaren (läsare)'), `${path} says "${text}"`);
      assert((await page.locator('table').count()) === 0, `${path} shows a table`);
    }
  });
  await axeCheck(page, 'admin page refused sv 1280 px');
  await screenshot(page, 'admin-refused-sv-1280');

  await check('and the API refuses the reader the users and the log', async () => {
    const statuses = await page.evaluate(async () => [
      (await fetch('/api/v1/users')).status,
      (await fetch('/api/v1/audit')).status,
    ]);
    assert(statuses[0] === 403 && statuses[1] === 403, `the API answered ${statuses}`);
  });
  await page.locator('[data-testid="sign-out"]').click();
  await page.locator('[data-testid="sign-in-link"]').waitFor({ timeout: 10000 });

  await check('an admin finds the users page from the header, with every user listed', async () => {
    await h.signInAs(page, base, 'granskare', adminPassword);
    await page.locator('[data-testid="admin-link"]').click();
    await page.waitForURL('**/admin/anvandare');
    await page.locator('[data-testid="users"]').waitFor({ timeout: 10000 });
    const stored = (await api(base, '/users')).items;
    const rows = await page.locator('[data-testid="users"] tbody tr').count();
    assert(rows === stored.length, `${rows} rows for ${stored.length} users`);
    const own = await page.locator('[data-testid="user-granskare"]').textContent();
    assert(own?.includes('(du)') && own.includes('administratör') && own.includes('Aktiv'), `own row: ${own}`);
    return `${rows} users`;
  });

  const fillNew = async (name, roles, actor) => {
    await page.locator('#new-user-name').fill(name);
    await page.locator('#new-user-email').fill(`${name.toLowerCase()}@norrbotten.example`);
    for (const role of ['admin', 'coordinator', 'editor', 'analyst', 'reader'])
      await page.locator(`#new-user-role-${role}`).setChecked(roles.includes(role));
    await page.locator('#new-user-actor').selectOption(actor === null ? '' : String(actor));
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
  };

  await check("the server's refusal of a coordinator without organisation is shown beside the field", async () => {
    await fillNew(newName, ['coordinator'], null);
    const error = page.locator('[data-testid="new-user-error-actor_id"]');
    await error.waitFor({ timeout: 10000 });
    const text = await error.textContent();
    assert(text === 'En samordnare eller redaktör arbetar för en organisation: välj vilken.', `the message is "${text}"`);
    assert((await page.locator('#new-user-actor').getAttribute('aria-invalid')) === 'true', 'the field is not marked invalid');
    const described = (await page.locator('#new-user-actor').getAttribute('aria-describedby')) ?? '';
    assert(described.includes('new-user-actor_id-error'), `the field is described by "${described}"`);
    assert(!(await userNamed(newName)), 'the user was added anyway');
  });

  let firstPassword = '';
  await check('an added user is listed, and the generated password is shown once and signs in', async () => {
    await page.locator('#new-user-actor').selectOption(String(region.id));
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    const notice = page.locator('[data-testid="password-once"]');
    await notice.waitFor({ timeout: 10000 });
    assert((await notice.textContent())?.includes(`Användaren ${newName} är tillagd`), 'the notice names no user');
    firstPassword = (await page.locator('[data-testid="password-once-value"]').textContent()) ?? '';
    assert(firstPassword.length >= 12, `the password shown is "${firstPassword}"`);
    const row = page.locator(`[data-testid="user-${newName}"]`);
    await row.waitFor({ timeout: 10000 });
    const text = await row.textContent();
    assert(text?.includes('samordnare') && text.includes('Region Norrbotten') && text.includes('Aktiv'), `row: ${text}`);
    const stored = await userNamed(newName);
    assert(stored?.actor_id === region.id && stored.roles.join() === 'coordinator', `stored ${JSON.stringify(stored)}`);
    assert((await page.locator('#new-user-name').inputValue()) === '', 'the form keeps the name');
    const signIn = await signInStatus(base, newName, firstPassword);
    assert(signIn.status === 201, `signing in with the shown password answers ${signIn.status}`);
    await page.getByRole('button', { name: 'Jag har sparat lösenordet – dölj det' }).click();
    assert((await notice.count()) === 0, 'the password is still shown');
  });

  await check('a name already taken (whatever its case) is refused beside the name', async () => {
    await fillNew('Anna.Lind', ['reader'], null);
    const error = page.locator('[data-testid="new-user-error-name"]');
    await error.waitFor({ timeout: 10000 });
    const text = await error.textContent();
    assert(text === 'Användarnamnet ”Anna.Lind” används redan av en annan användare.', `the message is "${text}"`);
    await page.locator('#new-user-name').fill('');
    assert((await error.count()) === 0, 'the message stays once the name is edited');
    await page.locator('#new-user-email').fill('');
  });
  await axeCheck(page, 'users page with a refusal sv 1280 px');

  const editButton = () => page.getByRole('button', { name: `Ändra användaren ${newName}` });
  await check("the user's roles and organisation are changed", async () => {
    await editButton().click();
    await page.locator('[data-testid="edit-user"]').waitFor({ timeout: 10000 });
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert(focused === 'edit-user-heading', `focus is on "${focused}"`);
    await page.locator('#edit-user-role-coordinator').uncheck();
    await page.locator('#edit-user-role-editor').check();
    await page.locator('#edit-user-role-analyst').check();
    await page.locator('#edit-user-actor').selectOption(String(municipalities.id));
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.getByText(`Ändringarna för ${newName} är sparade.`).waitFor({ timeout: 10000 });
    const stored = await userNamed(newName);
    assert([...stored.roles].sort().join() === 'analyst,editor' && stored.actor_id === municipalities.id,
           `stored ${JSON.stringify(stored)}`);
    // The list is read again after the change.
    const row = page.locator(`[data-testid="user-${newName}"]`);
    await row.getByText('Kommunerna i Norrbotten').waitFor({ timeout: 10000 });
    const text = await row.textContent();
    assert(text?.includes('redaktör') && text.includes('analytiker') && !text.includes('samordnare'), `row: ${text}`);
  });

  await check('a change someone else saved first is named, and saving again overwrites it', async () => {
    const before = await userNamed(newName);
    const response = await fetch(`${base}/api/v1/users/${before.id}`, {
      method: 'PATCH',
      headers: { ...adminHeaders, 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: before.version, email: 'anna@annan.example' }),
    });
    assert(response.ok, `the other change answered ${response.status}`);
    await page.locator('#edit-user-email').fill('anna.lind@kommun.example');
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    const error = page.locator('[data-testid="edit-user-error"]');
    await error.getByText('Någon annan har ändrat användaren').waitFor({ timeout: 10000 });
    const text = await error.textContent();
    assert(text?.includes('anna@annan.example') && text.includes('Kommunerna i Norrbotten'), `the message: ${text}`);
    assert((await page.locator('#edit-user-email').inputValue()) === 'anna.lind@kommun.example', 'the form lost the typed e-mail');
    assert((await userNamed(newName)).email === 'anna@annan.example', 'the stale change was saved');
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.getByText(`Ändringarna för ${newName} är sparade.`).waitFor({ timeout: 10000 });
    assert((await userNamed(newName)).email === 'anna.lind@kommun.example', 'saving again did not overwrite');
  });

  await check('the account is disabled, and its password no longer signs in', async () => {
    await page.getByRole('button', { name: 'Stäng av kontot' }).click();
    await page.getByText(`Kontot för ${newName} är avstängt.`).waitFor({ timeout: 10000 });
    await page.locator(`[data-testid="user-${newName}"] [data-testid="user-status"]`).getByText('Avstängd').waitFor();
    assert((await userNamed(newName)).disabled === true, 'the API says the user is not disabled');
    const signIn = await signInStatus(base, newName, firstPassword);
    assert(signIn.status === 401, `a disabled user's sign-in answers ${signIn.status}`);
  });

  let resetPassword = '';
  await check('the password is reset after a confirmation and shown once', async () => {
    await page.locator('[data-testid="reset-password"]').click();
    await page.getByText(`Vill du återställa lösenordet för ${newName}?`).waitFor();
    await page.locator('[data-testid="reset-yes"]').click();
    const notice = page.locator('[data-testid="password-once"]');
    await notice.getByText(`Lösenordet för ${newName} är återställt`).waitFor({ timeout: 10000 });
    resetPassword = (await page.locator('[data-testid="password-once-value"]').textContent()) ?? '';
    assert(resetPassword.length >= 12 && resetPassword !== firstPassword, `the new password is "${resetPassword}"`);
    await page.locator(`[data-testid="user-${newName}"]`).getByText('måste byta lösenord').waitFor({ timeout: 10000 });
    const disabled = await signInStatus(base, newName, resetPassword);
    assert(disabled.status === 401, `the disabled user signs in with the new password: ${disabled.status}`);
  });
  await screenshot(page, 'admin-users-sv-1280');

  await check('enabled again, the reset password signs in and demands a change; the old one does not', async () => {
    await page.getByRole('button', { name: 'Aktivera kontot' }).click();
    await page.getByText(`Kontot för ${newName} är aktiverat igen.`).waitFor({ timeout: 10000 });
    const old = await signInStatus(base, newName, firstPassword);
    assert(old.status === 401, `the first password still answers ${old.status}`);
    const signIn = await signInStatus(base, newName, resetPassword);
    assert(signIn.status === 201 && signIn.body?.must_change_password === true,
           `${signIn.status} ${JSON.stringify(signIn.body)}`);
  });
  await axeCheck(page, 'users page editing sv 1280 px');

  await page.setViewportSize({ width: 375, height: 800 });
  await check('at 375 px the page is no wider than the screen but for the table, which scrolls', async () => {
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      form: document.querySelector('[data-testid="add-user"]').getBoundingClientRect().right,
    }));
    assert(widths.page <= 375 && widths.form <= 375, `page ${widths.page} px, form ends at ${widths.form} px`);
  });
  await axeCheck(page, 'users page sv 375 px');
  await screenshot(page, 'admin-users-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  const rows = () => page.locator('[data-testid="audit"] tbody tr');
  await check('the audit log lists the events, newest first, with who and from where', async () => {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Granskningslogg' }).click();
    await page.waitForURL('**/admin/logg');
    await rows().first().waitFor({ timeout: 10000 });
    const log = (await api(base, '/audit?limit=50')).items;
    const ids = await rows().evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.id)));
    assert(ids.join() === log.map((e) => e.id).join(), `the page shows ${ids.slice(0, 5)}…, the API ${log.slice(0, 5).map((e) => e.id)}…`);
    const texts = await rows().evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    const wanted = [
      ['user_added', 'Användare tillagd', 'Roller: samordnare'],
      ['roles_changed', 'Roller ändrade', 'Roller: samordnare → redaktör, analytiker'],
      ['user_disabled', 'Konto avstängt', 'Avstängd: ja'],
      ['password_reset', 'Lösenord återställt', 'Avslutade inloggningar'],
      ['user_enabled', 'Konto aktiverat', 'Avstängd: nej'],
      ['sign_in_failed', 'Misslyckad inloggning', ''],
    ];
    for (const [event, label, detail] of wanted) {
      const at = log.findIndex((e) => e.event === event && e.subject === newName);
      assert(at >= 0, `the API has no ${event} of ${newName}`);
      assert(texts[at].includes(label) && texts[at].includes(detail), `the ${event} row reads "${texts[at]}"`);
      if (event !== 'sign_in_failed') assert(texts[at].includes('granskare'), `the ${event} row names no admin`);
      assert(texts[at].includes('127.0.0.1'), `the ${event} row has no address: ${texts[at]}`);
    }
    const times = await rows().locator('time').evaluateAll((els) => els.map((t) => [t.dateTime, t.textContent]));
    assert(times.every(([at, shown]) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(shown ?? '') && at),
           `times shown: ${times.slice(0, 3).map((t) => t[1])}`);
    assert(times[0][0] === log[0].at, `the first row is at ${times[0][0]}, the newest event at ${log[0].at}`);
    return `${ids.length} events`;
  });
  await axeCheck(page, 'audit log sv 1280 px');
  await screenshot(page, 'admin-audit-sv-1280');

  await check('the log filtered by event type shows only that type', async () => {
    await page.locator('#audit-event').selectOption('roles_changed');
    await page.waitForURL('**/admin/logg?handelse=roles_changed');
    await page.locator('[data-testid="audit-count"]').getByText('Händelse 1–1 av 1').waitFor({ timeout: 10000 });
    const events = await rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.event));
    assert(events.join() === 'roles_changed', `the rows are ${events}`);
  });

  await check('the log pages through in tens, older events after newer', async () => {
    await page.locator('#audit-event').selectOption('');
    await page.locator('#audit-size').selectOption('10');
    await page.waitForURL('**/admin/logg?antal=10');
    const all = await api(base, '/audit?limit=20');
    assert(all.total > 10, `only ${all.total} events`);
    await page.locator('[data-testid="audit-count"]').getByText(`Händelse 1–10 av ${all.total}`).waitFor({ timeout: 10000 });
    await page.locator('[data-testid="audit-older"]').click();
    await page.waitForURL('**/admin/logg?antal=10&sida=2');
    const to = Math.min(20, all.total);
    await page.locator('[data-testid="audit-count"]').getByText(`Händelse 11–${to} av ${all.total}`).waitFor({ timeout: 10000 });
    const ids = await rows().evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.id)));
    assert(ids.join() === all.items.slice(10, 20).map((e) => e.id).join(), `page 2 shows ${ids}`);
    await page.locator('[data-testid="audit-newer"]').click();
    await page.waitForURL('**/admin/logg?antal=10');
  });

  await page.setViewportSize({ width: 375, height: 800 });
  await axeCheck(page, 'audit log sv 375 px');
  await screenshot(page, 'admin-audit-sv-375');
  await page.setViewportSize({ width: 1280, height: 900 });

  await check('in English the log and its events are named in English', async () => {
    await page.goto(`${base}/admin/logg?lang=en`);
    await rows().first().waitFor({ timeout: 10000 });
    assert((await page.locator('h1').textContent()) === 'Audit log', 'the heading is not English');
    const text = await page.locator('[data-testid="audit"]').textContent();
    assert(text?.includes('Sign-in') && text.includes('Account disabled'), `the log reads ${text?.slice(0, 200)}`);
    const shown = await rows().first().locator('time').textContent();
    assert(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}$/.test(shown ?? ''), `an English time reads "${shown}"`);
  });

  await check('an admin whose password was reset is asked to change it before the admin pages', async () => {
    const out = run(['user', 'reset-password', 'granskare', '--db', db]);
    const password = /\(shown once, to be changed at sign-in\): (\S+)/.exec(out)?.[1];
    assert(password, `reset-password printed ${out}`);
    await h.signInAs(page, base, 'granskare', password);
    await page.goto(`${base}/admin/logg`);
    await refusal().waitFor({ timeout: 10000 });
    const text = await refusal().textContent();
    assert(text?.includes('återställt ditt lösenord'), `the page says "${text}"`);
    const href = await refusal().getByRole('link', { name: 'Byt lösenord' }).getAttribute('href');
    assert(href === `/logga-in?next=${encodeURIComponent('/admin/logg')}`, `the link goes to ${href}`);
    assert((await page.locator('[data-testid="audit"]').count()) === 0, 'the log is shown');
  });

  await check('no page errors', async () => {
    // The refusals the pages show come from answers the browser logs: the reader's 403s, the
    // coordinator without organisation (400), the taken name and the conflict (409).
    const unexpected = pageErrors.filter((e) => !/status of (400|403|409)/.test(e));
    assert(unexpected.length === 0, unexpected.join('\n'));
  });
} catch (error) {
  h.fail(error);
} finally {
  await h.finish(browser);
}
