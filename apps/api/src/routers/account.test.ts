import { tokens, users } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../messages.ts';
import { callerFor, databases, rejectionOf, uniqueUsername } from '../test/databases.ts';
import { validationErrorsOf } from '../validation-errors.ts';

const password = 'correct horse battery';
const newPassword = 'a brand new passphrase';

function expectFieldError(error: unknown, field: string, message: string) {
  expect(error).toBeInstanceOf(TRPCError);
  expect(error).toMatchObject({ code: 'BAD_REQUEST' });
  expect(validationErrorsOf(error as TRPCError)?.fieldErrors).toEqual({ [field]: [message] });
}

describe.each(databases)('account router on $name', ({ create }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await create();
  });
  afterAll(() => handle?.drop());

  /** A user logged in on two devices. */
  async function twoDevices() {
    const username = uniqueUsername();
    const here = await callerFor(handle).auth.signup({ username, password });
    const there = await callerFor(handle).auth.login({ username, password });
    return { username, id: here.user.id, here: here.token, there: there.token };
  }

  const login = (username: string, pw: string) =>
    callerFor(handle).auth.login({ username, password: pw });
  const userRow = async (id: string) =>
    (await handle.db.select().from(users).where(eq(users.id, id)))[0];

  describe('changePassword', () => {
    it('changes it and logs out every other session, not this one', async () => {
      const { username, here, there } = await twoDevices();
      await expect(
        callerFor(handle, here).account.changePassword({
          currentPassword: password,
          newPassword,
        }),
      ).resolves.toEqual({ revokedTokens: 1 });
      await expect(callerFor(handle, here).auth.me()).resolves.toMatchObject({ username });
      await expect(callerFor(handle, there).auth.me()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await expect(login(username, password)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(login(username, newPassword)).resolves.toMatchObject({ user: { username } });
    });

    it('refuses a wrong current password with a field error and changes nothing', async () => {
      const { username, id, there } = await twoDevices();
      const before = await userRow(id);
      const error = await rejectionOf(
        callerFor(handle, there).account.changePassword({
          currentPassword: 'not my password',
          newPassword,
        }),
      );
      expectFieldError(error, 'currentPassword', messages.wrongPassword);
      expect(await userRow(id)).toEqual(before);
      await expect(login(username, password)).resolves.toBeTruthy();
      await expect(callerFor(handle, there).auth.me()).resolves.toBeTruthy();
    });

    it('applies the signup rules to the new password', async () => {
      const { here } = await twoDevices();
      const error = await rejectionOf(
        callerFor(handle, here).account.changePassword({
          currentPassword: password,
          newPassword: 'x7#q',
        }),
      );
      expectFieldError(error, 'newPassword', messages.passwordTooShort(8));
    });
  });

  describe('changeUsername', () => {
    it('renames the user, who then logs in under the new name only', async () => {
      const { username, here } = await twoDevices();
      const newUsername = uniqueUsername('Renamed');
      await expect(
        callerFor(handle, here).account.changeUsername({
          currentPassword: password,
          newUsername,
        }),
      ).resolves.toMatchObject({ username: newUsername });
      await expect(callerFor(handle, here).auth.me()).resolves.toMatchObject({
        username: newUsername,
      });
      await expect(login(newUsername.toLowerCase(), password)).resolves.toBeTruthy();
      await expect(login(username, password)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('lets a user change only the case of their own name', async () => {
      const { username, here } = await twoDevices();
      await expect(
        callerFor(handle, here).account.changeUsername({
          currentPassword: password,
          newUsername: username.toUpperCase(),
        }),
      ).resolves.toMatchObject({ username: username.toUpperCase() });
    });

    it('refuses a name another user has, in any case', async () => {
      const other = await twoDevices();
      const { id, here } = await twoDevices();
      const before = await userRow(id);
      await expect(
        callerFor(handle, here).account.changeUsername({
          currentPassword: password,
          newUsername: other.username.toUpperCase(),
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT', message: messages.usernameTaken });
      expect(await userRow(id)).toEqual(before);
    });

    it('needs the current password and a valid name', async () => {
      const { here } = await twoDevices();
      expectFieldError(
        await rejectionOf(
          callerFor(handle, here).account.changeUsername({
            currentPassword: 'wrong one',
            newUsername: uniqueUsername(),
          }),
        ),
        'currentPassword',
        messages.wrongPassword,
      );
      expectFieldError(
        await rejectionOf(
          callerFor(handle, here).account.changeUsername({
            currentPassword: password,
            newUsername: 'no spaces allowed',
          }),
        ),
        'newUsername',
        messages.usernameCharacters,
      );
    });
  });

  describe('update', () => {
    it('sets and clears the email', async () => {
      const { here } = await twoDevices();
      const caller = callerFor(handle, here);
      await expect(caller.account.update({ email: 'new@example.com' })).resolves.toMatchObject({
        email: 'new@example.com',
      });
      await expect(caller.auth.me()).resolves.toMatchObject({ email: 'new@example.com' });
      await expect(caller.account.update({ email: null })).resolves.toMatchObject({ email: null });
      await expect(caller.account.update({ email: '' })).resolves.toMatchObject({ email: null });
    });

    it('refuses an invalid email', async () => {
      const { here } = await twoDevices();
      expectFieldError(
        await rejectionOf(callerFor(handle, here).account.update({ email: 'nope' })),
        'email',
        messages.emailInvalid,
      );
    });
  });

  describe('delete', () => {
    it('deletes the user and every token at once', async () => {
      const { username, id, here, there } = await twoDevices();
      await expect(
        callerFor(handle, here).account.delete({ currentPassword: password }),
      ).resolves.toEqual({ success: true });
      for (const token of [here, there]) {
        await expect(callerFor(handle, token).auth.me()).rejects.toMatchObject({
          code: 'UNAUTHORIZED',
          message: messages.invalidToken,
        });
      }
      expect(await userRow(id)).toBeUndefined();
      expect(await handle.db.select().from(tokens).where(eq(tokens.userId, id))).toEqual([]);
      await expect(login(username, password)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('keeps the account when the password is wrong', async () => {
      const { id, here } = await twoDevices();
      expectFieldError(
        await rejectionOf(
          callerFor(handle, here).account.delete({ currentPassword: 'wrong password' }),
        ),
        'currentPassword',
        messages.wrongPassword,
      );
      expect(await userRow(id)).toBeDefined();
      await expect(callerFor(handle, here).auth.me()).resolves.toBeTruthy();
    });
  });

  it('requires a token for every account procedure', async () => {
    const anonymous = callerFor(handle).account;
    for (const call of [
      anonymous.changePassword({ currentPassword: password, newPassword }),
      anonymous.changeUsername({ currentPassword: password, newUsername: uniqueUsername() }),
      anonymous.update({ email: null }),
      anonymous.delete({ currentPassword: password }),
    ]) {
      await expect(call).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: messages.notAuthenticated,
      });
    }
  });
});
