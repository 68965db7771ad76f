import { expect, mailTo, test } from '../fixtures.ts';
import { ACTIVATION } from '../playwright.config.ts';

// Against the second API and app, in activation mode (REQUIRE_EMAIL_VERIFICATION=true).
test('activation mode: sign up, no login until the mailed link is followed, then log in', async ({
  page,
  request,
  credentials,
}) => {
  const email = `${credentials.username}@example.com`;
  await page.goto(`${ACTIVATION.webUrl}/signup`);
  await page.getByLabel('Username').fill(credentials.username);
  // The form knows this server needs an email.
  const emailField = page.getByLabel('Email', { exact: true });
  await expect(emailField).toHaveAccessibleDescription(
    'We will send a link to activate your account.',
  );
  await emailField.fill(email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `Almost done: we sent a link to ${email}. Follow it to activate your account, then log in.`,
  );

  const logIn = async () => {
    await page.goto(`${ACTIVATION.webUrl}/login`);
    await page.getByLabel('Username').fill(credentials.username);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  };
  await logIn();
  await expect(page.getByRole('alert')).toHaveText(
    'That username and password do not match. Check both and try again.',
  );

  const mail = await mailTo(request, email, /confirm your email address/, ACTIVATION.mailUrl);
  await page.goto(`${ACTIVATION.webUrl}${mail.path}`);
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await expect(page.getByRole('status')).toHaveText('Your email address is confirmed.');

  await logIn();
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();
  await expect(page.getByText('Confirmed', { exact: true })).toBeVisible();
});
