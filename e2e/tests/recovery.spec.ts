import { callApi, expect, mailTo, test } from '../fixtures.ts';
import { MAIL_URL } from '../playwright.config.ts';

test('forgot password: the link in the mail sets a new password, logs in here and out everywhere else', async ({
  page,
  request,
  credentials,
  newDeviceWithToken,
}) => {
  const email = `${credentials.username}@example.com`;
  const signup = await callApi(request, 'auth.signup', { input: { ...credentials, email } });
  expect(signup.status).toBe(200);
  // Only a confirmed address gets a reset link.
  const verification = await mailTo(request, email, /confirm your email address/);
  const [, , uid, token] = verification.path.split('/');
  expect((await callApi(request, 'recovery.verifyEmail', { input: { uid, token } })).status).toBe(
    200,
  );
  const otherDevice = await newDeviceWithToken(signup.body.result.data.token);
  await otherDevice.goto('/dashboard');
  await expect(
    otherDevice.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email or username').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toHaveText(/If an account matches, we sent a link/);

  const reset = await mailTo(request, email, /reset your password/);
  await page.goto(reset.path);
  await page.getByLabel('New password', { exact: true }).fill('a fresh passphrase 42');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('status')).toHaveText(/you are now logged in here/);
  await page.getByRole('link', { name: 'Go to your dashboard' }).click();
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();

  // The other device's session ended with the old password.
  await otherDevice.reload();
  await expect(otherDevice).toHaveURL(/\/login$/);
  const old = await callApi(request, 'auth.login', { input: credentials });
  expect(old.status).toBe(400);

  // The link worked once.
  await page.goto(reset.path);
  await page.getByLabel('New password', { exact: true }).fill('yet another passphrase 7');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toHaveText('This link is invalid or has expired.');
});

test('asking for a reset answers the same when no account matches', async ({ page }) => {
  await page.goto('/forgot-password');
  await page.getByLabel('Email or username').fill('nobody-at-all@example.com');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toHaveText(/If an account matches, we sent a link/);
});

test('an email added in Settings is confirmed from the link mailed to it', async ({
  authedPage: page,
  request,
  account,
}) => {
  const email = `${account.username}@example.com`;
  await page.goto('/settings');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Save email' }).click();
  await expect(page.getByText(`${email} is not confirmed yet.`)).toBeVisible();

  // A second link replaces the first: only the newest works.
  const first = await mailTo(request, email, /confirm your email address/);
  await page.getByRole('button', { name: 'Resend the link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We sent a new link' })).toBeVisible();
  await expect
    .poll(async () => {
      const response = await request.get(`${MAIL_URL}/mail?to=${encodeURIComponent(email)}`);
      return ((await response.json()) as unknown[]).length;
    })
    .toBe(2);
  const link = await mailTo(request, email, /confirm your email address/);

  await page.goto(link.path);
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await expect(page.getByRole('status')).toHaveText('Your email address is confirmed.');
  await page.goto('/dashboard');
  await expect(page.getByText('Confirmed', { exact: true })).toBeVisible();

  // The replaced link says so, and offers a new one.
  await page.goto(first.path);
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await expect(page.getByRole('alert').first()).toHaveText('This link is invalid or has expired.');
  const ask = page.getByRole('form', { name: 'Ask for a new link' });
  await ask.getByLabel('Email').fill(email);
  await ask.getByRole('button', { name: 'Send a new link' }).click();
  await expect(ask.getByRole('status')).toHaveText(
    'If this address waits to be confirmed, we sent a new link to it.',
  );
});

test('the dev outbox page is left out of production builds', async ({ page }) => {
  // The suite runs the production build: /dev/outbox is any unknown page there.
  await page.goto('/dev/outbox');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
