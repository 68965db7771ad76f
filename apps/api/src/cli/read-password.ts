import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { CliError, type CliIo } from './io.ts';

/**
 * The new user's password: asked twice, without echo, on a terminal; read as
 * one line from standard input when piped or with --password-stdin.
 */
export async function readPassword(
  io: Pick<CliIo, 'stdin' | 'stdout'>,
  { fromStdin }: { fromStdin: boolean },
): Promise<string> {
  if (fromStdin || !io.stdin.isTTY) {
    let text = '';
    for await (const chunk of io.stdin) text += chunk;
    const [line] = text.split(/\r?\n/, 1);
    if (!line) throw new CliError('No password on standard input.');
    return line;
  }
  const first = await promptHidden(io, 'Password: ');
  const second = await promptHidden(io, 'Password (again): ');
  if (first !== second) throw new CliError('The passwords do not match.');
  return first;
}

async function promptHidden(io: Pick<CliIo, 'stdin' | 'stdout'>, prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) io.stdout.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  try {
    io.stdout.write(prompt);
    muted = true;
    return await rl.question('');
  } finally {
    muted = false;
    io.stdout.write('\n');
    rl.close();
  }
}
