import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { testServer } from '../test/server.ts';

const run = promisify(execFile);
const httpie = ['/usr/bin/http', '/usr/local/bin/http'].find((path) => existsSync(path));

/** The README's httpie lines, each with the answer its comment shows. */
function readmeExamples(): { command: string; shows: string }[] {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const block = /```sh\n(http [\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no httpie block');
  const lines = block.trim().split('\n');
  return lines.flatMap((line, i) =>
    line.startsWith('http ')
      ? [{ command: line, shows: (lines[i + 1] ?? '').replace(/^# /, '') }]
      : [],
  );
}

/** The placeholder token the README writes, replaced by the one the login gave. */
const PLACEHOLDER = 'Dpc9uVgz…';

// Skipped only where httpie is not installed and this is not CI, which installs it.
describe.skipIf(!httpie && !process.env.CI)('the README’s httpie examples', () => {
  let handle: TestDb;
  let server: Server;
  let port: string;
  let config: string;

  beforeAll(async () => {
    handle = await (databases[0] as (typeof databases)[number]).create();
    server = testServer(handle);
    port = new URL(await listen(server)).port;
    config = mkdtempSync(join(tmpdir(), 'httpie-'));
  });
  afterAll(async () => {
    server?.close();
    rmSync(config, { recursive: true, force: true });
    await handle?.drop();
  });

  it('work as written, and answer what the README shows', async () => {
    if (!httpie) throw new Error('httpie is not installed (CI installs it)');
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(4);
    let token = PLACEHOLDER;
    for (const { command, shows } of examples) {
      const line = command.replace(':3000', `:${port}`).replaceAll(PLACEHOLDER, token);
      // As typed at a terminal: no stdin to read a body from; a 4xx or 5xx fails the command.
      // Not execFileSync: the server answering it runs in this process.
      const { stdout: output } = await run(
        'bash',
        ['-c', `${line} --ignore-stdin --check-status`],
        {
          env: { ...process.env, HTTPIE_CONFIG_DIR: config },
          timeout: 10_000,
        },
      );
      if (!shows.startsWith('{')) {
        expect(output.trim(), command).toBe('');
        continue;
      }
      const answer = JSON.parse(output) as Record<string, string>;
      const expected = JSON.parse(shows) as Record<string, string>;
      expect(Object.keys(answer), command).toEqual(Object.keys(expected));
      for (const [key, value] of Object.entries(expected)) {
        if (!value.includes('…')) expect(answer[key], `${command}: ${key}`).toBe(value);
      }
      if (answer.auth_token) token = answer.auth_token;
    }
    expect(token).not.toBe(PLACEHOLDER);
  });
});
