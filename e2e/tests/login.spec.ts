import { expect, test } from '../fixtures.ts';

test('a user logs in through the form', async ({ page, account }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();
});

test('a wrong password shows the error and stays on /login', async ({ page, account }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();

  await expect(page.getByRole('alert')).toHaveText(
    'That username and password do not match. Check both and try again.',
  );
  await expect(page).toHaveURL(/\/login$/);
});

test('an unknown user gets the very same message', async ({ page, credentials }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();

  await expect(page.getByRole('alert')).toHaveText(
    'That username and password do not match. Check both and try again.',
  );
});

test('a protected page sends a visitor to log in, then back to it', async ({ page, account }) => {
  await page.goto('/dashboard?tab=overview');
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();

  await expect(page).toHaveURL(/\/dashboard\?tab=overview$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${account.username}` })).toBeVisible();
  // The login page was replaced in history: Back does not return to it.
  await page.goBack();
  await expect(page).not.toHaveURL(/\/login/);
});

test('the login and signup pages link to each other', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await page.getByRole('link', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/login$/);
});
