import type { Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../messages.ts';
import { databases, uniqueUsername } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { type RestOptions, restClient } from '../test/rest-client.ts';
import { testServer } from '../test/server.ts';

const password = 'Xy7-long-enough-pw';
const required = messages.required;
const blank = messages.blank;
const userText = (username: string, email = '') =>
  new RegExp(`^\\{"email":"${email}","id":"[0-9a-f-]{36}","username":"${username}"\\}$`);

/**
 * The users/ rows of shared/contracts/djoser-rest.md (Part 2, as Part 1
 * keeps it): signup, the user's own endpoints, set_password and
 * set_username, replayed byte for byte.
 */
describe.each(databases)('the REST users/ endpoints on $name', ({ create }) => {
  let handle: TestDb;
  let server: Server;
  let call: ReturnType<typeof restClient>;

  beforeAll(async () => {
    handle = await create();
    server = testServer(handle);
    call = restClient(await listen(server));
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  const signup = (body: unknown, options: RestOptions = {}) =>
    call('POST', '/api/v1/users/', { json: body, ...options });

  /** A user signed up and logged in through the REST face. */
  async function user() {
    const username = uniqueUsername('u');
    const created = await signup({ username, password });
    expect(created.status).toBe(201);
    const login = await call('POST', '/api/v1/token/login/', { json: { username, password } });
    const token = (login.body as { auth_token: string }).auth_token;
    return { username, token, id: (created.body as { id: string }).id };
  }

  describe('POST users/ (signup)', () => {
    it('answers 201 with the user object, makes no token, and the user can log in', async () => {
      const username = uniqueUsername('new');
      const res = await signup({ username, password });
      expect(res.status).toBe(201);
      expect(res.text).toMatch(userText(username));
      const withEmail = uniqueUsername('mail');
      const mailed = await signup({ username: withEmail, password, email: 'bob@example.com' });
      expect(mailed.text).toMatch(userText(withEmail, 'bob@example.com'));
      const login = await call('POST', '/api/v1/token/login/', { json: { username, password } });
      const token = (login.body as { auth_token: string }).auth_token;
      const sessions = await call('GET', '/api/v1/users/me/', { token });
      expect(sessions.status).toBe(200);
    });

    it.each<[string, (name: string) => unknown, string]>([
      ['missing all', () => ({}), `{"username":["${required}"],"password":["${required}"]}`],
      ['missing password', (name) => ({ username: name }), `{"password":["${required}"]}`],
      ['missing username', () => ({ password }), `{"username":["${required}"]}`],
      [
        'empty strings',
        () => ({ username: '', password: '' }),
        `{"username":["${blank}"],"password":["${blank}"]}`,
      ],
      [
        'common password',
        (name) => ({ username: name, password: 'password' }),
        `{"password":["${messages.passwordCommon}"]}`,
      ],
      [
        'numeric password',
        (name) => ({ username: name, password: '8462957316' }),
        `{"password":["${messages.passwordNumeric}"]}`,
      ],
      [
        'password like the username',
        () => ({ username: 'margaretsmith', password: 'margaretsmith1' }),
        `{"password":["${messages.passwordSimilar('username')}"]}`,
      ],
      [
        'weak password',
        (name) => ({ username: name, password: '12345' }),
        `{"password":["${messages.passwordTooShort(8)}","${messages.passwordCommon}","${messages.passwordNumeric}"]}`,
      ],
      [
        'invalid email',
        (name) => ({ username: name, password, email: 'nope' }),
        `{"email":["${messages.emailInvalid}"]}`,
      ],
      [
        'invalid email and weak password: the field alone',
        (name) => ({ username: name, password: '12345', email: 'nope' }),
        `{"email":["${messages.emailInvalid}"]}`,
      ],
      [
        "invalid email and username: in Djoser's field order",
        () => ({ username: 'bad name!', password, email: 'nope' }),
        JSON.stringify({ email: [messages.emailInvalid], username: [messages.usernameCharacters] }),
      ],
      [
        'invalid username',
        () => ({ username: 'bad name!', password }),
        JSON.stringify({ username: [messages.usernameCharacters] }),
      ],
      [
        'username of 151 characters',
        () => ({ username: 'a'.repeat(151), password }),
        `{"username":["${messages.usernameTooLong}"]}`,
      ],
    ])('%s: 400 %s', async (_, body, text) => {
      const res = await signup(body(uniqueUsername('bad')));
      expect(res.status).toBe(400);
      expect(res.text).toBe(text);
    });

    it('refuses a taken username in any case, before any password problem', async () => {
      const { username } = await user();
      const taken = `{"username":["${messages.usernameTaken}"]}`;
      expect((await signup({ username, password })).text).toBe(taken);
      const upper = await signup({ username: username.toUpperCase(), password });
      expect(upper.status).toBe(400);
      expect(upper.text).toBe(taken);
      expect((await signup({ username, password: '12345' })).text).toBe(taken);
    });

    it('ignores is_staff and unknown fields, reads forms, and is open to a signed-in user', async () => {
      const other = await user();
      const staff = uniqueUsername('staff');
      const res = await signup(
        { username: staff, password, is_staff: true, is_superuser: true },
        { token: other.token },
      );
      expect(res.status).toBe(201);
      expect(Object.keys(res.body as object)).toEqual(['email', 'id', 'username']);
      const form = uniqueUsername('form');
      const formed = await call('POST', '/api/v1/users', {
        raw: new URLSearchParams({ username: form, password }).toString(),
        type: 'application/x-www-form-urlencoded',
      });
      expect(formed.status).toBe(201);
      expect(formed.text).toMatch(userText(form));
    });

    it('answers a bad token with 401 though signup needs none', async () => {
      const res = await signup(
        { username: uniqueUsername('x'), password },
        { auth: 'Token deadbeef' },
      );
      expect(res.status).toBe(401);
      expect(res.text).toBe(`{"detail":"${messages.invalidToken}"}`);
    });
  });

  describe('GET users/ and users/{id}/ (Djoser HIDE_USERS)', () => {
    it('lists only the signed-in user, and shows only their own id', async () => {
      const alice = await user();
      const bob = await user();
      const list = await call('GET', '/api/v1/users/', { token: alice.token });
      expect(list.status).toBe(200);
      expect(list.body).toEqual([{ email: '', id: alice.id, username: alice.username }]);
      for (const self of [alice.id, alice.username, alice.username.toUpperCase()]) {
        const own = await call('GET', `/api/v1/users/${self}/`, { token: alice.token });
        expect(own.text).toMatch(userText(alice.username));
      }
      // Matched decoded, as Django does: %6De is me.
      const encoded = await call('GET', '/api/v1/users/%6De/', { token: alice.token });
      expect(encoded.text).toMatch(userText(alice.username));
      const notFound = `{"detail":"${messages.notFound}"}`;
      for (const id of [bob.id, bob.username, '00000000-0000-4000-8000-000000000000', '%zz']) {
        const res = await call('GET', `/api/v1/users/${id}/`, { token: alice.token });
        expect(res.status).toBe(404);
        expect(res.text).toBe(notFound);
      }
      const patch = await call('PATCH', `/api/v1/users/${bob.id}/`, {
        token: alice.token,
        json: { email: 'mine@example.com' },
      });
      expect(patch.status).toBe(404);
      const del = await call('DELETE', `/api/v1/users/${bob.id}/`, {
        token: alice.token,
        json: { current_password: password },
      });
      expect(del.status).toBe(403);
      expect(del.text).toBe(`{"detail":"${messages.permissionDenied}"}`);
      expect((await call('GET', '/api/v1/users/me/', { token: bob.token })).status).toBe(200);
    });

    it.each([
      ['GET', '/api/v1/users/'],
      ['PUT', '/api/v1/users/'],
      ['GET', '/api/v1/users/00000000-0000-4000-8000-000000000000/'],
      ['PATCH', '/api/v1/users/me/'],
      ['DELETE', '/api/v1/users/me/'],
      ['POST', '/api/v1/users/me/'],
      ['POST', '/api/v1/users/set_password/'],
      ['POST', '/api/v1/users/set_username/'],
    ])('%s %s without a token: 401', async (method, path) => {
      const res = await call(method, path, method === 'GET' ? {} : { json: {} });
      expect(res.status).toBe(401);
      expect(res.text).toBe(`{"detail":"${messages.notAuthenticated}"}`);
      expect(res.headers.get('www-authenticate')).toBe('Token');
    });
  });

  describe('users/me/', () => {
    it('PUT and PATCH change the email; the username is read-only; PUT {} changes nothing', async () => {
      const { username, token } = await user();
      const put = await call('PUT', '/api/v1/users/me/', {
        token,
        json: { email: 'alice@example.com' },
      });
      expect(put.status).toBe(200);
      expect(put.text).toMatch(userText(username, 'alice@example.com'));
      const empty = await call('PUT', '/api/v1/users/me/', { token, json: {} });
      expect(empty.text).toMatch(userText(username, 'alice@example.com'));
      const patch = await call('PATCH', '/api/v1/users/me', {
        token,
        json: { email: 'alice2@example.com', username: 'hacker' },
      });
      expect(patch.text).toMatch(userText(username, 'alice2@example.com'));
      const bad = await call('PATCH', '/api/v1/users/me/', { token, json: { email: 'nope' } });
      expect(bad.status).toBe(400);
      expect(bad.text).toBe(`{"email":["${messages.emailInvalid}"]}`);
      const post = await call('POST', '/api/v1/users/me/', { token, json: {} });
      expect(post.status).toBe(405);
      expect(post.text).toBe('{"detail":"Method \\"POST\\" not allowed."}');
    });

    it('DELETE asks for the current password, then deletes the user and their tokens', async () => {
      const { username, token } = await user();
      const none = await call('DELETE', '/api/v1/users/me/', { token });
      expect(none.status).toBe(400);
      expect(none.text).toBe(`{"current_password":["${required}"]}`);
      const wrong = await call('DELETE', '/api/v1/users/me/', {
        token,
        json: { current_password: 'wrong' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toBe('{"current_password":["Invalid password."]}');
      const ok = await call('DELETE', '/api/v1/users/me/', {
        token,
        json: { current_password: password },
      });
      expect(ok.status).toBe(204);
      expect(ok.text).toBe('');
      const after = await call('GET', '/api/v1/users/me/', { token });
      expect(after.text).toBe(`{"detail":"${messages.invalidToken}"}`);
      const login = await call('POST', '/api/v1/token/login/', { json: { username, password } });
      expect(login.status).toBe(400);
    });

    it('DELETE users/{id}/ with your own id deletes you', async () => {
      const { id, token } = await user();
      const res = await call('DELETE', `/api/v1/users/${id}/`, {
        token,
        json: { current_password: password },
      });
      expect(res.status).toBe(204);
    });
  });

  describe('POST users/set_password/', () => {
    it('checks fields, then the current password, then the new one', async () => {
      const { token } = await user();
      const set = (json: unknown) => call('POST', '/api/v1/users/set_password/', { token, json });
      expect((await set({})).text).toBe(
        `{"new_password":["${required}"],"current_password":["${required}"]}`,
      );
      const wrong = await set({ current_password: 'wrong', new_password: '123' });
      expect(wrong.text).toBe('{"current_password":["Invalid password."]}');
      const weak = await set({ current_password: password, new_password: '12345' });
      expect(weak.status).toBe(400);
      expect(weak.text).toBe(
        `{"new_password":["${messages.passwordTooShort(8)}","${messages.passwordCommon}","${messages.passwordNumeric}"]}`,
      );
    });

    it('204: this token keeps working, the other sessions end, the new password logs in', async () => {
      const { username, token } = await user();
      const login = await call('POST', '/api/v1/token/login/', { json: { username, password } });
      const other = (login.body as { auth_token: string }).auth_token;
      const newPassword = 'Zq9-another-long-pw';
      const res = await call('POST', '/api/v1/users/set_password/', {
        token,
        json: { current_password: password, new_password: newPassword },
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await call('GET', '/api/v1/users/me/', { token })).status).toBe(200);
      expect((await call('GET', '/api/v1/users/me/', { token: other })).status).toBe(401);
      const old = await call('POST', '/api/v1/token/login/', { json: { username, password } });
      expect(old.status).toBe(400);
      const renewed = await call('POST', '/api/v1/token/login/', {
        json: { username, password: newPassword },
      });
      expect(renewed.status).toBe(200);
    });
  });

  describe('POST users/set_username/', () => {
    it('checks fields, the password, then whether the name is free', async () => {
      const { token } = await user();
      const taken = await user();
      const set = (json: unknown) => call('POST', '/api/v1/users/set_username/', { token, json });
      expect((await set({})).text).toBe(
        `{"current_password":["${required}"],"new_username":["${required}"]}`,
      );
      const wrong = await set({ current_password: 'wrong', new_username: uniqueUsername('c') });
      expect(wrong.text).toBe('{"current_password":["Invalid password."]}');
      const clash = await set({ current_password: password, new_username: taken.username });
      expect(clash.status).toBe(400);
      expect(clash.text).toBe(`{"new_username":["${messages.usernameTaken}"]}`);
      const invalid = await set({ current_password: password, new_username: 'bad name!' });
      expect(invalid.text).toBe(JSON.stringify({ new_username: [messages.usernameCharacters] }));
    });

    it('204: the token keeps working and me/ shows the new name', async () => {
      const { token } = await user();
      const carol = uniqueUsername('carol');
      const res = await call('POST', '/api/v1/users/set_username/', {
        token,
        json: { current_password: password, new_username: carol },
      });
      expect(res.status).toBe(204);
      expect((await call('GET', '/api/v1/users/me/', { token })).text).toMatch(userText(carol));
    });
  });
});
