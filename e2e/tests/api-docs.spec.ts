import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';

/** Opens an operation, tries it with `body` (if any), and returns the status and JSON body shown. */
async function tryIt(page: Page, operation: RegExp, body?: unknown) {
  const summary = page.getByRole('button', { name: operation });
  await summary.click();
  await page.getByRole('button', { name: 'Try it out' }).click();
  if (body !== undefined) await page.getByRole('textbox').fill(JSON.stringify(body));
  await page.getByRole('button', { name: 'Execute' }).click();
  const response = page.getByRole('row', { name: /^\d{3} Response body/ });
  // The call goes through Swagger UI's client on a busy machine: its answer may take a while.
  await expect(response).toBeVisible({ timeout: 20_000 });
  const status = Number((await response.getByRole('cell').first().textContent())?.trim());
  const shown = await response.getByRole('code').first().textContent();
  // One operation open at a time: the next one's controls are then the only ones.
  await summary.click();
  return { status, body: JSON.parse(shown ?? 'null') as Record<string, string> };
}

test('the API docs page lists the endpoints; a developer signs up, logs in, authorizes and calls users/me/', async ({
  page,
  credentials,
}) => {
  // Swagger UI is the heaviest page here: on a small machine under a parallel run it needs time.
  test.slow();
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { name: /tokenauth/ })).toBeVisible();
  for (const name of [
    /^POST\s*\/api\/v1\/users\/\s*Sign up/,
    /^GET\s*\/api\/v1\/users\/me\/\s*The signed-in user/,
    /^POST\s*\/api\/v1\/token\/login\/\s*Log in/,
    /^POST\s*\/trpc\/auth\.login/,
  ]) {
    await expect(page.getByRole('button', { name })).toBeVisible();
  }

  const signup = await tryIt(page, /^POST\s*\/api\/v1\/users\/\s*Sign up/, credentials);
  expect(signup.status).toBe(201);
  expect(signup.body.username).toBe(credentials.username);

  const login = await tryIt(page, /^POST\s*\/api\/v1\/token\/login\/\s*Log in/, credentials);
  expect(login.status).toBe(200);
  const token = login.body.auth_token;
  expect(token).toBeTruthy();

  await page.getByRole('button', { name: 'Authorize' }).first().click();
  await page.getByRole('textbox', { name: 'Value:' }).fill(`Token ${token}`);
  await page.getByRole('button', { name: 'Apply credentials' }).click();
  await page.getByRole('button', { name: 'Close' }).click();

  const me = await tryIt(page, /^GET\s*\/api\/v1\/users\/me\/\s*The signed-in user/);
  expect(me.status).toBe(200);
  expect(me.body).toEqual(expect.objectContaining({ username: credentials.username }));
});
