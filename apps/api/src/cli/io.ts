import type { Readable, Writable } from 'node:stream';
import type { Services } from '../services.ts';

export type CliIo = {
  services: Services;
  /** The configured PASSWORD_MIN_LENGTH, which createuser enforces. */
  passwordMinLength: number;
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
