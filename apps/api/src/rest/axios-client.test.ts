import type { Server } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import axios, { AxiosError } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, uniqueUsername } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { testServer } from '../test/server.ts';

/**
 * The client of the Django token-auth tutorials' React apps, unchanged:
 * axios with a base URL, the token set as a default header after login,
 * errors read from `error.response.data` in DRF's shapes.
 */
function djoserClient(baseURL: string) {
  const api = axios.create({ baseURL });
  return {
    signup: (username: string, password: string, email = '') =>
      api.post('users/', { username, password, email }),
    async login(username: string, password: string) {
      const { data } = await api.post('token/login/', { username, password });
      api.defaults.headers.common.Authorization = `Token ${data.auth_token}`;
      return data.auth_token as string;
    },
    me: () => api.get('users/me/'),
    setPassword: (current_password: string, new_password: string) =>
      api.post('users/set_password/', { current_password, new_password }),
    async logout() {
      await api.post('token/logout/');
      delete api.defaults.headers.common.Authorization;
    },
  };
}

/** What a failed request's `error.response` holds, as the tutorials read it. */
async function failure(request: Promise<unknown>) {
  const error = await request.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AxiosError);
  const { status, data } = (error as AxiosError<Record<string, string[]>>).response ?? {};
  return { status, data };
}

describe.each(databases)('a Djoser axios client on $name', ({ create }) => {
  let handle: TestDb;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    handle = await create();
    server = testServer(handle);
    base = `${await listen(server)}/api/v1/`;
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
  });

  it('signs up, logs in, reads the user, changes the password and logs out', async () => {
    const client = djoserClient(base);
    const username = uniqueUsername('axios');
    const password = 'Xy7-long-enough-pw';

    const created = await client.signup(username, password, `${username}@example.com`);
    expect(created.status).toBe(201);
    expect(created.data).toEqual({
      email: `${username}@example.com`,
      id: expect.any(String),
      username,
    });

    const weak = await failure(djoserClient(base).signup(uniqueUsername('w'), '12345'));
    expect(weak.status).toBe(400);
    expect(weak.data?.password?.[0]).toMatch(/too short/);

    const wrong = await failure(djoserClient(base).login(username, 'not it'));
    expect(wrong.data?.non_field_errors).toEqual(['Unable to log in with provided credentials.']);

    await client.login(username, password);
    const me = await client.me();
    expect(me.data.username).toBe(username);

    expect((await client.setPassword(password, 'Zq9-another-long-pw')).status).toBe(204);
    expect((await client.me()).status).toBe(200);

    await client.logout();
    const anonymous = await failure(client.me());
    expect(anonymous.status).toBe(401);
    expect(anonymous.data).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
});
