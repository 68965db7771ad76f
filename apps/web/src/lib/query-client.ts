import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { endSession, getToken } from '../auth/session.ts';
import { statusOf } from './api-error.ts';

/**
 * A 401 to a request that carried a token means the token is no longer good
 * (revoked on another device, user deleted): forget it, and the protected
 * routes send the user to log in again.
 */
function onError(error: unknown, meta: Record<string, unknown> | undefined): void {
  if (statusOf(error) === 401 && getToken() && !meta?.handlesUnauthorized) endSession('expired');
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.meta) }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => onError(error, mutation.meta),
    }),
    defaultOptions: {
      queries: {
        // A 4xx will not change on retry; a network blip or 5xx might.
        retry: (count, error) => (statusOf(error) ?? 500) >= 500 && count < 2,
        staleTime: 30_000,
      },
    },
  });
}
