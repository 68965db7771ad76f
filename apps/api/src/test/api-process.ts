import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));

export type ApiProcess = {
  base: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Array<{ msg?: string; [key: string]: unknown }>;
  /** Resolves once `count` log lines (default 1) have a message containing `text`. */
  logged(text: string, count?: number): Promise<void>;
  exited: Promise<number | null>;
};

/**
 * Starts the real API (`src/index.ts`) as a child process on a free port,
 * with `env` on top of this one's, and waits until it listens.
 */
export async function startApiProcess(
  env: Record<string, string | undefined>,
): Promise<ApiProcess> {
  // One process, as `pnpm start` runs (here from the sources, through tsx's loader).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: apiDir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      BCRYPT_COST: '4', // bcrypt's minimum keeps tests fast
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: ApiProcess['logs'] = [];
  const waiters: Array<{ text: string; count: number; resolve: () => void }> = [];
  const seen = (text: string) => logs.filter((entry) => entry.msg?.includes(text)).length;
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const entry = JSON.parse(line) as ApiProcess['logs'][number];
      logs.push(entry);
      for (const waiter of waiters) if (seen(waiter.text) >= waiter.count) waiter.resolve();
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logged = (text: string, count = 1) =>
    seen(text) >= count
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.push({ text, count, resolve })),
          exited.then((code) => {
            throw new Error(`API exited with ${code} before logging "${text}"`);
          }),
        ]);

  await logged('API listening');
  const port = logs.find((entry) => entry.msg?.includes('API listening'))?.port;
  return { base: `http://127.0.0.1:${port}`, child, logs, logged, exited };
}
