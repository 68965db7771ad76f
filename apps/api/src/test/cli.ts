import { PassThrough, Readable } from 'node:stream';
import type { Db } from '@tokenauth/db';
import { runCli } from '../cli/run.ts';
import { config, servicesFor } from './databases.ts';

/** `pnpm -s cli` in process on `handle`: runs a command line with `stdin` piped in. */
export function cliOn(handle: Db) {
  return async (argv: string[], stdin = '', now?: () => Date) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk) => {
      out += chunk;
    });
    stderr.on('data', (chunk) => {
      err += chunk;
    });
    const code = await runCli(argv, {
      services: servicesFor(handle),
      passwordMinLength: config.passwords.minLength,
      stdin: Readable.from([stdin]),
      stdout,
      stderr,
      ...(now ? { now } : {}),
    });
    return { code, out, err };
  };
}
