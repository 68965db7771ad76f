import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export type Started = { port: number; child: ChildProcess; stop(): Promise<number | null> };

/**
 * Spawns a Node server that logs a JSON line with `port` when it listens;
 * resolves with that port. Its stderr passes through.
 */
export async function startServer(
  args: string[],
  options: { cwd: string; env: Record<string, string>; ready: string },
): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg?.includes(options.ready) && entry.port) resolve(entry.port);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return {
    port,
    child,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The most memory (resident set) the process has used so far, in bytes (Linux). */
export function peakRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined; // not Linux: /proc is not there
  }
}
