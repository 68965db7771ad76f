/**
 * The reference for `auth.me`: what a hand-written server does with the same
 * work and nothing else — node:http, postgres.js, the same indexed token
 * lookup, the same JSON. The API should come close to it.
 */
import { hash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const sql = postgres(url, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });

const server = createServer(async (req, res) => {
  const key = (req.headers.authorization ?? '').trim().split(/\s+/)[1] ?? '';
  const keyHash = hash('sha256', key, 'hex');
  const [row] = await sql`
    select u.id, u.username, u.email, u.created_at
    from tokens t join users u on u.id = t.user_id
    where t.key_hash = ${keyHash} limit 1`;
  if (!row) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"Invalid token."}}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      result: {
        data: {
          id: row.id,
          username: row.username,
          email: row.email,
          createdAt: (row.created_at as Date).toISOString(),
        },
      },
    }),
  );
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'listening', port }));
});
process.once('SIGTERM', () => {
  server.close();
  void sql.end().then(() => process.exit(0));
});
