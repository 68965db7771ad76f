import type { AppRouter } from '@tokenauth/api/router';
import { httpLink } from '@trpc/client';
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
