import getRawBody from 'raw-body';
import { messages } from '../messages.ts';
import { HttpError } from './exchange.ts';

/** As Fetch's `body.text()`: drops a BOM, replaces malformed UTF-8. */
const decoder = new TextDecoder();

/**
 * The request body as text, refused past `limit` bytes, as it streams in
 * (a chunked body announces no size). A client that goes away mid-body, or
 * sends fewer bytes than it announced, gets a 400 it will likely never read.
 */
export async function readBody(
  req: Parameters<typeof getRawBody>[0] & { headers: Record<string, unknown> },
  limit: number,
): Promise<string> {
  try {
    const length = req.headers['content-length'];
    return decoder.decode(
      await getRawBody(req, { limit, length: typeof length === 'string' ? length : null }),
    );
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      throw new HttpError(413, messages.payloadTooLarge(limit), ['connection', 'close']);
    }
    if (type === 'request.aborted' || type === 'request.size.invalid') {
      throw new HttpError(400, messages.incompleteBody, ['connection', 'close']);
    }
    throw error;
  }
}
