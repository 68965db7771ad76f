import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { isConnectionError } from './errors.ts';

/** An empty database of its own on a PostgreSQL server; `url` reaches it. */
export type ThrowawayDatabase = {
  readonly name: string;
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
};

/**
 * Why the server DATABASE_URL names cannot host a throwaway database, in one
 * message a developer can act on; never contains the password.
 */
export class DatabaseServerError extends Error {
  override name = 'DatabaseServerError';
  constructor(message: string) {
    super(message);
    // A setup problem, not a bug: where in our code it surfaced would only
    // bury the sentence under a stack trace.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Creates `<prefix>_<random hex>` on the server `adminUrl` points at, so that
 * tests never write into the database `adminUrl` names: that one is only
 * connected to, to run `create database` and later `drop database`. The role
 * needs CREATEDB. Throws a DatabaseServerError when the server cannot be
 * reached or refuses.
 */
export async function createThrowawayDatabase(
  adminUrl: string,
  prefix: string,
): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  try {
    await onServer(adminUrl, `create database "${name}"`);
  } catch (error) {
    throw explain(adminUrl, error);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onServer(adminUrl, `drop database if exists "${name}" with (force)`),
  };
}

/** Runs one statement that cannot run in a transaction, on a connection of its own. */
async function onServer(adminUrl: string, statement: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

/** `adminUrl` with its password, if any, replaced by `***`. */
export function maskPassword(adminUrl: string): string {
  const url = new URL(adminUrl);
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.toString();
}

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  CONNECT_TIMEOUT: 'no answer within 5 seconds',
  ETIMEDOUT: 'no answer',
};

/** A DatabaseServerError for the failures a developer's setup causes; anything else unchanged. */
function explain(adminUrl: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as Error & { code?: unknown }).code;
  const at = `DATABASE_URL points at ${maskPassword(adminUrl)}`;
  if (isConnectionError(error)) {
    const reason = (typeof code === 'string' && SOCKET_REASONS[code]) || error.message;
    return new DatabaseServerError(
      `${at}, which could not be reached: ${reason}. Start PostgreSQL, or unset DATABASE_URL to test on PGlite only.`,
    );
  }
  // invalid_catalog_name (no such database) and invalid_authorization_* (role, password).
  if (code === '3D000' || (typeof code === 'string' && code.startsWith('28'))) {
    return new DatabaseServerError(
      `${at}, which could not be reached: ${error.message}. Correct DATABASE_URL, or unset it to test on PGlite only.`,
    );
  }
  if (code === '42501') {
    const role = decodeURIComponent(new URL(adminUrl).username);
    return new DatabaseServerError(
      `${at}, whose role may not create the databases tests run in: ${error.message}. Grant it with ALTER ROLE ${role ? `"${role}"` : '…'} CREATEDB, or unset DATABASE_URL to test on PGlite only.`,
    );
  }
  return error;
}
