import { openDumpSource } from './dump-source.ts';
import { openPostgresSource } from './postgres-source.ts';

/** A row of Django's user table (`auth_user` or a custom one), as read. */
export type DjangoUserRecord = {
  type: 'user';
  id: number;
  username: string;
  password: string;
  email: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  firstName: string;
  lastName: string;
  dateJoined: Date;
  lastLogin: Date | null;
};

/**
 * A row of DRF's `authtoken_token`. `user` is the user's id, or the
 * username when the dump was made with `--natural-foreign`.
 */
export type DjangoTokenRecord = {
  type: 'token';
  key: string;
  user: { id: number } | { username: string };
};

export type DjangoRecord = DjangoUserRecord | DjangoTokenRecord;

/** Where the records come from: read once, in order, in bounded memory. */
export type DjangoSource = {
  /** The source as the report names it (a URL's password masked). */
  readonly name: string;
  records(): AsyncIterable<DjangoRecord>;
  close(): Promise<void>;
};

export type SourceOptions = {
  /** Read DRF's tokens too. */
  tokens: boolean;
  /** PostgreSQL: the user table (`auth_user`). A dump: the user model's label (`auth.user`). */
  userTable?: string | undefined;
};

/** A PostgreSQL URL is read with SQL; anything else is a dumpdata file (JSON, JSON lines, gzip). */
export function openDjangoSource(from: string, options: SourceOptions): Promise<DjangoSource> {
  return /^postgres(ql)?:\/\//.test(from)
    ? openPostgresSource(from, options)
    : openDumpSource(from, options);
}

/** A thrown reason the source cannot be read, said to the operator as it is. */
export class SourceError extends Error {}

/** Django stores naive or aware datetimes; both read as instants (naive ones as UTC, Django's default). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  const text = String(value);
  // An offset (`Z`, `+00`, `+05:30`: PostgreSQL's text and ISO 8601 both), or none: UTC.
  const date = new Date(/(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A user's id: Django's AutoField or BigAutoField. A UUID or other key cannot be matched on re-runs. */
export function djangoId(value: unknown): number {
  const id = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new SourceError(
      `A user id is ${JSON.stringify(value)}: only integer ids (AutoField, BigAutoField) can be imported.`,
    );
  }
  return id;
}
