import type { Locator, Page } from '@playwright/test';
import { callApi, expect, signUpThroughForm, test } from '../fixtures.ts';

// What a person trying the app for the first time ran into (issue 15), each pinned here.

/** How many lines the text of `element` from `from` (a substring) to its end takes on screen. */
function linesOf(element: Locator, from = '') {
  return element.evaluate((node, start) => {
    const text = node.firstChild;
    if (!text?.textContent) return 0;
    const range = document.createRange();
    range.setStart(text, Math.max(0, text.textContent.indexOf(start)));
    range.setEnd(text, text.textContent.length);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  }, from);
}

test('a refused form sends focus to what to fix; the button keeps it while waiting', async ({
  page,
}) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('nobody_at_all');
  await page.getByLabel('Password').fill('not the password');
  // The login waits until the test has looked at the button.
  let answer = () => {};
  const looked = new Promise<void>((resolve) => {
    answer = resolve;
  });
  await page.route('**/trpc/auth.login**', async (route) => {
    await looked;
    await route.continue();
  });
  const button = page.getByRole('button', { name: /^Log(ging)? in/ });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(button).toBeFocused();
  answer();
  // No field to blame: the alert above the form takes focus.
  await expect(page.getByRole('alert')).toHaveText(/do not match/);
  await expect(page.getByRole('alert')).toBeFocused();

  await page.goto('/signup');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByLabel('Username')).toBeFocused();
});

test('an empty username gets one message, the most useful', async ({ page }) => {
  await page.goto('/signup');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const username = page.getByLabel('Username');
  await expect(username).toHaveAccessibleDescription(/^Enter a username\. 3 to 150 characters/);
  await expect(username).not.toHaveAccessibleDescription(/Use only letters/);
});

test('a taken username marks its field, at signup and when renaming', async ({
  page,
  account,
  request,
  newDeviceWithToken,
}) => {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(account.username.toUpperCase());
  await page.getByLabel('Password').fill('another good password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const username = page.getByLabel('Username');
  await expect(username).toHaveAttribute('aria-invalid', 'true');
  await expect(username).toHaveAccessibleDescription(/^That username is taken\. Try another\./);
  await expect(username).toBeFocused();

  const someone = { username: `${account.username}_2`, password: account.password };
  const signup = await callApi(request, 'auth.signup', { input: someone });
  const other = await newDeviceWithToken(signup.body.result.data.token);
  await other.goto('/settings');
  const section = other.getByRole('region', { name: 'Change username' });
  await section.getByLabel('New username').fill(account.username);
  await section.getByLabel('Current password').fill(someone.password);
  await section.getByRole('button', { name: 'Change username' }).click();
  await expect(section.getByLabel('New username')).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByLabel('New username')).toHaveAccessibleDescription(
    /^That username is taken\. Try another\./,
  );
});

test('an email address stays on one line on the dashboard; the username hint keeps its symbols together on a phone', async ({
  page,
  credentials,
  request,
  newDeviceWithToken,
}) => {
  const email = `${credentials.username}@example.com`;
  const signup = await callApi(request, 'auth.signup', { input: { ...credentials, email } });
  const desktop = await newDeviceWithToken(signup.body.result.data.token);
  await desktop.setViewportSize({ width: 1280, height: 800 });
  await desktop.goto('/dashboard');
  await expect(desktop.getByText(email)).toBeVisible();
  await expect.poll(() => linesOf(desktop.getByText(email))).toBe(1);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/signup');
  const hint = page.getByText(/^3 to 150 characters/);
  await expect(hint).toBeVisible();
  await expect.poll(() => linesOf(hint, '@')).toBe(1);
});

test('every session has a button naming it, and two of one browser read apart', async ({
  authedPage: page,
  newDevice,
}) => {
  await newDevice();
  await newDevice();
  await page.goto('/settings');
  const revokes = page.getByRole('region', { name: 'Sessions' }).getByRole('button', {
    name: /^Revoke /,
  });
  await expect(revokes).toHaveCount(2);
  const names = await Promise.all(
    (await revokes.all()).map((button) => button.getAttribute('aria-label')),
  );
  expect(names[0]).toMatch(/^Revoke Chrome on \w+ \(ID [0-9a-f]{6}\)$/);
  expect(new Set(names).size).toBe(2);
});

test('revoking a session and logging out everywhere ask first; Cancel changes nothing', async ({
  authedPage: page,
  newDevice,
}) => {
  await newDevice();
  await page.goto('/settings');
  const sessions = page.getByRole('region', { name: 'Sessions' });
  const revoke = sessions.getByRole('button', { name: /^Revoke / });
  await revoke.click();
  const dialog = page.getByRole('dialog', { name: 'Log this session out?' });
  await expect(dialog).toHaveAccessibleDescription(/^Chrome on \w+ \(ID [0-9a-f]{6}\), logged in/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(revoke).toBeFocused();
  await expect(sessions.getByRole('listitem')).toHaveCount(2);

  await sessions.getByRole('button', { name: 'Log out everywhere…' }).click();
  const everywhere = page.getByRole('dialog', { name: 'Log out on every device?' });
  await expect(everywhere.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(everywhere).toBeHidden();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(sessions.getByRole('listitem')).toHaveCount(2);

  // Confirmed: the row and its button are gone, so focus goes to the list, not the page's top.
  await revoke.click();
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(sessions.getByRole('listitem')).toHaveCount(1);
  await expect(sessions.getByRole('list', { name: 'Your sessions' })).toBeFocused();
});

test('a password too long says so in plain words, and the hint gives the limit', async ({
  page,
  credentials,
}) => {
  await page.goto('/signup');
  const password = page.getByLabel('Password');
  await expect(password).toHaveAccessibleDescription(/^10 to 72 characters/);
  await page.getByLabel('Username').fill(credentials.username);
  await password.fill('é'.repeat(40));
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(password).toHaveAccessibleDescription(
    /^This password is too long: use at most 72 characters, fewer if it has accents or emoji\./,
  );
});

test('the focus ring is a solid 3 px outline', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.keyboard.press('Tab');
  const focused = page.getByRole('link', { name: 'Tokenauth home' });
  await expect(focused).toBeFocused();
  const ring = await focused.evaluate((element) => {
    const style = getComputedStyle(element);
    return `${style.outlineStyle} ${style.outlineWidth}`;
  });
  expect(ring).toBe('solid 3px');
});

test('every form with a password tells password managers whose it is', async ({
  authedPage: page,
}) => {
  await page.goto('/settings');
  // Change password shows no username field: a hidden one says whose password it is.
  const region = page.getByRole('region', { name: 'Change password' });
  await expect(region.getByRole('button', { name: 'Change password' })).toBeVisible();
  await expect(region.getByLabel(/username/i)).toHaveCount(0);
  const fields = await region.evaluate((element) =>
    [...(element.getElementsByTagName('form')[0]?.elements ?? [])].map((field) =>
      field instanceof HTMLInputElement ? field.autocomplete : '',
    ),
  );
  expect(fields).toEqual(expect.arrayContaining(['username', 'current-password', 'new-password']));
  await page.getByRole('button', { name: 'Delete account…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  const dialogFields = await dialog.evaluate((element) =>
    [...(element.getElementsByTagName('form')[0]?.elements ?? [])].map((field) =>
      field instanceof HTMLInputElement ? field.autocomplete : '',
    ),
  );
  expect(dialogFields).toEqual(expect.arrayContaining(['username', 'current-password']));
});

test('after signup the dashboard shows the account at once, and the devices', async ({
  page,
  credentials,
}) => {
  // Records whether the page ever showed it was loading the account, or the Account card without it.
  await page.addInitScript((username) => {
    new MutationObserver(() => {
      const card = document.getElementById('account-title')?.parentElement;
      const loading = document.body.textContent?.includes('Loading your account');
      if (loading || (card && !card.textContent?.includes(username))) {
        document.documentElement.dataset.sawLoading = 'yes';
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, credentials.username);
  await signUpThroughForm(page, credentials);
  const devices = page.getByRole('region', { name: 'Devices' });
  await expect(devices.getByText('No other device')).toBeVisible();
  await expect(devices.getByText(/\(this device\)/)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.dataset.sawLoading)).toBeUndefined();
});

/** Counts, in the page, every layout shift (what Lighthouse's CLS adds up), input or not. */
async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shifts = { total: 0 };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        shifts.total += (entry as { value?: number }).value ?? 0;
    });
    observer.observe({ type: 'layout-shift', buffered: true });
    Object.assign(window, { layoutShifts: { shifts, observer } });
  });
}

/** The shifts so far (those not yet delivered too), and a new count from zero. */
function takeLayoutShifts(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { shifts, observer } = (
      window as unknown as {
        layoutShifts: { shifts: { total: number }; observer: PerformanceObserver };
      }
    ).layoutShifts;
    for (const entry of observer.takeRecords()) {
      shifts.total += (entry as { value?: number }).value ?? 0;
    }
    const total = shifts.total;
    shifts.total = 0;
    return total;
  });
}

/** Waits until the page has drawn what it shows now (two animation frames). */
function framesPainted(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/**
 * Holds the requests whose address matches `pattern` until `release` is
 * called (`reached` once the first is held); from then on they go straight through.
 */
async function holdAnswers(page: Page, pattern: RegExp) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reach = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  await page.route(pattern, async (route) => {
    reach();
    await held;
    await route.continue();
  });
  return { reached, release };
}

test('nothing moves while the dashboard and Settings load on a phone, however long the username', async ({
  page,
  credentials,
  request,
  newDeviceWithToken,
}) => {
  // Long enough that "Welcome, <username>" takes two lines on a phone.
  const account = { ...credentials, username: `${credentials.username}_with_a_long_name` };
  const signup = await callApi(request, 'auth.signup', { input: account });
  const opened = await newDeviceWithToken(signup.body.result.data.token);
  await opened.setViewportSize({ width: 390, height: 844 });
  await watchLayoutShifts(opened);
  const heading = opened.getByRole('heading', { name: `Welcome, ${account.username}` });

  // A fresh load, the answers held back until the loading state is surely painted.
  let hold = await holdAnswers(opened, /\/trpc\//);
  await opened.goto('/dashboard');
  await hold.reached;
  await framesPainted(opened);
  hold.release();
  await expect(heading).toBeVisible();
  await expect(opened.getByRole('region', { name: 'Devices' })).toContainText('No other device');
  await framesPainted(opened);
  expect(await takeLayoutShifts(opened)).toBeLessThan(0.001);

  // Settings' code comes first (it loads when opened), then its questions, held.
  hold = await holdAnswers(opened, /\/trpc\//);
  await opened.goto('/settings');
  await hold.reached;
  await framesPainted(opened);
  hold.release();
  await expect(opened.getByRole('region', { name: 'Sessions' }).getByRole('listitem')).toHaveCount(
    1,
  );
  await framesPainted(opened);
  expect(await takeLayoutShifts(opened)).toBeLessThan(0.001);

  // After a login the account is known at once; the devices come after it, below it.
  await page.setViewportSize({ width: 390, height: 844 });
  await watchLayoutShifts(page);
  await page.goto('/login');
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  hold = await holdAnswers(page, /\/trpc\/tokens\.list/);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();
  await hold.reached;
  await framesPainted(page);
  await takeLayoutShifts(page);
  hold.release();
  await expect(page.getByRole('region', { name: 'Devices' })).toContainText('1 other device');
  await framesPainted(page);
  expect(await takeLayoutShifts(page)).toBeLessThan(0.001);
});

test('the longest username and a long email address fit a phone, on the dashboard and in Settings', async ({
  credentials,
  request,
  newDeviceWithToken,
}) => {
  // 150 characters, the most a username may have, with nowhere to break.
  const username = `${credentials.username}_`.padEnd(150, 'x');
  const email = `${credentials.username}.${'y'.repeat(40)}@example.com`;
  const signup = await callApi(request, 'auth.signup', {
    input: { ...credentials, username, email },
  });
  expect(signup.status).toBe(200);
  const page = await newDeviceWithToken(signup.body.result.data.token);
  await page.setViewportSize({ width: 320, height: 640 });
  // How far the page scrolls sideways (the scroll bar's gutter, kept, may make it negative).
  const sideways = () =>
    page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );

  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: `Welcome, ${username}` })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  expect(await sideways()).toBeLessThanOrEqual(0);

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  await expect(page.getByText(`You log in as ${username}.`)).toBeVisible();
  expect(await sideways()).toBeLessThanOrEqual(0);
});
