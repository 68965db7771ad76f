/**
 * Playwright's webServer command for nginx: deploy/nginx.conf as a person
 * deploys it, in front of the first API (start-api.ts), over HTTPS with a
 * throwaway certificate (deploy/testing.ts). Stops nginx and removes its
 * files on the SIGTERM Playwright sends, or when Playwright is gone (our
 * stdin, a pipe from Playwright, closes).
 */
import { startNginx } from '@tokenauth/deploy/testing';

const { UPSTREAM, HTTP_PORT, HTTPS_PORT } = process.env;
if (!UPSTREAM || !HTTP_PORT || !HTTPS_PORT) {
  throw new Error('start-nginx.ts needs UPSTREAM, HTTP_PORT and HTTPS_PORT');
}
const nginx = await startNginx({
  upstream: UPSTREAM,
  httpPort: Number(HTTP_PORT),
  httpsPort: Number(HTTPS_PORT),
});

let stopping = false;
async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await nginx.stop();
  process.exit(exitCode);
}

// nginx ending on its own is a failure the run must see.
void nginx.exited.then(() => stop(1));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => void stop(0));
}
process.stdin.once('end', () => void stop(0)).resume();
