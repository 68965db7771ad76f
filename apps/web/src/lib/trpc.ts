import type { AppRouter } from '@tokenauth/api/router';
import { httpLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { authorizationHeader } from '../auth/authorization.ts';

export const trpc = createTRPCReact<AppRouter>();

export function createTrpcClient() {
  return trpc.createClient({
    links: [
      httpLink({
        url: '/trpc',
        // Read at every request, so a login or logout applies at once (and a JWT is renewed in time).
        async headers() {
          const authorization = await authorizationHeader();
          return authorization ? { authorization } : {};
        },
      }),
    ],
  });
}
