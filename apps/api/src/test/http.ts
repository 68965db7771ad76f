import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on a free loopback port; returns its base URL. */
export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The JSON tRPC answers with, as much of it as tests read. */
export type ReplyBody = {
  result?: { data?: { token?: string; success?: boolean; user?: { id: string } } };
  error?: {
    message: string;
    data?: { code: string; httpStatus: number; zodError: unknown; stack?: string };
  };
};

export type Reply = { status: number; headers: Headers; body: ReplyBody; text: string };

/** A plain-JSON client for one API: what curl does, in a line. */
export function apiClient(base: string) {
  async function reply(res: Response): Promise<Reply> {
    const text = await res.text();
    let body: ReplyBody = {};
    try {
      body = JSON.parse(text) as ReplyBody;
    } catch {
      // Not JSON: `text` still shows what came back.
    }
    return { status: res.status, headers: res.headers, body, text };
  }
  return {
    base,
    async mutate(path: string, input: unknown, headers: Record<string, string> = {}) {
      return reply(
        await fetch(`${base}/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(input),
        }),
      );
    },
    async query(path: string, headers: Record<string, string> = {}) {
      return reply(await fetch(`${base}/trpc/${path}`, { headers }));
    },
  };
}
