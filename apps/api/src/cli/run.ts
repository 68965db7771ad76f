import { parseArgs } from 'node:util';
import { mailOutbox } from '@tokenauth/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { createInputs } from '../auth/inputs.ts';
import { createUser } from '../auth/signup.ts';
import { capTokens, createToken } from '../auth/token.ts';
import { listTokens, revokeAllTokens, revokeToken } from '../auth/tokens.ts';
import { findUserByUsername } from '../auth/user.ts';
import { type DjangoSource, openDjangoSource, SourceError } from '../django/django-source.ts';
import { formatImportReport } from '../django/format-import-report.ts';
import { importDjango } from '../django/import-django.ts';
import { ImportError } from '../django/import-report.ts';
import { listKeptMail } from '../mail/outbox.ts';
import { messages } from '../messages.ts';
import { purgeExpired } from '../purge-expired.ts';
import { CliError, type CliIo } from './io.ts';
import { readPassword } from './read-password.ts';

export const USAGE = `Usage: pnpm -s cli <command>

  createuser <username> [--email <email>] [--password-stdin]
      Create a user. The password is asked for twice on a terminal, or read
      from standard input (one line) with --password-stdin or when piped.
  token create <username>
      Issue a new token for the user and print it: it is shown only once.
  token list <username>
      List the user's live tokens, one per device, with their ids.
  token revoke <username> (<token-id> | --all)
      Revoke one of the user's tokens, or all of them.
  import-django --from <postgres-url | dumpdata.json[.gz]> [--dry-run]
                [--no-tokens] [--user-table <table>] [--collisions skip|rename]
      Import Django's users and DRF tokens (README "Coming from Django") and
      report what was done; --dry-run writes nothing. --user-table names a
      custom user table (or, in a dump, its model: app.model).
  purge
      Delete what has expired (tokens, emailed links, rate-limit counters,
      old mail), as the API does hourly; prints how many of each.
  mail list
      The dev outbox (mail kept when SMTP_URL is unset), newest first.
  mail show <id>
      One message of the dev outbox, with its links.

Exit codes: 0 done, 1 refused (unknown user, invalid input, …), 2 bad usage.`;

const usage = (problem: string) => new CliError(`${problem}\n\n${USAGE}`, 2);

/** Runs one command line; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    await dispatch(argv, io);
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const now = (io.now ?? (() => new Date()))();
  const { db, tokenPolicy } = io.services;
  const say = (line: string) => io.stdout.write(`${line}\n`);

  if (values.help || command === 'help' || command === undefined) {
    say(USAGE);
    return;
  }

  if (command === 'createuser') {
    const [username, ...extra] = rest;
    if (!username || extra.length > 0) throw usage('createuser takes one username.');
    const password = await readPassword(io, { fromStdin: values['password-stdin'] === true });
    const input = createInputs(io.passwordMinLength).signup.safeParse({
      username,
      password,
      email: values.email,
    });
    if (!input.success) {
      throw new CliError(Object.values(z.flattenError(input.error).fieldErrors).flat().join('\n'));
    }
    const result = await createUser(io.services, input.data, { now });
    if (!result.ok) throw new CliError(messages.usernameTaken);
    io.stderr.write(`Created user ${result.user.username} (${result.user.id}).\n`);
    return;
  }

  if (command === 'mail') {
    await mail(rest, io, say);
    return;
  }

  if (command === 'import-django') {
    if (rest.length > 0) throw usage('import-django takes its source as --from <source>.');
    await importFromDjango(values, io, now, say);
    return;
  }

  if (command === 'purge') {
    if (rest.length > 0) throw usage('purge takes no arguments.');
    const started = performance.now();
    const purged = await purgeExpired(db, tokenPolicy, now);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const counts = [
      [purged.tokens, 'token'],
      [purged.links, 'emailed link'],
      [purged.networks, 'known network'],
      [purged.rateLimits, 'rate-limit counter'],
      [purged.mail, 'message'],
    ] as const;
    const listed = counts.map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
    say(`Purged ${listed.slice(0, -1).join(', ')} and ${listed.at(-1)} in ${seconds} s.`);
    return;
  }

  if (command !== 'token') throw usage(`Unknown command: ${command}`);
  const [action] = rest;
  const arity = { create: 1, list: 1, revoke: values.all ? 1 : 2 } as const;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    throw usage(`Unknown token action: ${action ?? '(none)'}`);
  }
  const args = rest.slice(1);
  if (args.length !== arity[action]) {
    throw usage(
      action === 'revoke'
        ? 'token revoke takes a username and one token id, or --all.'
        : `token ${action} takes one username.`,
    );
  }
  const [username = '', tokenId] = args;
  const user = await findUserByUsername(db, username);
  if (!user) throw new CliError(`No user named ${username}.`);

  if (action === 'create') {
    say(await createToken(db, user, { userAgent: 'cli', now }));
    await capTokens(db, user.id, tokenPolicy.limitPerUser);
  } else if (action === 'list') {
    const live = await listTokens(db, tokenPolicy, user.id, undefined, now);
    if (live.length === 0) say(`${user.username} has no live tokens.`);
    for (const s of live) {
      say(
        [s.id, `created ${s.createdAt}`, `last used ${s.lastUsedAt}`, `expires ${s.expiresAt}`]
          // A JWT session says so; its last use is its last refresh.
          .concat(s.kind === 'jwt' ? 'jwt' : [])
          .concat(s.ip ? `from ${s.ip}` : [], s.userAgent ? JSON.stringify(s.userAgent) : [])
          .join('  '),
      );
    }
  } else if (values.all) {
    const revoked = await revokeAllTokens(db, user.id);
    say(`Revoked ${revoked} token${revoked === 1 ? '' : 's'} of ${user.username}.`);
  } else {
    const id = z.uuid().safeParse(tokenId);
    if (!id.success || !(await revokeToken(db, user.id, id.data))) {
      throw new CliError(`${user.username} has no token ${tokenId}.`);
    }
    say(`Revoked token ${tokenId}.`);
  }
}

/** `mail list` and `mail show <id>`: the dev outbox. */
async function mail(args: string[], io: CliIo, say: (line: string) => void): Promise<void> {
  const [action, id, ...extra] = args;
  if (action === 'list' && id === undefined) {
    const kept = await listKeptMail(io.services.db);
    if (kept.length === 0) say('The dev outbox is empty.');
    for (const m of kept) say(`${m.id}  ${m.createdAt.toISOString()}  ${m.to}  ${m.subject}`);
    return;
  }
  if (action !== 'show' || id === undefined || extra.length > 0) {
    throw usage('mail takes list, or show and one message id.');
  }
  const uuid = z.uuid().safeParse(id);
  const [found] = uuid.success
    ? await io.services.db.select().from(mailOutbox).where(eq(mailOutbox.id, uuid.data))
    : [];
  if (found?.status !== 'kept') throw new CliError(`No message ${id} in the dev outbox.`);
  say(`To: ${found.to}\nSubject: ${found.subject}\nDate: ${found.createdAt.toISOString()}\n`);
  say(found.text ?? '');
}

async function importFromDjango(
  values: ReturnType<typeof parse>['values'],
  io: CliIo,
  now: Date,
  say: (line: string) => void,
): Promise<void> {
  const from = values.from;
  if (!from) throw usage('import-django needs --from <postgres-url or dumpdata file>.');
  const collisions = values.collisions;
  if (collisions !== undefined && collisions !== 'skip' && collisions !== 'rename') {
    throw usage('--collisions is skip or rename.');
  }
  let source: DjangoSource;
  try {
    source = await openDjangoSource(from, {
      tokens: values['no-tokens'] !== true,
      userTable: values['user-table'],
    });
  } catch (error) {
    if (error instanceof SourceError) throw new CliError(error.message);
    throw error;
  }
  try {
    const report = await importDjango(io.services.db, source, {
      dryRun: values['dry-run'] === true,
      tokens: values['no-tokens'] !== true,
      collisions,
      now,
      progress: (line) => io.stderr.write(`${line}\n`),
    });
    say(formatImportReport(report));
    if (report.stopped) throw new CliError('Nothing was imported.');
  } catch (error) {
    if (error instanceof SourceError || error instanceof ImportError) {
      throw new CliError(error.message);
    }
    throw error;
  } finally {
    await source.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      all: { type: 'boolean' },
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-tokens': { type: 'boolean' },
      'user-table': { type: 'string' },
      collisions: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
