import type { Server } from 'node:http';
import { mailOutbox, users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox, type Outbox, purgeMail } from '../mail/outbox.ts';
import { messages } from '../messages.ts';
import { createRateLimits } from '../rate-limit.ts';
import { config, databases, uniqueUsername } from '../test/databases.ts';
import { apiClient, listen } from '../test/http.ts';
import { restClient } from '../test/rest-client.ts';
import { testServer } from '../test/server.ts';
import { linkIn, testSmtp } from '../test/smtp.ts';

const password = 'correct horse battery';
const WEB_URL = 'http://app.test';

/**
 * The emailed links, end to end: the API sends through a real SMTP server
 * in this process, and each test follows the link in the mail that arrives.
 */
describe.each(databases)('email verification and recovery on $name', ({ create }) => {
  let handle: TestDb;
  let server: Server;
  let smtp: Awaited<ReturnType<typeof testSmtp>>;
  let api: ReturnType<typeof apiClient>;
  let rest: ReturnType<typeof restClient>;
  let outbox: Outbox;

  beforeAll(async () => {
    handle = await create();
    smtp = await testSmtp();
    outbox = createOutbox({
      db: handle.db,
      smtpUrl: smtp.url,
      from: 'tokenauth <no-reply@app.test>',
      log: pino({ level: 'silent' }),
    });
    server = testServer(handle, {
      services: {
        mail: {
          outbox,
          config: { ...config.mail, webUrl: WEB_URL },
          log: pino({ level: 'silent' }),
        },
      },
    });
    const base = await listen(server);
    api = apiClient(base);
    rest = restClient(base);
  });
  afterAll(async () => {
    server?.close();
    await smtp?.close();
    await handle?.drop();
  });

  const auth = (token: string) => ({ authorization: `Token ${token}` });
  const data = <T>(reply: { body: { result?: { data?: unknown } } }) =>
    reply.body.result?.data as T;

  /** A user who signed up with an email and followed the verification link. */
  async function verifiedUser() {
    const username = uniqueUsername('mail');
    const email = `${username}@example.com`;
    const signup = await api.mutate('auth.signup', { username, password, email });
    expect(signup.status).toBe(200);
    const mail = await smtp.next(email);
    const verified = await api.mutate('recovery.verifyEmail', linkIn(mail, 'verify-email'));
    expect(verified.status).toBe(200);
    return { username, email, token: data<{ token: string }>(signup).token };
  }

  it('signing up with an email sends a verification link, which works once', async () => {
    const username = uniqueUsername('verify');
    const email = `${username}@example.com`;
    await api.mutate('auth.signup', { username, password, email });
    const mail = await smtp.next(email);
    expect(mail.subject).toBe('tokenauth: confirm your email address');
    expect(mail.html).toContain(`${WEB_URL}/verify-email/`);
    expect(mail.text).toMatch(/If you did not give this address/);
    const link = linkIn(mail, 'verify-email');
    const first = await api.mutate('recovery.verifyEmail', link);
    expect(first.status).toBe(200);
    const again = await api.mutate('recovery.verifyEmail', link);
    expect(again.status).toBe(400);
    expect(again.body.error?.message).toBe(messages.emailAlreadyVerified);
    const forged = await api.mutate('recovery.verifyEmail', { ...link, token: 'x'.repeat(43) });
    expect(forged.body.error?.message).toBe(messages.invalidLink);
    // A sent message keeps no body: its link was a secret.
    const rows = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
    expect(rows.map((r) => [r.status, r.text, r.html])).toEqual([['sent', null, null]]);
  });

  it('forgot password: a link by email or username, a new password, every session ended', async () => {
    const { username, email, token: oldToken } = await verifiedUser();
    // A JWT session ends with the others.
    const pair = data<{ refresh: string }>(await api.mutate('jwt.create', { username, password }));
    for (const login of [email.toUpperCase(), username]) {
      const asked = await api.mutate('recovery.requestPasswordReset', { login });
      expect(data(asked)).toEqual({ success: true });
      const link = linkIn(await smtp.next(email), 'reset-password');
      if (login === email.toUpperCase()) continue; // asking again: only the latest link works
      const weak = await api.mutate('recovery.resetPassword', { ...link, newPassword: '12345' });
      expect(weak.status).toBe(400);
      const newPassword = 'a brand new passphrase';
      const reset = await api.mutate('recovery.resetPassword', { ...link, newPassword });
      expect(reset.status).toBe(200);
      const fresh = data<{ token: string }>(reset).token;
      expect((await api.query('auth.me', auth(fresh))).status).toBe(200);
      expect((await api.query('auth.me', auth(oldToken))).status).toBe(401);
      expect((await api.mutate('jwt.refresh', { refresh: pair.refresh })).status).toBe(401);
      const old = await api.mutate('auth.login', { username, password });
      expect(old.status).toBe(400);
      expect((await api.mutate('auth.login', { username, password: newPassword })).status).toBe(
        200,
      );
      const reused = await api.mutate('recovery.resetPassword', {
        ...link,
        newPassword: 'yet another passphrase',
      });
      expect(reused.body.error?.message).toBe(messages.invalidLink);
    }
  });

  it('an earlier reset link dies when a newer one is sent, or the password changes', async () => {
    const { email, token } = await verifiedUser();
    await api.mutate('recovery.requestPasswordReset', { login: email });
    const first = linkIn(await smtp.next(email), 'reset-password');
    await api.mutate('recovery.requestPasswordReset', { login: email });
    const second = linkIn(await smtp.next(email), 'reset-password');
    const newPassword = 'another fine passphrase';
    const stale = await api.mutate('recovery.resetPassword', { ...first, newPassword });
    expect(stale.body.error?.message).toBe(messages.invalidLink);
    await api.mutate(
      'account.changePassword',
      { currentPassword: password, newPassword },
      auth(token),
    );
    const afterChange = await api.mutate('recovery.resetPassword', {
      ...second,
      newPassword: password,
    });
    expect(afterChange.body.error?.message).toBe(messages.invalidLink);
  });

  // Regressions found in review: a link came back to life when the address
  // did; a malformed uid was a 500; a dead link answered password rules.
  it('kills links when the address changes, even back; answers a bad link as a bad link', async () => {
    const { email, token } = await verifiedUser();
    await api.mutate('recovery.requestPasswordReset', { login: email });
    const link = linkIn(await smtp.next(email), 'reset-password');
    await api.mutate('account.update', { email: `other-${email}` }, auth(token));
    await api.mutate('account.update', { email }, auth(token));
    const revived = await api.mutate('recovery.resetPassword', {
      ...link,
      newPassword: 'a perfectly fine passphrase',
    });
    expect(revived.body.error?.message).toBe(messages.invalidLink);
    const weakOnDeadLink = await api.mutate('recovery.resetPassword', {
      ...link,
      newPassword: '1',
    });
    expect(weakOnDeadLink.body.error?.message).toBe(messages.invalidLink);
    const malformed = await api.mutate('recovery.resetPassword', {
      uid: '-'.repeat(36),
      token: link.token,
      newPassword: 'a perfectly fine passphrase',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.message).toBe(messages.invalidLink);
  });

  // Regression: an @ in the input was read as an address only, and usernames may hold one.
  it('finds a username with an @ in it', async () => {
    const username = `${uniqueUsername('at')}@home`;
    const email = `${username.replace('@', '.')}@example.com`;
    await api.mutate('auth.signup', { username, password, email });
    await api.mutate('recovery.verifyEmail', linkIn(await smtp.next(email), 'verify-email'));
    await api.mutate('recovery.requestPasswordReset', { login: username.toUpperCase() });
    expect(linkIn(await smtp.next(email), 'reset-password').uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says what is wrong with a request it cannot take', async () => {
    const long = await api.mutate('recovery.requestPasswordReset', { login: 'a'.repeat(300) });
    expect(long.status).toBe(400);
    expect(long.body.error?.message).toBe(messages.tooLong(254));
  });

  it('answers the same whatever exists, and mails only verified addresses', async () => {
    const username = uniqueUsername('unverified');
    const email = `${username}@example.com`;
    await api.mutate('auth.signup', { username, password, email });
    await smtp.next(email); // the verification mail, not followed
    for (const login of [email, username, 'nobody@example.com', 'nobody_at_all']) {
      const asked = await api.mutate('recovery.requestPasswordReset', { login });
      expect(asked.status).toBe(200);
      expect(data(asked)).toEqual({ success: true });
    }
    await outbox.drain(); // the lookups run after the answers
    const queued = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
    expect(queued).toHaveLength(1); // the verification only
  });

  // Regression: an inactive user (imported from Django with is_active =
  // false) was mailed reset links, which Djoser never does.
  it('mails an inactive user no reset, and their token does not work', async () => {
    const { username, email, token } = await verifiedUser();
    await handle.db.update(users).set({ isActive: false }).where(eq(users.username, username));
    const asked = await api.mutate('recovery.requestPasswordReset', { login: email });
    expect(data(asked)).toEqual({ success: true });
    await outbox.drain();
    const resets = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
    expect(resets).toHaveLength(1); // the verification only
    expect((await api.query('auth.me', auth(token))).status).toBe(401);
    const login = await api.mutate('auth.login', { username, password });
    expect(login.body.error?.message).toBe(messages.invalidCredentials);
  });

  it('changing the email unverifies it and mails the new address; the old link dies', async () => {
    const { email, token } = await verifiedUser();
    const other = `new-${email}`;
    const changed = await api.mutate('account.update', { email: other }, auth(token));
    expect(changed.status).toBe(200);
    const link = linkIn(await smtp.next(other), 'verify-email');
    expect((await api.mutate('recovery.verifyEmail', link)).status).toBe(200);
    const resend = await api.mutate('recovery.resendVerification', {}, auth(token));
    expect(resend.body.error?.message).toBe(messages.emailAlreadyVerified);
  });

  it('username reminder: the mail names the account and links to a new name', async () => {
    const { username, email } = await verifiedUser();
    await api.mutate('recovery.requestUsernameReminder', { email });
    const mail = await smtp.next(email);
    expect(mail.text).toContain(`Your username is: ${username}`);
    const renamed = uniqueUsername('renamed');
    const reset = await api.mutate('recovery.resetUsername', {
      ...linkIn(mail, 'reset-username'),
      newUsername: renamed,
    });
    expect(reset.status).toBe(200);
    expect((await api.mutate('auth.login', { username: renamed, password })).status).toBe(200);
  });

  it("keeps a message the SMTP server refused, to retry, and the answer doesn't change", async () => {
    const { email } = await verifiedUser();
    smtp.refuse(1);
    const asked = await api.mutate('recovery.requestPasswordReset', { login: email });
    expect(data(asked)).toEqual({ success: true });
    await expect
      .poll(async () => {
        const rows = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
        return rows.map((r) => [r.status, r.attempts]);
      })
      .toContainEqual(['pending', 1]);
    expect(smtp.has(email)).toBe(false);
  });

  it('activation mode: an email is required, and no login until it is confirmed', async () => {
    const log = pino({ level: 'silent' });
    const outbox = createOutbox({ db: handle.db, smtpUrl: smtp.url, from: 'x <a@app.test>', log });
    const activation = testServer(handle, {
      services: {
        mail: {
          outbox,
          config: { ...config.mail, webUrl: WEB_URL, requireVerification: true },
          log,
        },
      },
    });
    const base = await listen(activation);
    const strict = apiClient(base);
    try {
      const username = uniqueUsername('activate');
      const noEmail = await strict.mutate('auth.signup', { username, password });
      expect(noEmail.status).toBe(400);
      expect(noEmail.body.error?.data?.zodError).toEqual({
        formErrors: [],
        fieldErrors: { email: [messages.required] },
      });
      const email = `${username}@example.com`;
      const signup = await strict.mutate('auth.signup', { username, password, email });
      expect(signup.status).toBe(200);
      expect(data<{ token: string | null }>(signup).token).toBeNull();
      const early = await strict.mutate('auth.login', { username, password });
      expect(early.status).toBe(400);
      expect(early.body.error?.message).toBe(messages.invalidCredentials);
      const restEarly = await restClient(base)('POST', '/api/v1/token/login/', {
        json: { username, password },
      });
      expect(restEarly.text).toBe(`{"non_field_errors":["${messages.invalidCredentials}"]}`);
      await smtp.next(email); // lost: a new one is asked for without logging in
      const resend = await strict.mutate('recovery.requestVerification', { email });
      expect(resend.status).toBe(200);
      const link = linkIn(await smtp.next(email), 'verify-email');
      expect((await strict.mutate('recovery.verifyEmail', link)).status).toBe(200);
      const login = await strict.mutate('auth.login', { username, password });
      expect(login.status).toBe(200);
      // Without an address, the account could never log in again.
      const cleared = await strict.mutate(
        'account.update',
        { email: null },
        auth(data<{ token: string }>(login).token),
      );
      expect(cleared.status).toBe(400);
    } finally {
      activation.close();
    }
  });

  it('limits requests per address asked about, from any IP, and followed links per IP', async () => {
    const limits = createRateLimits(
      {
        ...config.rateLimits,
        recoveriesPerAddress: { points: 2, durationMs: 3_600_000 },
        confirmationsPerIp: { points: 2, durationMs: 3_600_000 },
      },
      handle,
    );
    const limited = testServer(handle, {
      services: { limits },
      http: { trustProxy: 1 },
    });
    const base = await listen(limited);
    try {
      const target = `${uniqueUsername('flood')}@example.com`;
      // Two proxies' worth of clients: the count is the address's, whoever asks.
      const statuses = [];
      for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
        const res = await fetch(`${base}/api/v1/users/reset_password/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ email: target }),
        });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(await res.text()).toMatch(
            /^\{"detail":"Request was throttled\. Expected available in \d+ seconds?\."\}$/,
          );
        }
      }
      expect(statuses).toEqual([204, 204, 429]);
      const follow = () =>
        fetch(`${base}/api/v1/users/activation/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            uid: '00000000-0000-4000-8000-000000000000',
            token: 'x'.repeat(43),
          }),
        }).then((res) => res.status);
      expect([await follow(), await follow(), await follow()]).toEqual([400, 400, 429]);
    } finally {
      limited.close();
    }
  });

  it('gives up at once on mail the server refuses for good (5xx), and erases it', async () => {
    const { email } = await verifiedUser();
    smtp.refuse(1, 550);
    await api.mutate('recovery.requestPasswordReset', { login: email });
    await expect
      .poll(async () => {
        const rows = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
        return rows.map((r) => [r.status, r.attempts, r.text]);
      })
      .toContainEqual(['failed', 1, null]);
    const purged = await purgeMail(handle.db, new Date(Date.now() + 1000));
    expect(purged).toBeGreaterThan(0);
    const left = await handle.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
    expect(left).toEqual([]);
  });

  describe("Djoser's endpoints", () => {
    it("users/activation/ confirms an address, in Djoser's words", async () => {
      const username = uniqueUsername('djoser');
      const email = `${username}@example.com`;
      await rest('POST', '/api/v1/users/', { json: { username, password, email } });
      const link = linkIn(await smtp.next(email), 'verify-email');
      const badUid = await rest('POST', '/api/v1/users/activation/', {
        json: { uid: 'nope', token: link.token },
      });
      expect(badUid.text).toBe(`{"uid":["${messages.invalidUid}"]}`);
      const badToken = await rest('POST', '/api/v1/users/activation/', {
        json: { uid: link.uid, token: 'x'.repeat(43) },
      });
      expect(badToken.text).toBe(`{"token":["${messages.invalidLinkToken}"]}`);
      const ok = await rest('POST', '/api/v1/users/activation/', { json: link });
      expect(ok.status).toBe(204);
      const stale = await rest('POST', '/api/v1/users/activation/', { json: link });
      expect(stale.status).toBe(403);
      expect(stale.text).toBe(`{"detail":"${messages.staleLinkToken}"}`);
    });

    it('reset_password/ and reset_password_confirm/: 204, then the new password works', async () => {
      const { username, email } = await verifiedUser();
      const asked = await rest('POST', '/api/v1/users/reset_password/', { json: { email } });
      expect(asked.status).toBe(204);
      const nobody = await rest('POST', '/api/v1/users/reset_password/', {
        json: { email: 'nobody@example.com' },
      });
      expect(nobody.status).toBe(204);
      const link = linkIn(await smtp.next(email), 'reset-password');
      const weak = await rest('POST', '/api/v1/users/reset_password_confirm/', {
        json: { ...link, new_password: '12345' },
      });
      expect(weak.status).toBe(400);
      expect(Object.keys(weak.body as object)).toEqual(['new_password']);
      const newPassword = 'a djoser style passphrase';
      const ok = await rest('POST', '/api/v1/users/reset_password_confirm/', {
        json: { ...link, new_password: newPassword },
      });
      expect(ok.status).toBe(204);
      const login = await rest('POST', '/api/v1/token/login/', {
        json: { username, password: newPassword },
      });
      expect(login.status).toBe(200);
      const missing = await rest('POST', '/api/v1/users/reset_password_confirm/', { json: {} });
      expect(missing.text).toBe(
        `{"uid":["${messages.required}"],"token":["${messages.required}"],"new_password":["${messages.required}"]}`,
      );
    });

    it('reset_username/ and reset_username_confirm/, and resend_activation/', async () => {
      const { email } = await verifiedUser();
      expect(
        (await rest('POST', '/api/v1/users/reset_username/', { json: { email } })).status,
      ).toBe(204);
      const link = linkIn(await smtp.next(email), 'reset-username');
      const renamed = uniqueUsername('djrenamed');
      const ok = await rest('POST', '/api/v1/users/reset_username_confirm/', {
        json: { ...link, new_username: renamed },
      });
      expect(ok.status).toBe(204);

      const username = uniqueUsername('resend');
      const unverified = `${username}@example.com`;
      await rest('POST', '/api/v1/users/', { json: { username, password, email: unverified } });
      await smtp.next(unverified);
      const resend = await rest('POST', '/api/v1/users/resend_activation/', {
        json: { email: unverified },
      });
      expect(resend.status).toBe(204);
      const again = linkIn(await smtp.next(unverified), 'verify-email');
      expect((await rest('POST', '/api/v1/users/activation/', { json: again })).status).toBe(204);
    });
  });
});
