import type { APIRequestContext, Page } from '@playwright/test';
import { expect, signUpThroughForm, TOKEN_KEY, test } from '../fixtures.ts';
import { JWT_MODE_URL } from '../playwright.config.ts';

type StoredJwt = { refresh: string; access: string; renewAt: number };

/** The JWT pair the app keeps (auth/jwt-credentials.ts). */
async function storedPair(page: Page): Promise<StoredJwt> {
  const stored = await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY);
  expect(stored, 'a stored session').not.toBeNull();
  return JSON.parse(stored ?? '') as StoredJwt;
}

const refresh = (request: APIRequestContext, token: string) =>
  request.post(`${JWT_MODE_URL}/trpc/jwt.refresh`, { data: { refresh: token } });

// The app built with VITE_AUTH_MODE=jwt against an API with a JWT key (project 'jwt mode').
test('JWT mode: signup and login get JWT sessions, renewed silently; logout and a revoked session end them', async ({
  page,
  credentials,
  request,
}) => {
  // The browser's clock moves ahead of the server's: the app renews by its own clock.
  await page.clock.install();

  // Signup: one session, a JWT one (signup's opaque token exchanged, then revoked).
  await signUpThroughForm(page, credentials);
  const first = await storedPair(page);
  expect(first.access.split('.')).toHaveLength(3);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  const sessions = page.getByRole('region', { name: 'Sessions' }).getByRole('listitem');
  await expect(sessions).toHaveCount(1);
  await expect(sessions.first()).toContainText('This device');
  // Its row is touched when the pair is renewed, and says so.
  await expect(sessions.first()).toContainText(/Renewed just now · Logged in/);

  // Four and a half minutes on, the access token (5 minutes) is renewed before the next request.
  const renewal = page.waitForResponse((r) => r.url().endsWith('/trpc/jwt.refresh'));
  await page.clock.fastForward('04:30');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Dashboard' })
    .click();
  expect((await renewal).status()).toBe(200);
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();
  const second = await storedPair(page);
  expect(second.refresh).not.toBe(first.refresh);
  // The retired refresh token is refused, and ends the session it belonged to...
  expect((await refresh(request, first.refresh)).status()).toBe(401);
  // ...which the app then finds out at its next renewal: "session ended". That may come
  // before any click (a query the page refetches), so the click is on a link every page has.
  await page.clock.fastForward('04:30');
  await page.getByRole('link', { name: 'Tokenauth home' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('Your session has ended. Please log in again.');

  // Login: a new JWT session; logout ends it on the server too.
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const third = await storedPair(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('You have been logged out.');
  expect((await refresh(request, third.refresh)).status()).toBe(401);
  expect(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).toBeNull();
});

test('JWT mode: a wrong password reads as in token mode', async ({ page, credentials }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'That username and password do not match. Check both and try again.',
  );
});

test('JWT mode: two tabs due for renewal take turns, and both stay logged in', async ({
  context,
  credentials,
}) => {
  await context.clock.install();
  const first = await context.newPage();
  await signUpThroughForm(first, credentials);
  const second = await context.newPage();
  await second.goto('/dashboard');
  await expect(
    second.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();

  const renewals: number[] = [];
  context.on('response', (response) => {
    if (response.url().endsWith('/trpc/jwt.refresh')) renewals.push(response.status());
  });
  await context.clock.fastForward('04:30');
  // Both tabs ask at once; one renews, the other waits for it and takes the new pair.
  await Promise.all(
    [first, second].map((page) =>
      page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Settings' })
        .click(),
    ),
  );
  for (const page of [first, second]) {
    await expect(page.getByRole('region', { name: 'Sessions' }).getByRole('listitem')).toHaveCount(
      1,
    );
  }
  expect(renewals).toEqual([200]);
});
