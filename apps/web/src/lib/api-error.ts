import type { AppRouter } from '@tokenauth/api/router';
import { TRPCClientError } from '@trpc/client';

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The HTTP status of a failed call; undefined when the server was not reached. */
export function statusOf(error: unknown): number | undefined {
  return isApiError(error) ? error.data?.httpStatus : undefined;
}
