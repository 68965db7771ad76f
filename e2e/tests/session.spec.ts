import { callApi, expect, test } from '../fixtures.ts';

test('a logged-in user opening /login or /signup goes to the dashboard', async ({
  authedPage: page,
  account,
}) => {
  for (const path of ['/login', '/signup', '/']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/dashboard$/);
  }
  await expect(page.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();
});

test('log out revokes the token and protects the dashboard again', async ({
  authedPage: page,
  account,
  request,
}) => {
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();

  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('You have been logged out.');
  const me = await callApi(request, 'auth.me', { token: account.token, query: true });
  expect(me.status).toBe(401);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login$/);
});

test('a token revoked on the server ends the session in the app', async ({
  authedPage: page,
  account,
  request,
}) => {
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();

  const logout = await callApi(request, 'auth.logout', { token: account.token });
  expect(logout.status).toBe(200);
  await page.reload();

  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('Your session has ended. Please log in again.');
});

test('logging out in one tab logs out the other', async ({ authedPage: page, account }) => {
  const other = await page.context().newPage();
  await page.goto('/dashboard');
  await other.goto('/dashboard');
  await expect(other.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();

  await expect(page).toHaveURL(/\/login$/);
  await expect(other).toHaveURL(/\/login$/);
  await expect(other.getByRole('status')).toHaveText('You were logged out in another tab.');
});

test('an unknown page says so and leads home', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go home' }).click();
  await expect(page).toHaveURL(/\/login$/);
});
