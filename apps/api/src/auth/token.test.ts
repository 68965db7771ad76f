import { createHash } from 'node:crypto';
import { tokens, users } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { callerFor, databases, servicesFor, uniqueUsername } from '../test/databases.ts';
import { generateToken, hashToken } from './token.ts';
import { verifyToken } from './verify-token.ts';

describe('tokens', () => {
  it('are 256 random bits in 43 URL-safe characters', () => {
    const seen = new Set(Array.from({ length: 1000 }, generateToken));
    expect(seen.size).toBe(1000);
    for (const token of seen) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256', () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).not.toContain(token);
  });
});

// The lookup bypasses drizzle's session and mapping: it must read what drizzle reads.
describe.each(databases)('verifyToken on $name', ({ create }) => {
  it('reads the token and its user as drizzle does', async () => {
    const handle = await create();
    try {
      const username = uniqueUsername('lookup');
      const { token } = await callerFor(handle).auth.signup({
        username,
        password: 'correct horse battery',
        email: 'lookup@example.com',
      });
      if (token === null) throw new Error('signup issues a token outside activation mode');
      const result = await verifyToken(servicesFor(handle), token, new Date());
      const [row] = await handle.db
        .select()
        .from(tokens)
        .innerJoin(users, eq(users.id, tokens.userId))
        .where(eq(tokens.keyHash, hashToken(token)));
      expect(result).toEqual({
        ok: true,
        auth: {
          tokenId: row?.tokens.id,
          user: {
            id: row?.users.id,
            username,
            email: 'lookup@example.com',
            emailVerified: false,
            createdAt: row?.users.createdAt.toISOString(),
          },
        },
      });
      expect(await verifyToken(servicesFor(handle), generateToken(), new Date())).toEqual({
        ok: false,
        expired: false,
      });
    } finally {
      await handle.drop();
    }
  });
});
