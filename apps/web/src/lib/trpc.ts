import type { AppRouter } from '@tokenauth/api/router';
import { httpLink, TRPCClientError } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { getToken } from '../auth/session.ts';

export const trpc = createTRPCReact<AppRouter>();

export function createTrpcClient() {
  return trpc.createClient({
    links: [
      httpLink({
        url: '/trpc',
        // Read at every request, so a login or logout applies at once.
        headers() {
          const token = getToken();
          return token ? { authorization: `Token ${token}` } : {};
        },
      }),
    ],
  });
}

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The HTTP status of a failed call; undefined when the server was not reached. */
export function statusOf(error: unknown): number | undefined {
  return isApiError(error) ? error.data?.httpStatus : undefined;
}
