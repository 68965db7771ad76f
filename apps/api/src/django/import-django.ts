import { type Database, isDuplicateTable } from '@tokenauth/db';
import { sql } from 'drizzle-orm';
import { runStatements, sqlRows } from '../sql-rows.ts';
import { applyImport } from './apply-import.ts';
import { type CollisionRule, resolveCollisions } from './collisions.ts';
import type { DjangoSource } from './django-source.ts';
import { emptyReport, ImportError, type ImportReport } from './import-report.ts';
import { CREATE_STAGING, DROP_STAGING, stage } from './staging.ts';

export type ImportOptions = {
  dryRun: boolean;
  /** Unset: stop before writing anything if there are collisions. */
  collisions?: CollisionRule | undefined;
  /** Whether the source's tokens are read (`--no-tokens`: users only). */
  tokens?: boolean;
  now: Date;
  /** Users per transaction. */
  batchSize?: number;
  /** Progress lines, for large imports (stderr). */
  progress?: (line: string) => void;
};

/**
 * Imports Django's users and DRF tokens (README "Coming from Django";
 * ADR 0007): reads the source once into staging tables, finds what cannot
 * be taken, then (unless a dry run) writes users, their Django leftovers
 * and their tokens, one transaction per batch. A re-run matches users by
 * Django id.
 */
export async function importDjango(
  db: Database,
  source: DjangoSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const report = emptyReport(source.name, options.dryRun);
  const batchSize = options.batchSize ?? 2000;
  try {
    await runStatements(db, CREATE_STAGING);
  } catch (error) {
    if (!isDuplicateTable(error)) throw error;
    throw new ImportError(
      'Another import is running, or one was stopped midway (the table django_import_users exists). ' +
        'If none is running: drop table django_import_users, django_import_tokens;',
      { cause: error },
    );
  }
  try {
    await stage(db, source, report, { batchSize, progress: options.progress });
    await resolveCollisions(db, report, options.collisions);
    if (report.stopped) return report;
    await countOutcome(db, report, options.tokens !== false);
    if (!options.dryRun) {
      report.tokens.imported = 0;
      report.tokens.revoked = 0;
      await applyImport(db, report, {
        batchSize,
        now: options.now,
        tokens: options.tokens !== false,
        progress: options.progress,
      });
    }
    return report;
  } finally {
    await runStatements(db, DROP_STAGING);
  }
}

/** What the writes will do (or would, in a dry run): the report's counts. */
async function countOutcome(db: Database, report: ImportReport, tokens: boolean): Promise<void> {
  const [users] = await sqlRows<Record<string, string | number>>(
    db,
    sql`select
      count(*) filter (where s.refused is not null) as skipped,
      count(*) filter (where s.refused is null and d.django_id is null) as created,
      count(*) filter (where s.refused is null and d.user_id is not null) as updated,
      count(*) filter (where s.refused is null and d.django_id is not null and d.user_id is null) as deleted_here,
      count(*) filter (where s.refused is null and (d.django_id is null or d.user_id is not null) and s.no_password) as without_password,
      count(*) filter (where s.refused is null and (d.django_id is null or d.user_id is not null) and s.email_dropped) as without_email,
      count(*) filter (where s.refused is null and (d.django_id is null or d.user_id is not null) and not s.is_active) as inactive,
      count(*) filter (where s.refused is null and (d.django_id is null or d.user_id is not null) and s.is_staff) as staff,
      count(*) filter (where s.refused is null and (d.django_id is null or d.user_id is not null) and s.is_superuser) as superusers
    from django_import_users s left join django_users d on d.django_id = s.django_id`,
  );
  const count = (key: string) => Number(users?.[key] ?? 0);
  Object.assign(report.users, {
    skipped: count('skipped'),
    created: count('created'),
    updated: count('updated'),
    deletedHere: count('deleted_here'),
    withoutPassword: count('without_password'),
    withoutEmail: count('without_email'),
    inactive: count('inactive'),
    staff: count('staff'),
    superusers: count('superusers'),
  });
  if (report.users.deletedHere > 0) {
    report.problems.push({
      djangoId: 0,
      username: '',
      problem: `${report.users.deletedHere} user${report.users.deletedHere === 1 ? '' : 's'} imported before and deleted here since`,
      todo: 'not brought back',
    });
  }
  const [found] = await sqlRows<Record<string, string | number>>(
    db,
    sql`select
      count(*) filter (where s.django_id is null or (d.django_id is not null and d.user_id is null)) as orphans,
      count(*) filter (where d.user_id is not null and d.token_key_hash = t.key_hash) as already
    from django_import_tokens t
    left join django_import_users s on s.refused is null and s.django_id = t.django_user_id
    left join django_users d on d.django_id = s.django_id`,
  );
  const [replaced] = tokens
    ? await sqlRows<{ n: string | number }>(
        db,
        sql`select count(*) as n from django_users d
        join django_import_users s on s.django_id = d.django_id and s.refused is null
        where d.token_key_hash is not null and not exists (
          select 1 from django_import_tokens t
          where t.django_user_id = d.django_id and t.key_hash = d.token_key_hash)`,
      )
    : [];
  const orphans = Number(found?.orphans ?? 0);
  report.tokens.notImported += orphans;
  report.tokens.alreadyImported = Number(found?.already ?? 0);
  report.tokens.imported =
    report.tokens.read - report.tokens.notImported - report.tokens.alreadyImported;
  report.tokens.revoked = Number(replaced?.n ?? 0);
  if (orphans > 0) {
    report.problems.push({
      djangoId: 0,
      username: '',
      problem: `${orphans} token${orphans === 1 ? '' : 's'} of users not imported`,
      todo: 'not imported',
    });
  }
}
