import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import streamArray from 'stream-json/streamers/stream-array.js';
import {
  type DjangoRecord,
  type DjangoSource,
  djangoId,
  SourceError,
  type SourceOptions,
  toDate,
} from './django-source.ts';

type DumpObject = { model?: unknown; pk?: unknown; fields?: Record<string, unknown> };

/**
 * Reads `manage.py dumpdata auth.user authtoken.token` output: a JSON array
 * (the default format) or JSON lines (`--format jsonl`), plain or gzipped,
 * one object at a time.
 */
export async function openDumpSource(path: string, options: SourceOptions): Promise<DjangoSource> {
  const userModel = (options.userTable ?? 'auth.user').toLowerCase();
  const head = await readHead(path);
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  const text = (): Readable => {
    const file = createReadStream(path);
    return gzipped ? pipeline(file, createGunzip(), () => {}) : file;
  };
  return {
    name: path,
    async *records(): AsyncIterable<DjangoRecord> {
      try {
        for await (const object of objects(text)) {
          const record = toRecord(object, userModel, options.tokens);
          if (record) yield record;
        }
      } catch (error) {
        // Truncated JSON, a corrupt gzip stream, a file gone midway.
        if (error instanceof SourceError) throw error;
        throw new SourceError(`Cannot read ${path}: ${(error as Error).message}`);
      }
    },
    close: async () => {},
  };
}

async function readHead(path: string): Promise<Buffer> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path, 'r');
    const { buffer, bytesRead } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw new SourceError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  } finally {
    await file?.close();
  }
}

/** The first character that is not white space: `[` for a JSON array. */
async function firstCharacter(input: Readable): Promise<string | undefined> {
  try {
    for await (const chunk of input) {
      const found = /\S/.exec(String(chunk));
      if (found) return found[0];
    }
    return undefined;
  } finally {
    input.destroy();
  }
}

/** The dump's objects: an array's items, or one object per line. */
async function* objects(open: () => Readable): AsyncIterable<DumpObject> {
  if ((await firstCharacter(open())) === '[') {
    for await (const item of open().pipe(streamArray.withParserAsStream())) {
      yield (item as { value: DumpObject }).value;
    }
    return;
  }
  let lineNumber = 0;
  for await (const line of createInterface({
    input: open(),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber += 1;
    if (line.trim() !== '') yield parseLine(line, lineNumber);
  }
}

function parseLine(line: string, lineNumber: number): DumpObject {
  try {
    return JSON.parse(line) as DumpObject;
  } catch {
    throw new SourceError(`Line ${lineNumber} of the dump is not JSON: ${line.slice(0, 80)}`);
  }
}

function toRecord(
  object: DumpObject,
  userModel: string,
  tokens: boolean,
): DjangoRecord | undefined {
  const model = String(object.model ?? '').toLowerCase();
  const f = object.fields ?? {};
  if (model === userModel) {
    if (object.pk === undefined || object.pk === null) {
      throw new SourceError(
        'The dump has users without ids (made with --natural-primary): dump again without it, so that a re-run finds them.',
      );
    }
    return {
      type: 'user',
      id: djangoId(object.pk),
      username: String(f.username ?? ''),
      password: String(f.password ?? ''),
      email: String(f.email ?? ''),
      isActive: f.is_active !== false,
      isStaff: f.is_staff === true,
      isSuperuser: f.is_superuser === true,
      firstName: String(f.first_name ?? ''),
      lastName: String(f.last_name ?? ''),
      dateJoined: toDate(f.date_joined) ?? new Date(),
      lastLogin: toDate(f.last_login),
    };
  }
  if (model === 'authtoken.token' && tokens) {
    const user = f.user;
    return {
      type: 'token',
      key: String(object.pk ?? f.key ?? ''),
      user: Array.isArray(user) ? { username: String(user[0]) } : { id: djangoId(user) },
    };
  }
  return undefined;
}
