import type { Database } from '@tokenauth/db';
import { sql } from 'drizzle-orm';
import { normalizeUsername, usernameKey } from '../auth/user.ts';
import { sqlRows } from '../sql-rows.ts';
import type { ImportReport } from './import-report.ts';

/** What to do with usernames that are the same ignoring case. */
export type CollisionRule = 'skip' | 'rename';

const USERNAME_MAX = 150;

type Collision = {
  django_id: string | number;
  username: string;
  other_id: string | number | null;
  holder: string | null;
};

/**
 * Usernames the same ignoring case, among the staged users or with a user
 * here who is not the same Django user. In a group of staged users, the one
 * who holds the name here already keeps it, or else the lowest Django id;
 * the others are skipped or renamed `<username>_<django id>` as the rule
 * says. A name held by a user who is not one of the group is kept by that
 * user. With no rule, nothing is written (`report.stopped`).
 */
export async function resolveCollisions(
  db: Database,
  report: ImportReport,
  rule: CollisionRule | undefined,
): Promise<void> {
  // A user here with the key, not one of the staged users with that key.
  const heldByOther = sql`
    select u.username from users u where u.username_key = s.username_key and not exists (
      select 1 from django_users d join django_import_users o on o.django_id = d.django_id
      where d.user_id = u.id and o.username_key = s.username_key and o.refused is null)`;
  // A staged user with the key who ranks before s: holds it here, or the lower id.
  const before = sql`
    select o.django_id from django_import_users o
    where o.username_key = s.username_key and o.refused is null and o.django_id <> s.django_id
      and (o.holds > s.holds or (o.holds = s.holds and o.django_id < s.django_id))`;
  const collisions = await sqlRows<Collision>(
    db,
    sql`
    select s.django_id, s.username, o.django_id as other_id, h.username as holder
    from django_import_users s
    left join lateral (${before} order by o.holds desc, o.django_id limit 1) o on true
    left join lateral (${heldByOther} limit 1) h on true
    where s.refused is null and (o.django_id is not null or h.username is not null)
    order by s.django_id`,
  );
  for (const c of collisions) {
    const djangoId = Number(c.django_id);
    const other =
      c.holder !== null ? `${JSON.stringify(c.holder)}, a user here` : `Django user #${c.other_id}`;
    const problem = `username collides ignoring case with ${other}`;
    if (rule === undefined) {
      report.problems.push({
        djangoId,
        username: c.username,
        problem,
        todo: 'rename one in Django, or choose --collisions=skip or --collisions=rename',
      });
      continue;
    }
    const renamed = rule === 'rename' ? await freeName(db, c.username, djangoId) : undefined;
    if (renamed) {
      await db.execute(sql`
        update django_import_users set username = ${renamed}, username_key = ${usernameKey(renamed)}
        where django_id = ${djangoId}`);
      report.users.renamed += 1;
      report.problems.push({
        djangoId,
        username: c.username,
        problem,
        todo: `renamed ${renamed}; they can use "Forgot username" to learn it`,
      });
    } else {
      const refused = `${problem}${rule === 'rename' ? `, and ${c.username}_${djangoId} is taken too` : ''}`;
      await db.execute(
        sql`update django_import_users set refused = ${refused} where django_id = ${djangoId}`,
      );
      report.problems.push({ djangoId, username: c.username, problem: refused, todo: 'skipped' });
    }
  }
  if (rule === undefined && collisions.length > 0) {
    const count = collisions.length;
    report.stopped = `${count === 1 ? '1 username collides' : `${count} usernames collide`} ignoring case: nothing was written. Rename them in Django, or run again with --collisions=skip or --collisions=rename.`;
  }
}

/** `<username>_<django id>`, cut to fit 150 characters, if nobody has it. */
async function freeName(db: Database, name: string, djangoId: number): Promise<string | undefined> {
  const suffix = `_${djangoId}`;
  const renamed = normalizeUsername(name).slice(0, USERNAME_MAX - suffix.length) + suffix;
  const key = usernameKey(renamed);
  const [taken] = await sqlRows<{ n: string | number }>(
    db,
    sql`select (select count(*) from django_import_users where username_key = ${key} and refused is null)
      + (select count(*) from users u where u.username_key = ${key} and not exists (
          select 1 from django_users d where d.user_id = u.id and d.django_id = ${djangoId})) as n`,
  );
  return Number(taken?.n ?? 0) === 0 ? renamed : undefined;
}
