import type { ServerResponse } from 'node:http';

/**
 * A signal aborted when the connection closes before the answer is sent: the
 * client went away, and work done for it (a bcrypt check) is wasted.
 */
export function clientGoneSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
