import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';
import { messages } from '../messages.ts';
import type { ProcedureMeta } from '../trpc.ts';
import type { Operation, Route } from './operation.ts';
import { answers } from './schemas.ts';

type Json = Record<string, unknown>;

/** A zod schema as OpenAPI 3.1 takes it (JSON Schema 2020-12), as a client must send it. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Json;
  return rest;
}

const json = (schema: Json) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const detailAnswer = (description: string, headers?: Json) => ({
  description,
  content: json(ref('Detail')),
  ...(headers ? { headers } : {}),
});
const header = (description: string) => ({ description, schema: { type: 'string' } });

/** The answers every operation of the REST face can give, beside its own. */
function commonAnswers(operation: Operation): Json {
  const common: Json = {
    401: detailAnswer(
      `\`${messages.notAuthenticated}\` without a token where one is needed; \`${messages.invalidToken}\` (or another Authorization header problem) for a bad token, on any endpoint.`,
      { 'WWW-Authenticate': header('`Token`') },
    ),
    413: detailAnswer('A body larger than `MAX_BODY_SIZE`, refused before it is read.'),
    503: detailAnswer(messages.databaseUnavailable),
  };
  if (operation.body) {
    common[400] = {
      description:
        'Field errors, `{"<field>": ["…"]}`; `{"non_field_errors": ["…"]}` for a body that is not an object; `{"detail": "JSON parse error - …"}` for malformed JSON.',
      content: json({ anyOf: [ref('FieldErrors'), ref('Detail')] }),
    };
    common[415] = detailAnswer('A body that is neither JSON nor a form.');
  }
  if (operation.limited) {
    common[429] = detailAnswer(messages.throttled(60).replace('60', 'N'), {
      'Retry-After': header('Seconds until the client may try again.'),
    });
  }
  return common;
}

function restOperation(path: string, method: string, operation: Operation): Json {
  const own: Json = {};
  for (const [status, { description, schema }] of Object.entries(operation.answers)) {
    own[status] = {
      description,
      ...(schema ? { content: json(jsonSchema(schema)) } : {}),
    };
  }
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const body = operation.body && jsonSchema(operation.body);
  return {
    tags: [path.includes('/token') || path.startsWith('/api-') ? 'token' : 'users'],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    operationId: `${method}${path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string = '') => c.toUpperCase())}`,
    ...(names.length > 0
      ? {
          parameters: names.map((name) => ({
            name,
            in: 'path',
            required: true,
            description: 'Your user id or username: no one else is shown.',
            schema: { type: 'string' },
          })),
        }
      : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: body },
              'application/x-www-form-urlencoded': { schema: body },
            },
          },
        }
      : {}),
    // An open operation needs no token (one sent anyway must be valid: the 401 above).
    security: operation.needsToken ? [{ tokenAuth: [] }] : [],
    responses: { ...commonAnswers(operation), ...own },
  };
}

type ProcedureDef = {
  _def: { type: string; inputs: z.ZodType[]; meta?: ProcedureMeta };
};

/** The tRPC procedures, at their `/trpc/<path>` URLs, with the inputs their schemas take. */
function trpcPaths(router: AnyRouter): Json {
  const paths: Json = {};
  // The router's procedure table, which tRPC's OpenAPI generators read as well (ADR 0005).
  const procedures = router._def.procedures as Record<string, ProcedureDef>;
  for (const [name, procedure] of Object.entries(procedures)) {
    const { type, inputs, meta } = procedure._def;
    const input = inputs[0] && jsonSchema(inputs[0]);
    const isQuery = type === 'query';
    paths[`/trpc/${name}`] = {
      [isQuery ? 'get' : 'post']: {
        tags: ['tRPC'],
        summary: meta?.summary || name,
        description: `A tRPC ${type}: the answer is \`{"result":{"data": …}}\`, an error \`{"error":{"message", "code", "data"}}\`.${isQuery ? '' : ' Send the input as the JSON body.'}`,
        operationId: `trpc.${name}`,
        ...(input && !isQuery ? { requestBody: { required: true, content: json(input) } } : {}),
        security: meta?.needsToken ? [{ tokenAuth: [] }] : [],
        responses: {
          200: { description: 'The result.', content: json(ref('TrpcResult')) },
          default: { description: 'An error.', content: json(ref('TrpcError')) },
        },
      },
    };
  }
  return paths;
}

/**
 * The OpenAPI 3.1 document of the API: the REST face from its routes and
 * the zod schemas that check their bodies, the tRPC procedures from the
 * router, and the service's own endpoints. Nothing is written by hand
 * twice: a test checks that the server answers exactly what it lists.
 */
export function openApiDocument(options: {
  routes: Route[];
  router: AnyRouter;
  /** Whether this server shows the dev outbox (never in production). */
  devOutbox?: boolean;
}): Json {
  const paths: Json = {};
  for (const route of options.routes) {
    const methods: Json = {};
    for (const [method, operation] of Object.entries(route.methods)) {
      methods[method.toLowerCase()] = restOperation(route.path, method.toLowerCase(), operation);
    }
    paths[route.path] = methods;
  }
  const plain = (summary: string, description: string, tag = 'service') => ({
    get: { tags: [tag], summary, description, responses: { 200: { description: 'OK.' } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'tokenauth',
      // The REST face's version, as in its /api/v1/ prefix.
      version: '1',
      description:
        "Token authentication. The REST face speaks Djoser's and DRF's contract (`/api/v1/…`, with or without the trailing slash); the tRPC procedures are under `/trpc/`. A token from either works on both. Send it as `Authorization: Token <key>` (`Bearer` works too).",
    },
    tags: [
      { name: 'users', description: "Djoser's users/ endpoints." },
      { name: 'token', description: "Djoser's token/ endpoints and DRF's obtain_auth_token." },
      { name: 'tRPC', description: 'The procedures the TypeScript client calls.' },
      { name: 'service', description: 'Health and these docs.' },
    ],
    paths: {
      ...paths,
      ...trpcPaths(options.router),
      '/health': plain('Health', '200 `{"status":"ok"}` when the database answers; 503 when not.'),
      '/api/openapi.json': plain('This document', 'OpenAPI 3.1, generated from the code.'),
      '/api/docs': plain('The docs page', 'This document, to read and try.'),
      ...(options.devOutbox
        ? {
            '/api/dev/outbox': plain(
              'The dev outbox',
              'Development only (no SMTP_URL, NODE_ENV not production): the mail kept instead of sent, newest first, links included.',
            ),
          }
        : {}),
    },
    components: {
      securitySchemes: {
        tokenAuth: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'The word `Token`, a space, then the token: `Token 9944b09199c6…`; or a JWT access token from `jwt/create/` as `Bearer eyJhbGci…`.',
        },
      },
      schemas: {
        Detail: jsonSchema(answers.detail),
        FieldErrors: {
          type: 'object',
          description:
            'The messages for each field that is wrong; `non_field_errors` for the rest.',
          additionalProperties: { type: 'array', items: { type: 'string' } },
        },
        TrpcResult: {
          type: 'object',
          properties: { result: { type: 'object', properties: { data: {} } } },
        },
        TrpcError: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                message: { type: 'string' },
                code: { type: 'integer' },
                data: { type: 'object' },
              },
            },
          },
        },
      },
    },
  };
}
