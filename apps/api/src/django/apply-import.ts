import { type Database, isUniqueViolation } from '@tokenauth/db';
import { type SQL, sql } from 'drizzle-orm';
import { sqlRows, sqlTime } from '../sql-rows.ts';
import { ImportError, type ImportReport } from './import-report.ts';

const DEVICE = 'imported from Django';

/**
 * Writes the staged users, their Django leftovers and their tokens, one
 * transaction per batch of `batchSize` Django ids, in id order.
 */
export async function applyImport(
  db: Database,
  report: ImportReport,
  options: {
    batchSize: number;
    now: Date;
    /** Whether the source's tokens were read: only then do missing ones mean revoked. */
    tokens: boolean;
    progress?: ((line: string) => void) | undefined;
  },
): Promise<void> {
  const total = report.users.created + report.users.updated;
  const now = sqlTime(options.now);
  let after: number | null = null;
  let done = 0;
  for (;;) {
    const [range]: { last: string | number | null; n: string | number }[] = await sqlRows<{
      last: string | number | null;
      n: string | number;
    }>(
      db,
      sql`select max(django_id) as last, count(*) as n from (
        select django_id from django_import_users
        where refused is null and (${after}::bigint is null or django_id > ${after})
        order by django_id limit ${options.batchSize}) batch`,
    );
    if (!range || range.last === null) break;
    const last: number = Number(range.last);
    const inBatch = sql`s.refused is null
      and (${after}::bigint is null or s.django_id > ${after}) and s.django_id <= ${last}`;
    try {
      const written = await db.transaction(async (tx) => {
        const t = tx as unknown as Database;
        await updateUsers(t, inBatch, now);
        await createUsers(t, inBatch, now);
        const revoked = options.tokens ? await revokeReplacedTokens(t, inBatch) : 0;
        return { revoked, imported: await importTokens(t, inBatch, now) };
      });
      report.tokens.imported += written.imported;
      report.tokens.revoked += written.revoked;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ImportError(
        `A username of Django ids ${after === null ? '' : after + 1}…${last} was taken while importing (a signup meanwhile?): run the import again; the batches before were written.`,
        { cause: error },
      );
    }
    after = last;
    const before = done;
    done += Number(range.n);
    if (Math.floor(done / 100_000) > Math.floor(before / 100_000)) {
      options.progress?.(
        `wrote ${done.toLocaleString('en')} of ${total.toLocaleString('en')} users…`,
      );
    }
  }
}

/**
 * Users imported before: Django's fields again, but a password set or
 * rehashed here (bcrypt) is kept, as is the unusable mark a reset link is
 * bound to, and a confirmed address stays confirmed. Users deleted here
 * (`user_id` null) are left deleted.
 */
async function updateUsers(tx: Database, inBatch: SQL, now: SQL): Promise<void> {
  await tx.execute(sql`
    update users u set
      username = s.username, username_key = s.username_key,
      email_verified_at = case when s.email is null or not s.is_active then null
        when u.email is not distinct from s.email then coalesce(u.email_verified_at, ${now}) else ${now} end,
      email = s.email, is_active = s.is_active, created_at = s.date_joined,
      password_hash = case when u.password_hash like '$2%' then u.password_hash
        when u.password_hash like '!%' and s.password like '!%' then u.password_hash
        else s.password end
    from django_users d join django_import_users s on s.django_id = d.django_id
    where d.user_id = u.id and ${inBatch}`);
  await tx.execute(sql`
    update django_users d set is_staff = s.is_staff, is_superuser = s.is_superuser,
      first_name = s.first_name, last_name = s.last_name, last_login = s.last_login,
      imported_at = ${now}
    from django_import_users s where s.django_id = d.django_id and d.user_id is not null and ${inBatch}`);
}

/**
 * New users, with the Django id that re-runs match on. An active Django
 * user's address counts as confirmed: Djoser's activation is what makes a
 * user active.
 */
async function createUsers(tx: Database, inBatch: SQL, now: SQL): Promise<void> {
  const fresh = sql`${inBatch}
    and not exists (select 1 from django_users d where d.django_id = s.django_id)`;
  await tx.execute(sql`
    insert into users (id, username, username_key, email, email_verified_at, password_hash, is_active, created_at)
    select s.new_id, s.username, s.username_key, s.email,
      case when s.email is not null and s.is_active then ${now} end,
      s.password, s.is_active, s.date_joined
    from django_import_users s where ${fresh}`);
  await tx.execute(sql`
    insert into django_users (user_id, django_id, is_staff, is_superuser, first_name, last_name, last_login, imported_at)
    select s.new_id, s.django_id, s.is_staff, s.is_superuser, s.first_name, s.last_name, s.last_login, ${now}
    from django_import_users s where ${fresh}`);
}

/**
 * A DRF token imported before whose key Django no longer has (deleted, or
 * regenerated: DRF's way to revoke one) is revoked here too.
 */
async function revokeReplacedTokens(tx: Database, inBatch: SQL): Promise<number> {
  const replaced = sql`
    select d.django_id, d.token_key_hash from django_users d
    join django_import_users s on s.django_id = d.django_id
    where ${inBatch} and d.token_key_hash is not null and not exists (
      select 1 from django_import_tokens t
      where t.django_user_id = d.django_id and t.key_hash = d.token_key_hash)`;
  const revoked = await sqlRows<{ id: string }>(
    tx,
    sql`delete from tokens where key_hash in (select token_key_hash from (${replaced}) r) returning id`,
  );
  await tx.execute(sql`
    update django_users set token_key_hash = null
    where django_id in (select django_id from (${replaced}) r)`);
  return revoked.length;
}

/**
 * DRF tokens, hashed as ours are, for users of the batch: only one not
 * imported before, so a token revoked here stays revoked. Their age counts
 * from the import, so none expires at the cut-over.
 */
async function importTokens(tx: Database, inBatch: SQL, now: SQL): Promise<number> {
  const chosen = sql`
    select d.user_id, t.key_hash from django_import_tokens t
    join django_import_users s on s.django_id = t.django_user_id
    join django_users d on d.django_id = s.django_id
    where ${inBatch} and d.user_id is not null and d.token_key_hash is distinct from t.key_hash`;
  const inserted = await sqlRows<{ id: string }>(
    tx,
    sql`insert into tokens (user_id, key_hash, generation, created_at, last_used_at, user_agent)
      select c.user_id, c.key_hash, u.token_generation, ${now}, ${now}, ${DEVICE}
      from (${chosen}) c join users u on u.id = c.user_id
      on conflict (key_hash) do nothing returning id`,
  );
  await tx.execute(sql`
    update django_users d set token_key_hash = c.key_hash from (${chosen}) c where d.user_id = c.user_id`);
  return inserted.length;
}
