import { randomBytes } from 'node:crypto';
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from '@playwright/test';
import type { CaughtMail } from './mail-catcher.ts';
import { API_URL, MAIL_URL } from './playwright.config.ts';

/** The localStorage key the web app keeps its token under (lib/token-storage.ts). */
export const TOKEN_KEY = 'tokenauth.token';

export type Credentials = { username: string; password: string };

/** Signs up through the form, as a person does, and waits for the dashboard. */
export async function signUpThroughForm(page: Page, credentials: Credentials): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(
    page.getByRole('heading', { name: `Welcome, ${credentials.username}` }),
  ).toBeVisible();
}
export type Account = Credentials & { token: string };

/**
 * Calls the API as any HTTP client would, with plain JSON: queries with GET,
 * mutations with POST.
 */
export async function callApi(
  request: APIRequestContext,
  procedure: string,
  options: { token?: string; input?: unknown; query?: boolean } = {},
) {
  const url = `${API_URL}/trpc/${procedure}`;
  const headers: Record<string, string> = options.token
    ? { authorization: `Token ${options.token}` }
    : {};
  const response = options.query
    ? await request.get(url, { headers })
    : await request.post(url, { headers, data: options.input ?? {} });
  return { status: response.status(), body: await response.json() };
}

/**
 * The newest message to `to` whose subject matches, as the API sent it
 * through SMTP (e2e/mail-catcher.ts), waiting for it to arrive; and the path
 * of the app link in it.
 */
export async function mailTo(
  request: APIRequestContext,
  to: string,
  subject: RegExp,
  mailUrl = MAIL_URL,
) {
  let found: CaughtMail | undefined;
  await expect
    .poll(async () => {
      const response = await request.get(`${mailUrl}/mail?to=${encodeURIComponent(to)}`);
      const mail = (await response.json()) as CaughtMail[];
      found = mail.filter((m) => subject.test(m.subject)).at(-1);
      return found !== undefined;
    })
    .toBe(true);
  const mail = found as CaughtMail;
  const link = /https?:\/\/[^\s/]+(\/[a-z-]+\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43})/.exec(mail.text);
  return { ...mail, path: link?.[1] ?? '' };
}

/**
 * Collects what the browser reports as a Content-Security-Policy violation
 * in `context`'s pages: the app must need nothing its policy forbids.
 */
function watchPolicy(context: BrowserContext, violations: string[]): void {
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });
}

type Fixtures = {
  /**
   * Content-Security-Policy violations seen in the test's pages: none, or
   * the test fails, but for those it says it provokes (`expected`).
   */
  policyViolations: { seen: string[]; expected: RegExp[] };
  /** Fresh, unused credentials; nobody has signed up with them. */
  credentials: Credentials;
  /** A user created through the API, with the token of that signup. */
  account: Account;
  /** A page whose browser already holds `account`'s token, as after a login. */
  authedPage: Page;
  /** Logs `account` in again through the API and opens a browser holding that new token. */
  newDevice: () => Promise<Page>;
  newDeviceWithToken: (token: string) => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  policyViolations: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture names from this pattern.
    async ({}, use) => {
      const violations = { seen: [] as string[], expected: [] as RegExp[] };
      await use(violations);
      const unexpected = violations.seen.filter(
        (text) => !violations.expected.some((pattern) => pattern.test(text)),
      );
      expect(unexpected, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],

  context: async ({ context, policyViolations }, use) => {
    watchPolicy(context, policyViolations.seen);
    await use(context);
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture names from this pattern.
  credentials: async ({}, use, testInfo) => {
    const suffix = `${testInfo.workerIndex}_${randomBytes(4).toString('hex')}`;
    await use({ username: `e2e_${suffix}`, password: `pw-${randomBytes(8).toString('hex')}` });
  },

  account: async ({ request, credentials }, use) => {
    const { status, body } = await callApi(request, 'auth.signup', { input: credentials });
    expect(status).toBe(200);
    await use({ ...credentials, token: body.result.data.token });
  },

  authedPage: async ({ newDeviceWithToken, account }, use) => {
    await use(await newDeviceWithToken(account.token));
  },

  newDevice: async ({ newDeviceWithToken, request, account }, use) => {
    await use(async () => {
      const { status, body } = await callApi(request, 'auth.login', { input: account });
      expect(status).toBe(200);
      return newDeviceWithToken(body.result.data.token);
    });
  },

  newDeviceWithToken: async ({ browser, baseURL, policyViolations }, use) => {
    if (!baseURL) throw new Error('baseURL is not configured');
    const contexts: BrowserContext[] = [];
    await use(async (token) => {
      // A browser context of its own: another device, with the token already stored.
      const context = await browser.newContext({
        storageState: {
          cookies: [],
          origins: [{ origin: baseURL, localStorage: [{ name: TOKEN_KEY, value: token }] }],
        },
      });
      contexts.push(context);
      watchPolicy(context, policyViolations.seen);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

export { expect };
