import { callApi, expect, test } from '../fixtures.ts';

const SESSION_ENDED = 'Your session has ended. Please log in again.';

test('the dashboard links to Settings, which shows the account', async ({
  authedPage: page,
  account,
}) => {
  await page.goto('/dashboard');
  // The main navigation tells assistive technology which page is open.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(nav.getByRole('link', { name: 'Settings' })).not.toHaveAttribute('aria-current');
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Change username' }).getByText(account.username),
  ).toBeVisible();
});

test('two devices see each other, and one revokes the other', async ({
  authedPage: laptop,
  newDevice,
}) => {
  const phone = await newDevice();
  await phone.goto('/dashboard');
  await expect(phone.getByRole('heading', { name: /^Welcome/ })).toBeVisible();

  await laptop.goto('/settings');
  const sessions = laptop.getByRole('region', { name: 'Sessions' }).getByRole('listitem');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1);

  await sessions
    .filter({ hasNotText: 'This device' })
    .getByRole('button', { name: /^Revoke / })
    .click();
  await laptop
    .getByRole('dialog', { name: 'Log this session out?' })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(laptop.getByRole('status')).toHaveText('That session has been logged out.');
  await expect(sessions).toHaveCount(1);

  // The phone finds out on its next request.
  await phone.getByRole('link', { name: 'Settings' }).click();
  await expect(phone).toHaveURL(/\/login$/);
  await expect(phone.getByRole('status')).toHaveText(SESSION_ENDED);
});

test('changing the password logs out the other device, not this one', async ({
  authedPage: laptop,
  newDevice,
  account,
  request,
}) => {
  const phone = await newDevice();
  await phone.goto('/dashboard');
  await expect(phone.getByRole('heading', { name: /^Welcome/ })).toBeVisible();

  await laptop.goto('/settings');
  const section = laptop.getByRole('region', { name: 'Change password' });
  await section.getByLabel('Current password').fill('wrong password');
  await section.getByLabel('New password').fill('my new passphrase');
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByLabel('Current password')).toHaveAccessibleDescription(
    'That is not your current password.',
  );

  await section.getByLabel('Current password').fill(account.password);
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByRole('status')).toHaveText(
    'Your password has been changed. Your other sessions were logged out.',
  );
  await expect(laptop.getByRole('region', { name: 'Sessions' }).getByRole('listitem')).toHaveCount(
    1,
  );

  await phone.reload();
  await expect(phone).toHaveURL(/\/login$/);
  await expect(phone.getByRole('status')).toHaveText(SESSION_ENDED);

  await laptop.reload();
  await expect(laptop).toHaveURL(/\/settings$/);
  const login = await callApi(request, 'auth.login', {
    input: { username: account.username, password: 'my new passphrase' },
  });
  expect(login.status).toBe(200);
});

test('changing username and email shows a confirmation and the new values', async ({
  authedPage: page,
  account,
}) => {
  const renamed = `${account.username}_new`;
  await page.goto('/settings');
  const username = page.getByRole('region', { name: 'Change username' });
  await username.getByLabel('New username').fill(renamed);
  await username.getByLabel('Current password').fill(account.password);
  await username.getByRole('button', { name: 'Change username' }).click();
  await expect(username.getByRole('status')).toHaveText('Your username has been changed.');
  await expect(username.getByText(renamed, { exact: true })).toBeVisible();

  const email = page.getByRole('region', { name: 'Change email' });
  await email.getByLabel('Email').fill('not an email');
  await email.getByRole('button', { name: 'Save email' }).click();
  await expect(email.getByLabel('Email')).toHaveAccessibleDescription(
    'Enter a valid email address.',
  );
  await email.getByLabel('Email').fill('renamed@example.com');
  await email.getByRole('button', { name: 'Save email' }).click();
  await expect(email.getByRole('status')).toHaveText(
    /^Your email address has been saved\. We sent a link to it/,
  );

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: `Welcome, ${renamed}` })).toBeVisible();
  await expect(page.getByText('renamed@example.com')).toBeVisible();
});

test('log out everywhere ends every session', async ({ authedPage: laptop, newDevice }) => {
  const phone = await newDevice();
  await phone.goto('/dashboard');
  await expect(phone.getByRole('heading', { name: /^Welcome/ })).toBeVisible();

  await laptop.goto('/settings');
  await laptop.getByRole('button', { name: 'Log out everywhere…' }).click();
  await laptop
    .getByRole('dialog', { name: 'Log out on every device?' })
    .getByRole('button', { name: 'Log out everywhere' })
    .click();
  await expect(laptop).toHaveURL(/\/login$/);
  await expect(laptop.getByRole('status')).toHaveText('You have been logged out on every device.');

  await phone.reload();
  await expect(phone).toHaveURL(/\/login$/);
  await expect(phone.getByRole('status')).toHaveText(SESSION_ENDED);
});

test('deleting the account asks for the password, then the credentials stop working', async ({
  authedPage: page,
  account,
  request,
}) => {
  await page.goto('/settings');
  await page
    .getByRole('region', { name: 'Delete account' })
    .getByRole('button', { name: 'Delete account…' })
    .click();
  const section = page.getByRole('dialog', { name: 'Delete your account?' });
  await section.getByLabel('Confirm with your password').fill('not my password');
  await section.getByRole('button', { name: 'Delete my account' }).click();
  await expect(section.getByLabel('Confirm with your password')).toHaveAccessibleDescription(
    'That is not your current password.',
  );

  await section.getByLabel('Confirm with your password').fill(account.password);
  await section.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('Your account has been deleted.');

  const login = await callApi(request, 'auth.login', { input: account });
  expect(login.status).toBe(400);
  expect(login.body.error.message).toBe('Unable to log in with provided credentials.');
});
