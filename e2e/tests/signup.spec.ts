import { expect, test } from '../fixtures.ts';

test('a new user signs up and lands on the dashboard, and stays after a reload', async ({
  page,
  credentials,
}) => {
  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Email (optional)').fill(`${credentials.username}@example.com`);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign up' }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();
  await expect(page.getByText(`${credentials.username}@example.com`)).toBeVisible();

  await page.reload();
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();
});

test('signup shows each problem next to its field', async ({ page }) => {
  await page.goto('/signup');
  // The hint states the server's minimum (PASSWORD_MIN_LENGTH=10 in this suite).
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    '10 to 72 characters (fewer with accents or emoji), not a common password, not like your username.',
  );
  await page.getByLabel('Username').fill('a b');
  await page.getByLabel('Email (optional)').fill('not-an-email');
  await page.getByLabel('Password').fill('x7#q');
  await page.getByRole('button', { name: 'Sign up' }).click();

  await expect(page.getByLabel('Username')).toHaveAccessibleDescription(
    /^Use only letters, digits and @ \. \+ - _ \(no spaces\)\./,
  );
  await expect(page.getByLabel('Email (optional)')).toHaveAccessibleDescription(
    'Enter a valid email address.',
  );
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    /^Use at least 10 characters\./,
  );
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/signup$/);
});

test('a taken username is refused with a clear message', async ({ page, account }) => {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(account.username.toUpperCase());
  await page.getByLabel('Password').fill('another good password');
  await page.getByRole('button', { name: 'Sign up' }).click();

  await expect(page.getByLabel('Username')).toHaveAccessibleDescription(
    /^That username is taken\. Try another\./,
  );
  await expect(page).toHaveURL(/\/signup$/);
});

test('signup refuses a common password, or one like the username, and says why', async ({
  page,
  credentials,
}) => {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    /^This password is one of the most common: choose another\./,
  );

  await page.getByLabel('Password').fill(`${credentials.username}!`);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    /^This password is too much like your username\./,
  );
  await expect(page).toHaveURL(/\/signup$/);
});
