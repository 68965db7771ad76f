import type { Readable, Writable } from 'node:stream';
import type { Database } from '@tokenauth/db';

export type CliIo = {
  db: Database;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  now?: () => Date;
};

/** A failure to report on stderr with an exit code: 1 refused, 2 bad usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
