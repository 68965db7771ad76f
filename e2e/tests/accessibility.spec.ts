import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';

/** WCAG 2.2 A and AA, as axe-core tags them (2.0, 2.1 and 2.2 rules). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Every violation axe finds in the page as it is now, one line each, to read in the failure. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.id}: ${node.target.join(' ')} — ${node.failureSummary}`,
    ),
  );
}

const A_LINK = `/reset-password/00000000-0000-4000-8000-000000000000/${'A'.repeat(43)}`;

// Both colour schemes: contrast is checked in each.
for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in the ${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    // axe takes seconds a page on a small machine: each page a test of its own, given time.
    test.beforeEach(() => test.slow());

    test('login, empty and refused, has no WCAG 2.2 AA violation', async ({ page }) => {
      await page.goto('/login');
      await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
      expect(await violations(page)).toEqual([]);
      await page.getByLabel('Username').fill('nobody_here');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByRole('alert')).toHaveText(/do not match/);
      expect(await violations(page)).toEqual([]);
    });

    test('signup with every field refused has no WCAG 2.2 AA violation', async ({ page }) => {
      await page.goto('/signup');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
      expect(await violations(page)).toEqual([]);
    });

    for (const [path, heading] of [
      ['/forgot-password', 'Forgot your password?'],
      ['/forgot-username', 'Forgot your username?'],
      [A_LINK, 'Choose a new password'],
      ['/no-such-page', 'Page not found'],
    ] as const) {
      test(`${heading} (${path.split('/')[1]}) has no WCAG 2.2 AA violation`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
        expect(await violations(page)).toEqual([]);
      });
    }

    test('the dashboard, settings and every dialog have no WCAG 2.2 AA violation', async ({
      authedPage: page,
      newDevice,
    }) => {
      await newDevice();
      await page.goto('/dashboard');
      await expect(page.getByText('1 other device')).toBeVisible();
      expect(await violations(page)).toEqual([]);

      await page.goto('/settings');
      const password = page.getByRole('region', { name: 'Change password' });
      await password.getByLabel('Current password').fill('wrong password');
      await password.getByLabel('New password').fill('a brand new passphrase');
      await password.getByRole('button', { name: 'Change password' }).click();
      await expect(password.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
      expect(await violations(page)).toEqual([]);

      for (const opener of [/^Revoke /, 'Log out everywhere…', 'Delete account…']) {
        await page.getByRole('button', { name: opener }).click();
        const dialog = page.getByRole('dialog');
        await expect(dialog).toBeVisible();
        expect(await violations(page), String(opener)).toEqual([]);
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }
    });
  });
}
