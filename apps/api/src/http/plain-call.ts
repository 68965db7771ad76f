import { TRPCError } from '@trpc/server';
import type { Exchange } from './exchange.ts';

/**
 * The call a request makes when it is a plain one (one query by GET, its
 * input in `?input=`; one mutation by POST, its input the JSON body);
 * undefined sends it to tRPC's adapter. The input is parsed when the
 * procedure asks for it, and errors worded as the adapter words them.
 */
export function plainCall(ex: Exchange, basePath: string, body: string | undefined) {
  const { req, path: fullPath } = ex;
  const type = req.method === 'GET' ? 'query' : req.method === 'POST' ? 'mutation' : undefined;
  if (!type) return undefined;
  // Streaming answers (jsonl) are for batches, which are refused.
  if (req.headers['trpc-accept'] !== undefined || req.headers.accept?.includes('jsonl')) {
    return undefined;
  }
  const url = req.url ?? '';
  const queryAt = url.indexOf('?');
  let raw: string | null | undefined = body;
  if (queryAt !== -1) {
    // A query's input may ride in `?input=`; any other parameter (batch,
    // connectionParams) is tRPC's business.
    const params = new URLSearchParams(url.slice(queryAt + 1));
    if (type !== 'query' || [...params.keys()].some((key) => key !== 'input')) return undefined;
    raw = params.get('input');
  }
  let input: unknown;
  let read: Promise<unknown> | undefined;
  return {
    path: fullPath.slice(basePath.length),
    type,
    /** The input, once read and parsed. */
    input: () => input,
    readInput: () => {
      read ??= (async () => {
        try {
          // An empty body is malformed JSON, an empty `?input=` no input, as tRPC has it.
          input =
            raw === undefined || raw === null || (raw === '' && type === 'query')
              ? undefined
              : JSON.parse(raw);
          return input;
        } catch (cause) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: (cause as Error).message, cause });
        }
      })();
      return read;
    },
  } as const;
}
