import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';

/**
 * Presses `key` (Tab or Shift+Tab) until `target` has focus, as a keyboard
 * user moves through a page; fails if it takes more than `max` presses.
 */
async function moveTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 25) {
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
}

// Only Tab, Shift+Tab, Enter, Space, Escape and typing: no mouse, no clicks.
test('signup, dashboard, settings, a new password and logging out, by keyboard alone', async ({
  page,
  credentials,
}) => {
  await page.goto('/signup');
  await moveTo(page, page.getByLabel('Username'));
  await page.keyboard.type(credentials.username);
  await moveTo(page, page.getByLabel('Password'));
  await page.keyboard.type(credentials.password);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();

  await moveTo(page, page.getByRole('link', { name: 'Settings' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  // The current password forgotten: focus goes to that field, which says why.
  const section = page.getByRole('region', { name: 'Change password' });
  await moveTo(page, section.getByLabel('New password'));
  await page.keyboard.type('a keyboard only passphrase');
  await page.keyboard.press('Enter');
  await expect(section.getByLabel('Current password')).toBeFocused();
  await expect(section.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.type(credentials.password);
  await page.keyboard.press('Enter');
  await expect(section.getByRole('status')).toHaveText(/^Your password has been changed/);

  // A dialog opens with Space, closes with Escape, and focus comes back to its button.
  const remove = page.getByRole('button', { name: 'Delete account…' });
  await moveTo(page, remove);
  await page.keyboard.press('Space');
  await expect(page.getByRole('dialog', { name: 'Delete your account?' })).toBeVisible();
  await expect(page.getByLabel('Confirm with your password')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(remove).toBeFocused();

  // Back up the page to the main navigation, then out.
  await moveTo(page, page.getByRole('link', { name: 'Dashboard' }), 'Shift+Tab', 40);
  await page.keyboard.press('Enter');
  await moveTo(page, page.getByRole('button', { name: 'Log out' }));
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('You have been logged out.');
});
