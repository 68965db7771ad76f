import { expect, test } from '../fixtures.ts';
import { API_URL } from '../playwright.config.ts';

// Run by the 'through nginx' project only: its baseURL is nginx's HTTPS port,
// with deploy/nginx.conf in front of the API (playwright.config.ts).

/** Headers the API sets on the app's page, which must reach the browser as they left the API. */
const PAGE_HEADERS = [
  'content-security-policy',
  'x-frame-options',
  'cross-origin-opener-policy',
  'permissions-policy',
  'x-content-type-options',
  'referrer-policy',
  'cache-control',
];

test('a new user signs up through nginx over HTTPS, finds this device in Settings, and logs out', async ({
  page,
  credentials,
  request,
  baseURL,
}) => {
  expect(baseURL).toMatch(/^https:/);
  // What a client would send to choose its own address: nginx replaces it.
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.9' });

  const response = await page.goto('/signup');
  const headers = (await response?.allHeaders()) ?? {};
  const direct = (await request.get(`${API_URL}/signup`)).headers();
  for (const name of PAGE_HEADERS) {
    expect(direct[name], name).toBeTruthy();
    expect(headers[name], name).toBe(direct[name]);
  }
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-frame-options']).toBe('DENY');
  // nginx, without its version; over HTTP/2.
  expect(headers.server).toBe('nginx');
  const protocol = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
        ?.nextHopProtocol,
  );
  expect(protocol).toBe('h2');

  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Settings' }).click();
  const sessions = page.getByRole('region', { name: 'Sessions' }).getByRole('listitem');
  await expect(sessions).toHaveCount(1);
  await expect(sessions).toContainText('This device');
  // The address nginx saw (the API trusts it: TRUST_PROXY=1), not the one the browser claimed.
  await expect(sessions).toContainText('127.0.0.1');
  await expect(sessions).not.toContainText('203.0.113.9');

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('You have been logged out.');
});
